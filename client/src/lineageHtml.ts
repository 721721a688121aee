/** Draws the step graph as an SVG: one column per layer, edges from each input to its reader. */
import type { StepGraphNode, StepGraphResult } from '../../protocol/debugProtocol.js';

const WIDTH = 210;
const HEIGHT = 58;
const GAP_X = 90;
const GAP_Y = 24;
const EDGE = 'stroke="#999" marker-end="url(#arrow)"';
const ARROW =
  '<marker id="arrow" markerWidth="8" markerHeight="8" refX="8" refY="4" orient="auto">' +
  '<path d="M0,0 L8,4 L0,8 z" fill="#999"/></marker>';
const COLORS: Record<StepGraphNode['status'], string> = {
  pending: '#888888',
  running: '#d7a000',
  completed: '#2e9d4d',
  failed: '#d13438',
  skipped: '#888888',
  cancelled: '#b05a00',
};

/** The lineage page for a step graph. */
export function lineageHtml(graph: StepGraphResult, cspSource: string): string {
  const layers = ['bronze', 'silver', 'gold'] as const;
  const positions = new Map<string, { x: number; y: number }>();
  layers.forEach((layer, column) => {
    graph.steps
      .filter((s) => s.layer === layer)
      .forEach((s, row) =>
        positions.set(s.name, { x: 20 + column * (WIDTH + GAP_X), y: 40 + row * (HEIGHT + GAP_Y) }),
      );
  });
  const edges = graph.steps.flatMap((s) =>
    s.dependencies
      .filter((d) => positions.has(d))
      .map((d) => {
        const from = positions.get(d)!;
        const to = positions.get(s.name)!;
        const [x1, y1] = [from.x + WIDTH, from.y + HEIGHT / 2];
        const [x2, y2] = [to.x, to.y + HEIGHT / 2];
        return `<line x1="${x1}" y1="${y1}" x2="${x2}" y2="${y2}" ${EDGE}/>`;
      }),
  );
  const nodes = graph.steps.map((s) => {
    const p = positions.get(s.name)!;
    const current = graph.current === s.name ? ' stroke-width="3"' : ' stroke-width="1.5"';
    const rows =
      s.outputRows === null
        ? s.status
        : `${s.outputRows.toLocaleString('en-US')} rows · ${rate(s)}`;
    const box = `x="${p.x}" y="${p.y}" width="${WIDTH}" height="${HEIGHT}" rx="6"`;
    return `<g><rect ${box} fill="none" stroke="${COLORS[s.status]}"${current}/>
<text x="${p.x + 10}" y="${p.y + 22}" font-weight="bold">${escape(s.name)}</text>
<text x="${p.x + 10}" y="${p.y + 42}" fill="${COLORS[s.status]}">${escape(rows)}</text></g>`;
  });
  const height = Math.max(...[...positions.values()].map((p) => p.y + HEIGHT), 100) + 20;
  const headers = layers.map(
    (l, i) => `<text x="${20 + i * (WIDTH + GAP_X)}" y="22" font-weight="bold">${l}</text>`,
  );
  return `<!DOCTYPE html><html><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src ${cspSource} 'unsafe-inline';">
<style>body { font-family: var(--vscode-font-family); } text { fill: var(--vscode-foreground); font-size: 13px; }</style>
</head><body><svg width="${3 * WIDTH + 2 * GAP_X + 40}" height="${height}">
<defs>${ARROW}</defs>
${headers.join('\n')}
${edges.join('\n')}
${nodes.join('\n')}
</svg></body></html>`;
}

function rate(step: StepGraphNode): string {
  if (step.validationRate === null) {
    return '';
  }
  return step.outputRows === 0
    ? 'no rows'
    : `${step.validationRate.toFixed(step.validationRate === 100 ? 0 : 2)}% valid`;
}

function escape(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
