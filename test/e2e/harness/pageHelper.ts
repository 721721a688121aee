/**
 * Code that runs inside the workbench page to find what Playwright's selectors cannot express:
 * the lens row above a given line, a gutter glyph on a given line, and a tree row by name under
 * another. It is plain JavaScript text so that it does not depend on how the tests are compiled.
 */

/** The global under which the page gets the helpers. */
export const PAGE_HELPER = '__stepwiseE2E';

/** A lens row: its index among the editor's lens rows, and its titles. */
export interface LensRow {
  index: number;
  titles: string[];
}

/** The helpers, installed in the page before the workbench loads. */
export const PAGE_HELPER_SOURCE = `
(() => {
  const editor = () => document.querySelector('.editor-group-container.active .monaco-editor');

  // The vertical extent of the line numbered 'line' in the active editor, if it is rendered.
  const lineBox = (line) => {
    const root = editor();
    const number = root && [...root.querySelectorAll('.line-numbers')].find(
      (e) => e.textContent.trim() === String(line),
    );
    return number ? number.getBoundingClientRect() : null;
  };

  const lensRow = (line) => {
    const box = lineBox(line);
    if (!box) return null;
    let best = null;
    [...editor().querySelectorAll('.codelens-decoration')].forEach((row, index) => {
      const gap = box.top - row.getBoundingClientRect().bottom;
      if (gap > -3 && gap < 12 && (!best || gap < best.gap)) best = { index, gap, row };
    });
    if (!best) return null;
    const titles = [...best.row.querySelectorAll('a')].map((a) => a.textContent.trim());
    return { index: best.index, titles };
  };

  const glyphOn = (line, className) => {
    const box = lineBox(line);
    if (!box) return false;
    const middle = (box.top + box.bottom) / 2;
    return [...editor().querySelectorAll('.' + className)].some((glyph) => {
      const g = glyph.getBoundingClientRect();
      return g.height > 0 && g.top <= middle && middle <= g.bottom;
    });
  };

  // A tree row's name is its aria-label without the "Scope " or "Variable " prefix and without
  // the ", value ..." suffix: "Scope Inputs", "rows, value 3 rows" and "Variable rows, value 3
  // rows" are "Inputs", "rows" and "rows". A name ending in '*' matches any name it starts.
  const nameOf = (row) => {
    const label = (row.getAttribute('aria-label') || '').replace(/^(Scope|Variable) /, '');
    const value = label.indexOf(', value');
    return value < 0 ? label : label.slice(0, value);
  };
  const named = (row, name) =>
    name.endsWith('*') ? nameOf(row).startsWith(name.slice(0, -1)) : nameOf(row) === name;

  // Rows are identified by label and level rather than position, which shifts as the tree
  // expands on its own (the first scope opens by itself after each stop).
  const identify = (row) => ({
    label: row.getAttribute('aria-label'),
    level: row.getAttribute('aria-level'),
  });
  const treeRow = (view, name, under) => {
    const rows = [...document.querySelectorAll(view + ' .monaco-list-row')]
      .sort((a, b) => Number(a.dataset.index) - Number(b.dataset.index));
    if (!under) {
      const found = rows.find((row) => named(row, name));
      return found ? identify(found) : null;
    }
    const parent = rows.findIndex((row) => named(row, under) &&
      row.getAttribute('aria-expanded') === 'true');
    if (parent < 0) return null;
    const level = Number(rows[parent].getAttribute('aria-level'));
    for (let i = parent + 1; i < rows.length; i++) {
      const rowLevel = Number(rows[i].getAttribute('aria-level'));
      if (rowLevel <= level) return null;
      if (rowLevel === level + 1 && named(rows[i], name)) return identify(rows[i]);
    }
    return null;
  };

  // Whether the expanded row with this label and level shows its first child right below it.
  const childShown = (view, label, level) => {
    const rows = [...document.querySelectorAll(view + ' .monaco-list-row')];
    const parent = rows.find((row) => row.getAttribute('aria-label') === label &&
      row.getAttribute('aria-level') === String(level) &&
      row.getAttribute('aria-expanded') === 'true');
    if (!parent) return false;
    const next = rows.find((row) => Number(row.dataset.index) === Number(parent.dataset.index) + 1);
    return !!next && Number(next.getAttribute('aria-level')) === Number(level) + 1;
  };

  window.${PAGE_HELPER} = { lensRow, glyphOn, treeRow, childShown };
})();
`;
