/**
 * The user scenarios in a real VS Code (code-server) driven through headless Chromium: the
 * packaged extension is installed the way a user installs a .vsix, and every check reads what
 * the workbench shows. The scenarios run in order on one workspace, as a person would try them;
 * each leaves a screenshot under test-results/e2e/.
 */
import assert from 'node:assert/strict';
import { rm } from 'node:fs/promises';
import { after, before, describe, test } from 'node:test';
import { Browser } from './harness/browser.js';
import { CodeServer } from './harness/codeServer.js';
import { requireTools, vsixPath } from './harness/paths.js';
import { screenshotPath } from './harness/results.js';
import { Workbench } from './harness/workbench.js';
import { createWorkspace, DEBUG_FLIGHTS, FIXTURES, FLIGHTS } from './harness/workspace.js';

const CYCLE = `${FIXTURES}/cycle_and_unknown_source.pipeline.ts`;
const THROWS = `${FIXTURES}/throws_in_transform.pipeline.ts`;
const ACTIONS = ['Run until here', 'Run step', 'Rerun with params…', 'Debug until here'];
const STEPS = ['flights', 'airports', 'clean_flights', 'delay_by_origin', 'delay_by_day'];
const SCENARIO_TIMEOUT_MS = 180_000;

let server: CodeServer | undefined;
let browser: Browser | undefined;
let workbench: Workbench;
let workspace: string | undefined;
let failed = false;

/** A scenario: a test that saves a screenshot named `shot` when it fails, to show why. */
function scenario(shot: string, title: string, run: () => Promise<void>): void {
  void test(title, { timeout: SCENARIO_TIMEOUT_MS }, async () => {
    try {
      await run();
    } catch (error) {
      failed = true;
      await workbench?.screenshot(screenshotPath(`${shot}-FAILED`)).catch(() => undefined);
      throw error;
    }
  });
}

/** The line of `new XStep({` of the step `name` in `file`, where its lenses are anchored. */
async function stepLine(file: string, name: string): Promise<number> {
  return (await workbench.lineOf(file, `name: '${name}'`)) - 1;
}

