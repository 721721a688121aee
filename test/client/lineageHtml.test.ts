/** The lineage page: one box per step in its layer's column, an arrow per dependency. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { lineageHtml } from '../../client/src/lineageHtml.js';
import type { StepGraphResult } from '../../protocol/debugProtocol.js';

const GRAPH: StepGraphResult = {
  current: 'clean',
  steps: [
    {
      name: 'raw',
      layer: 'bronze',
      dependencies: [],
      status: 'completed',
      outputRows: 1234567,
      validationRate: 99.5,
      durationMs: 12,
    },
    {
      name: 'clean',
      layer: 'silver',
      dependencies: ['raw'],
      status: 'failed',
      outputRows: null,
      validationRate: null,
      durationMs: null,
    },
    {
      name: '<gold & "x">',
      layer: 'gold',
      dependencies: ['clean'],
      status: 'pending',
      outputRows: null,
      validationRate: null,
      durationMs: null,
    },
  ],
};

void test('draws a box per step, an arrow per dependency, and marks the current step', () => {
  const html = lineageHtml(GRAPH, 'vscode-csp');
  assert.equal(html.match(/<rect /g)?.length, 3);
  assert.equal(html.match(/<line /g)?.length, 2);
  assert.match(html, /1,234,567 rows · 99\.50% valid/);
  assert.match(
    html,
    /stroke="#d13438" stroke-width="3"/,
    'the failed, current step is red and bold',
  );
  assert.match(html, /&#60;gold &#38; &#34;x&#34;&#62;/, 'step names are escaped');
  assert.match(html, /style-src vscode-csp/);
});
