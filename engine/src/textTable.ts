/** Plain-text tables for terminals, with numbers right-aligned. */

const NUMERIC = /^-?\d[\d,]*(\.\d+)?%?$/;

/** A boxed text table; cells that look numeric are right-aligned. */
export function formatTable(headers: string[], rows: string[][]): string {
  const widths = headers.map((h, i) => Math.max(width(h), ...rows.map((r) => width(r[i] ?? ''))));
  const line = `+${widths.map((w) => '-'.repeat(w + 2)).join('+')}+`;
  const render = (cells: string[], header: boolean): string =>
    `| ${cells
      .map((c, i) => {
        const pad = ' '.repeat(widths[i]! - width(c));
        return !header && NUMERIC.test(c) ? pad + c : c + pad;
      })
      .join(' | ')} |`;
  return [line, render(headers, true), line, ...rows.map((r) => render(r, false)), line].join('\n');
}

/** Display width, counting wide (CJK, emoji) characters as two columns. */
export function width(text: string): number {
  let w = 0;
  for (const ch of text) {
    const code = ch.codePointAt(0)!;
    w += code >= 0x1100 && isWide(code) ? 2 : 1;
  }
  return w;
}

function isWide(code: number): boolean {
  return (
    (code >= 0x1100 && code <= 0x115f) ||
    (code >= 0x2e80 && code <= 0xa4cf) ||
    (code >= 0xac00 && code <= 0xd7a3) ||
    (code >= 0xf900 && code <= 0xfaff) ||
    (code >= 0xfe30 && code <= 0xfe4f) ||
    (code >= 0xff00 && code <= 0xff60) ||
    (code >= 0xffe0 && code <= 0xffe6) ||
    (code >= 0x1f300 && code <= 0x1faff) ||
    (code >= 0x20000 && code <= 0x3fffd)
  );
}