void describe('Stepwise in VS Code (code-server, packaged .vsix)', () => {
  before(async () => {
    failed = true;
    requireTools();
    server = await CodeServer.create();
    await server.installExtension(vsixPath());
    await server.start();
    workspace = await createWorkspace();
    browser = await Browser.launch();
    workbench = new Workbench(browser.page, workspace);
    await workbench.load(server.folderUrl(workspace));
    failed = false;
  });

  after(async () => {
    try {
      await browser?.close();
    } finally {
      // The server's folder (its logs) and the workspace are kept when a scenario failed.
      await server?.stop({ removeFiles: !failed });
      if (failed) {
        console.log(
          `e2e: code-server's logs are in ${server?.home}, the workspace in ${workspace}`,
        );
      } else if (workspace) {
        await rm(workspace, { recursive: true, force: true });
      }
    }
  });

  scenario('01-lenses', '1. every step of the flights example shows the four lenses', async () => {
    await workbench.openFile(FLIGHTS);
    for (const step of STEPS) {
      const line = await stepLine(FLIGHTS, step);
      await workbench.goToLine(line);
      const titles = await workbench.waitForLenses(line);
      assert.deepEqual(titles.slice(0, 4), ACTIONS, `lenses of ${step}`);
    }
    const line = await stepLine(FLIGHTS, 'clean_flights');
    await workbench.goToLine(line);
    await workbench.screenshot(screenshotPath('01-lenses'));
  });

  scenario('02-run-until-here', '2. "Run until here" on clean_flights shows its run', async () => {
    const line = await stepLine(FLIGHTS, 'clean_flights');
    await workbench.goToLine(line);
    // 3,000,000 flights in, 275 of them outside the delay rule: 99.99% valid.
    const titles = await workbench.clickLens(line, 'Run until here', () =>
      workbench.waitForLenses(line, /✓ 3,000,000 rows · 99\.99% valid · \d/),
    );
    assert.match(titles.at(-1)!, /^✓ 3,000,000 rows · 99\.99% valid · [\d.]+ (ms|s)$/);
    await workbench.page.locator('.notification-toast', { hasText: 'clean_flights' }).waitFor();
    await workbench.screenshot(screenshotPath('02-run-until-here'));
  });

  scenario('03-breakpoint', '3. a gutter breakpoint stops before the silver step', async () => {
    await workbench.clearNotifications();
    const line = await stepLine(FLIGHTS, 'clean_flights');
    await workbench.goToLine(line);
    await workbench.clickGutter(line);
    await workbench.waitForBreakpoint(line);
    await workbench.widenSideBar(520);
    await workbench.startDebugging(DEBUG_FLIGHTS);
    await workbench.collapsePane('Watch');
    await workbench.collapsePane('Breakpoints');

    await workbench.callStackPaused('breakpoint');
    const frames = await workbench.callStackRows.allInnerTexts();
    assert.deepEqual(frames.map(frameTitle), [
      'silver clean_flights',
      'bronze airports',
      'bronze flights',
    ]);
    await workbench.waitForTopFrameAt(line);

    await workbench.expand(await workbench.variable('Inputs'));
    const flights = await workbench.variable('flights', 'Inputs');
    assert.match(await flights.innerText(), /3,000,000 rows × 5 columns/);
    await workbench.expand(flights);
    const rows = await workbench.variable('rows', 'flights');
    assert.match(await rows.innerText(), /3,000,000 rows/);
    const first = await workbench.expandToFirstRow('.debug-variables', rows);
    assert.match(await first.innerText(), /\{date: .*delay: .*origin: .*\}/);
    await workbench.screenshot(screenshotPath('03-breakpoint'));
  });

  scenario(
    '04-step-over',
    '4. Step Over stops before the next step with the silver output',
    async () => {
      await workbench.debugAction('Step Over').click();
      await workbench.callStackPaused('step');
      const frames = await workbench.callStackRows.allInnerTexts();
      assert.equal(frameTitle(frames[0]!), 'gold delay_by_origin');
      assert.equal(frameTitle(frames[1]!), 'silver clean_flights');
      const next = await stepLine(FLIGHTS, 'delay_by_origin');
      await workbench.waitForTopFrameAt(next);

      // The silver step's own frame shows what it produced and what its rules rejected.
      await workbench.callStackRows.nth(1).click();
      await workbench.collapseVariables();
      await workbench.expand(await workbench.variable('Output'));
      const output = await workbench.variable('output', 'Output');
      assert.match(await output.innerText(), /2,999,725 rows × \d+ columns/);
      const invalid = await workbench.variable('invalid rows', 'Output');
      assert.match(await invalid.innerText(), /275 rows × \d+ columns/);
      await workbench.expand(invalid);
      const first = await workbench.expandToFirstRow(
        '.debug-variables',
        await workbench.variable('rows', 'invalid rows'),
      );
      // Each invalid row names the rules it failed.
      await workbench.expand(first);
      const failed = await workbench.variable('_failed_rules', '[0]');
      assert.match(await failed.innerText(), /delay:between_-120_600/);
      // Bring the silver output back into view above its invalid rows for the screenshot.
      await workbench.treeRow('.debug-variables', 'Output', undefined, 'up');
      await workbench.screenshot(screenshotPath('04-step-over'));
    },
  );

  scenario(
    '05-debug-console',
    '5. SQL in the Debug Console gives an expandable result',
    async () => {
      await workbench.evaluateInConsole(
        'SELECT origin, count(*) AS flights FROM clean_flights GROUP BY origin ' +
          'ORDER BY flights DESC, origin LIMIT 3',
      );
      const result = await workbench.consoleRow('3 rows × 2 columns');
      await workbench.expand(result);
      const first = await workbench.expandToFirstRow(
        '.repl',
        await workbench.consoleRow('rows', '3 rows × 2 columns'),
      );
      // Chicago O'Hare had the most flights in the first half of 2001.
      assert.match(await first.innerText(), /origin: "ORD", flights: \d+/);
      await workbench.screenshot(screenshotPath('05-debug-console'));

      await workbench.stopDebugging();
    },
  );

  scenario('06-rerun-with-params', '6. "Rerun with params…" reruns with new params', async () => {
    await workbench.stopDebugging();
    await workbench.clearNotifications();
    await workbench.openFile(FLIGHTS);
    const line = await stepLine(FLIGHTS, 'delay_by_origin');
    await workbench.goToLine(line);
    const before = rowsOf(
      await workbench.clickLens(line, 'Run step', () =>
        workbench.waitForLenses(line, /✓ [\d,]+ rows/),
      ),
    );

    await workbench.clickLens(line, 'Rerun with params…', () =>
      workbench.quickInput.locator('input').waitFor(),
    );
    await workbench.quickInput.locator('input').fill('{"minFlights": 20000}');
    await workbench.screenshot(screenshotPath('06-rerun-with-params-input'));
    await workbench.fillInputBox('{"minFlights": 20000}');
    const after = rowsOf(
      await workbench.waitForLenses(
        line,
        new RegExp(`✓ (?!${before.toLocaleString('en-US')} )[\\d,]+ rows`),
      ),
    );
    assert.ok(after > 0 && after < before, `rows went from ${before} to ${after}`);
    await workbench.screenshot(screenshotPath('06-rerun-with-params'));
  });

  scenario('07-problems', '7. a cycle and an unknown source show in Problems', async () => {
    await workbench.clearNotifications();
    await workbench.openFile(CYCLE);
    await workbench.showProblems();
    const cycle = workbench.problemRows.filter({ hasText: /cycle: priced_orders → taxed_orders/ });
    await cycle.first().waitFor();
    assert.equal(await cycle.count(), 2, 'the cycle is reported on both of its steps');
    await workbench.problemRows
      .filter({ hasText: "reads 'priced_order', which is not a step" })
      .filter({ hasText: "Did you mean 'priced_orders'?" })
      .waitFor();
    await workbench.screenshot(screenshotPath('07-problems'));
  });

  scenario(
    '08-transform-throws',
    '8. a throwing transform stops at the throwing line',
    async () => {
      await workbench.stopDebugging();
      await workbench.openFile(THROWS);
      const line = await stepLine(THROWS, 'converted_payments');
      const throwing = await workbench.lineOf(THROWS, 'throw new Error');
      await workbench.goToLine(line);
      await workbench.clickLens(line, 'Debug until here', () =>
        workbench.callStackPaused('exception'),
      );
      await workbench.exceptionWidget('no exchange rate for EUR').waitFor();
      await workbench.waitForTopFrameAt(throwing);
      await workbench.expand(await workbench.variable('Validation'));
      const error = await workbench.variable('error', 'Validation');
      assert.match(await error.innerText(), /no exchange rate for EUR/);
      await workbench.activeTab('throws_in_transform.pipeline.ts').waitFor();
      await workbench.screenshot(screenshotPath('08-transform-throws'));
      await workbench.stopDebugging();
    },
  );
});

/** The frame name of a Call Stack row: its first line. */
function frameTitle(row: string): string {
  return row.split('\n')[0]!.trim();
}

/** The row count of the last-run lens in `titles`. */
function rowsOf(titles: string[]): number {
  const match = /✓ ([\d,]+) rows?/.exec(titles.join(' | '));
  assert.ok(match, `no last-run lens in ${JSON.stringify(titles)}`);
  return Number(match[1]!.replace(/,/g, ''));
}
