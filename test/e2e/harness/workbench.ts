/**
 * The parts of the VS Code workbench the scenarios use, reached the way a person reaches them:
 * quick open, the editor's lenses and gutter, the Run and Debug view, the Debug Console, the
 * Problems panel and input boxes. Every method waits on what the page shows, never on time.
 */
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Locator, Page } from 'playwright-core';
import { PAGE_HELPER, PAGE_HELPER_SOURCE, type LensRow } from './pageHelper.js';

/** How long a UI state may take to appear; runs over three million rows are included. */
export const UI_TIMEOUT_MS = 90_000;

/** Why the debugger paused, as the Call Stack says it. */
export type PauseReason = 'breakpoint' | 'step' | 'exception' | 'entry';

/** A workbench page showing one workspace folder. */
export class Workbench {
  constructor(
    readonly page: Page,
    private readonly folder: string,
  ) {
    page.setDefaultTimeout(UI_TIMEOUT_MS);
  }

  /** Loads `url` and waits until the workbench shows the workspace folder. */
  async load(url: string): Promise<void> {
    await this.page.addInitScript({ content: PAGE_HELPER_SOURCE });
    await this.page.goto(url);
    await this.page.locator('.monaco-workbench').waitFor();
    await this.page.locator('.explorer-folders-view .monaco-list-row').first().waitFor();
  }

  /** Opens a workspace file with quick open and waits for its editor. */
  async openFile(relativePath: string): Promise<void> {
    const parts = relativePath.split('/');
    const name = parts.pop()!;
    await this.page.keyboard.press('Control+P');
    const input = this.quickInput.locator('input');
    await input.waitFor();
    await input.fill(relativePath);
    await this.quickInput
      .locator('.monaco-list-row')
      .filter({ hasText: name })
      .filter({ hasText: parts.join('/') })
      .first()
      .click();
    await this.activeTab(name).waitFor();
    await this.editor.locator('.view-line').first().waitFor();
  }

  /** The active editor tab, when it shows `name`. */
  activeTab(name: string): Locator {
    return this.page.locator('.tabs-container .tab.active', { hasText: name });
  }

  /** The active text editor. */
  get editor(): Locator {
    return this.page.locator('.editor-group-container.active .monaco-editor').first();
  }

  /** The 1-based number of the first line of the workspace file `file` that contains `text`. */
  async lineOf(file: string, text: string): Promise<number> {
    const lines = (await readFile(join(this.folder, file), 'utf8')).split('\n');
    const index = lines.findIndex((l) => l.includes(text));
    if (index < 0) {
      throw new Error(`'${text}' is not in ${file}`);
    }
    return index + 1;
  }

  /** Moves the cursor to `line` with Go to Line, which also scrolls the line into view. */
  async goToLine(line: number): Promise<void> {
    await this.page.keyboard.press('Control+G');
    const input = this.quickInput.locator('input');
    await input.waitFor();
    await input.fill(`:${line}`);
    await input.press('Enter');
    await this.cursorOn(line).waitFor();
  }

  /** The status bar item that shows the cursor on `line`. */
  cursorOn(line: number): Locator {
    return this.page.locator('.statusbar-item', { hasText: new RegExp(`Ln ${line}, Col \\d+`) });
  }

  /**
   * Waits until the titles of the lens row directly above `line` (the lenses anchored on that
   * line), joined with ' | ', match `pattern`, and returns them. The line must be on screen.
   */
  async waitForLenses(line: number, pattern = /./): Promise<string[]> {
    const test = `new RegExp(${JSON.stringify(pattern.source)}, ${JSON.stringify(pattern.flags)})`;
    try {
      const handle = await this.page.waitForFunction(
        `(() => {
          const row = window.${PAGE_HELPER}.lensRow(${line});
          return row && ${test}.test(row.titles.join(' | ')) ? row.titles : false;
        })()`,
      );
      return (await handle.jsonValue()) as string[];
    } catch (error) {
      const row = await this.lensRow(line);
      throw new Error(
        `the lenses above line ${line} are ${JSON.stringify(row?.titles ?? [])}, ` +
          `which do not match ${pattern}: ${String(error)}`,
      );
    }
  }

  /**
   * Clicks the lens titled `title` in the row above `line` and waits for `effect`, what the lens
   * is expected to do. A lens clicked while VS Code re-renders lenses from its cache can carry a
   * command the extension host has already released; VS Code then only says "Actual command not
   * found". That click did nothing, so it is reported on the console and made again, up to
   * three times.
   */
  async clickLens<T>(line: number, title: string, effect: () => Promise<T>): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      await this.waitForLenses(line, new RegExp(`(^|\\| )${escapeRegExp(title)}( \\||$)`));
      const row = await this.lensRow(line);
      await this.editor
        .locator('.codelens-decoration')
        .nth(row!.index)
        .locator('a', { hasText: title })
        .click();
      const released = this.page.locator('.notification-toast', {
        hasText: 'Actual command not found',
      });
      const outcome = effect().then((value) => ({ value }));
      const lost = released
        .waitFor()
        .then(() => 'released' as const)
        .catch(() => 'never' as const);
      const first = await Promise.race([outcome, lost]);
      if (first !== 'released' && first !== 'never') {
        return first.value;
      }
      outcome.catch(() => undefined);
      console.warn(`e2e: the '${title}' lens above line ${line} ran a released command`);
      if (attempt === 3) {
        throw new Error(`the '${title}' lens above line ${line} did nothing ${attempt} times`);
      }
      await this.clearNotifications();
    }
  }

  /** Clicks the gutter left of the number of `line`, which toggles a breakpoint there. */
  async clickGutter(line: number): Promise<void> {
    const number = this.editor.locator('.line-numbers', { hasText: new RegExp(`^${line}$`) });
    await number.hover();
    const row = (await number.boundingBox())!;
    const margin = (await this.editor.locator('.glyph-margin').first().boundingBox())!;
    await this.page.mouse.click(margin.x + margin.width / 2, row.y + row.height / 2);
  }

  /** Resolves once the gutter shows a breakpoint on `line`. */
  async waitForBreakpoint(line: number): Promise<void> {
    await this.page.waitForFunction(
      `window.${PAGE_HELPER}.glyphOn(${line}, 'codicon-debug-breakpoint')`,
    );
  }

  /**
   * Resolves once the active editor shows the debugger's current position on `line`: the
   * stack-frame arrow in its gutter and the cursor on that line.
   */
  async waitForTopFrameAt(line: number): Promise<void> {
    await this.page.waitForFunction(
      `window.${PAGE_HELPER}.glyphOn(${line}, 'codicon-debug-stackframe')`,
    );
    await this.cursorOn(line).waitFor();
  }

  /** The quick input widget: quick open, the command palette and input boxes. */
  get quickInput(): Locator {
    return this.page.locator('.quick-input-widget');
  }

  /** Runs a command from the command palette by its title. */
  async runCommand(title: string): Promise<void> {
    await this.page.keyboard.press('Control+Shift+P');
    const input = this.quickInput.locator('input');
    await input.waitFor();
    await input.fill(`>${title}`);
    await this.quickInput.locator('.monaco-list-row', { hasText: title }).first().click();
    await this.quickInput.waitFor({ state: 'hidden' });
  }

  /** Closes every notification toast. */
  async clearNotifications(): Promise<void> {
    await this.runCommand('Notifications: Clear All Notifications');
    await this.page.locator('.notification-toast').first().waitFor({ state: 'hidden' });
  }

  /** Types `text` into the open input box and accepts it. */
  async fillInputBox(text: string): Promise<void> {
    const input = this.quickInput.locator('input');
    await input.waitFor();
    await input.fill(text);
    await input.press('Enter');
    await this.quickInput.waitFor({ state: 'hidden' });
  }

  /** Opens Run and Debug, checks that `configuration` is selected there, and starts it. */
  async startDebugging(configuration: string): Promise<void> {
    await this.page.keyboard.press('Control+Shift+D');
    const start = this.page.locator('.part.sidebar .start-debug-action-item');
    await start.waitFor();
    const selected = await start.locator('.start-debug-action-item-label').innerText();
    assert.equal(selected, configuration, 'the launch configuration selected in Run and Debug');
    await start.locator('[aria-label^="Start Debugging"]').click();
    await this.debugToolbar.waitFor();
  }

  /** The floating debug toolbar. */
  get debugToolbar(): Locator {
    return this.page.locator('.debug-toolbar');
  }

  /** The debug toolbar button whose label starts with `title` (Continue, Step Over, Stop). */
  debugAction(title: string): Locator {
    return this.debugToolbar.locator(`.action-label[aria-label^="${title}"]`);
  }

  /** Drags the side bar's edge to make it `width` pixels wide, so values are not cut off. */
  async widenSideBar(width: number): Promise<void> {
    const sideBar = this.page.locator('.part.sidebar');
    const box = (await sideBar.boundingBox())!;
    const edge = box.x + box.width;
    await this.page.mouse.move(edge, box.y + box.height / 2);
    await this.page.mouse.down();
    await this.page.mouse.move(box.x + width, box.y + box.height / 2, { steps: 5 });
    await this.page.mouse.up();
    await this.page.waitForFunction(
      `document.querySelector('.part.sidebar').getBoundingClientRect().width > ${box.width}`,
    );
  }

  /** Collapses the Run and Debug pane titled `title` (Watch, Breakpoints) to make room. */
  async collapsePane(title: string): Promise<void> {
    const header = this.page.locator('.debug-viewlet .pane-header', { hasText: title }).first();
    if ((await header.getAttribute('aria-expanded')) === 'true') {
      await header.click();
    }
    await header.and(this.page.locator('[aria-expanded="false"]')).waitFor();
  }

  /**
   * Stops every debug session and waits until the debug toolbar is gone. Stop ends the focused
   * session only, so it is pressed once per session, up to five times.
   */
  async stopDebugging(): Promise<void> {
    for (let i = 0; i < 5 && (await this.debugToolbar.isVisible()); i++) {
      await this.page.keyboard.press('Shift+F5');
      await this.debugToolbar.waitFor({ state: 'hidden', timeout: 10_000 }).catch(() => undefined);
    }
    await this.debugToolbar.waitFor({ state: 'hidden', timeout: 1000 });
  }

  /** Collapses every scope and variable with the Variables view's own action. */
  async collapseVariables(): Promise<void> {
    const pane = this.page.locator('.pane', { has: this.page.locator('.debug-variables') });
    await pane.locator('.pane-header').hover();
    await pane.locator('.pane-header .action-label[aria-label="Collapse All"]').click();
    await this.page
      .locator('.debug-variables .monaco-list-row[aria-level="1"][aria-expanded="true"]')
      .first()
      .waitFor({ state: 'detached' });
  }

  /** Resolves once the Call Stack says the pipeline is paused for `reason`. */
  async callStackPaused(reason: PauseReason): Promise<void> {
    await this.page
      .locator('.debug-viewlet')
      .getByText(new RegExp(`^Paused on ${reason}$`, 'i'))
      .first()
      .waitFor();
  }

  /** The rows of the Call Stack view. */
  get callStackRows(): Locator {
    return this.page.locator('.debug-call-stack .monaco-list-row');
  }

  /**
   * The Variables row of the scope or variable `name`; with `under`, the first such row among
   * the children of the row `under`. Waits until it is rendered.
   */
  async variable(name: string, under?: string): Promise<Locator> {
    return this.treeRow('.debug-variables', name, under);
  }

  /** The Debug Console row whose label starts with `name`, under the row `under` if given. */
  async consoleRow(name: string, under?: string): Promise<Locator> {
    return this.treeRow('.repl', name, under);
  }

  /** The rows of the Debug Console. */
  get replRows(): Locator {
    return this.page.locator('.repl .monaco-list-row');
  }

  /** Types `text` into the Debug Console and submits it. */
  async evaluateInConsole(text: string): Promise<void> {
    await this.page.keyboard.press('Control+Shift+Y');
    const input = this.page.locator('.repl-input-wrapper .monaco-editor');
    await input.waitFor();
    await input.click();
    await this.page.keyboard.insertText(text);
    await this.page.keyboard.press('Enter');
  }

  /**
   * Expands a tree row, waits until the tree shows its first child, and moves the focus there,
   * which scrolls the child into view as it would for a person using the keyboard.
   */
  async expand(row: Locator): Promise<void> {
    const [label, level] = await Promise.all([
      row.getAttribute('aria-label'),
      row.getAttribute('aria-level'),
    ]);
    await row.click();
    if ((await row.getAttribute('aria-expanded')) !== 'true') {
      await row.press('ArrowRight');
    }
    const view = await row.evaluate((element: { closest(selector: string): unknown }) =>
      element.closest('.debug-variables') ? '.debug-variables' : '.repl',
    );
    const args = [view, label, level].map((a) => JSON.stringify(a)).join(', ');
    await this.page.waitForFunction(`window.${PAGE_HELPER}.childShown(${args})`);
    await row.press('ArrowDown');
  }

  /**
   * Expands the `rows` of a DataFrame down to its first row: VS Code groups long lists into
   * ranges such as [0..999999], which open one level at a time. Returns the row `[0]`.
   */
  async expandToFirstRow(view: '.debug-variables' | '.repl', rows: Locator): Promise<Locator> {
    await this.expand(rows);
    let parent = (await this.rowName(rows))!;
    for (;;) {
      const first = await this.treeRow(view, '[0*', parent);
      const name = (await this.rowName(first))!;
      if (name === '[0]') {
        return first;
      }
      await this.expand(first);
      parent = name;
    }
  }

  /** The name of a tree row, as the page helper reads it from its label. */
  private async rowName(row: Locator): Promise<string | null> {
    const label = await row.getAttribute('aria-label');
    return label === null
      ? null
      : label.replace(/^(Scope|Variable) /, '').replace(/, value[^]*$/, '');
  }

  /** Opens the Problems panel. */
  async showProblems(): Promise<void> {
    await this.page.keyboard.press('Control+Shift+M');
    await this.page.locator('.markers-panel').waitFor();
  }

  /** The rows of the Problems panel. */
  get problemRows(): Locator {
    return this.page.locator('.markers-panel .monaco-list-row');
  }

  /** The exception widget the debugger shows in the editor, when it mentions `text`. */
  exceptionWidget(text: string): Locator {
    return this.page.locator('.exception-widget', { hasText: text });
  }

  /** Saves a screenshot of the whole page. */
  async screenshot(path: string): Promise<void> {
    await this.page.screenshot({ path });
  }

  private async lensRow(line: number): Promise<LensRow | null> {
    return this.page.evaluate<LensRow | null>(`window.${PAGE_HELPER}.lensRow(${line})`);
  }

  /**
   * The row of the tree in `view` whose aria-label starts with `name` (see the page helper),
   * among the children of the expanded row `under` if given. Waits until it is rendered.
   */
  async treeRow(
    view: string,
    name: string,
    under?: string,
    direction: 'down' | 'up' = 'down',
  ): Promise<Locator> {
    const args = [view, name, under ?? null].map((a) => JSON.stringify(a)).join(', ');
    const find = `window.${PAGE_HELPER}.treeRow(${args})`;
    // A long tree renders only the rows in view. Moving the keyboard focus, as a person would,
    // scrolls further rows in; each press is followed by a fresh look.
    const key = direction === 'down' ? 'ArrowDown' : 'ArrowUp';
    for (let presses = 0; presses < 30; presses++) {
      if (await this.page.evaluate(find)) {
        break;
      }
      const focused = this.page.locator(`${view} .monaco-list-row.focused`);
      if ((await focused.count()) === 0) {
        break;
      }
      await focused.press(key);
    }
    try {
      const handle = await this.page.waitForFunction(`${find} ?? false`);
      const row = (await handle.jsonValue()) as { label: string; level: string };
      const label = row.label.replace(/["\\]/g, '\\$&');
      return this.page
        .locator(`${view} .monaco-list-row[aria-level="${row.level}"][aria-label="${label}"]`)
        .first();
    } catch (error) {
      const shown = await this.page.locator(`${view} .monaco-list-row`).allInnerTexts();
      throw new Error(
        `no row '${name}'${under ? ` under '${under}'` : ''} in ${view}; it shows ` +
          `${JSON.stringify(shown.map((s) => s.replace(/\n/g, ' ')))}: ${String(error)}`,
      );
    }
  }
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
