// Progress lines: start and finish lines everywhere, a live percentage only on terminals.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { RunEvent } from '../events.js';
import type { StepResult } from '../report.js';
import { SilverStep } from '../steps.js';
import { ProgressPrinter } from './progress.js';

const step = new SilverStep({ name: 'clean', sourceBronze: 'raw', transform: (_s, df) => df });

const result: StepResult = {
  name: 'clean',
  layer: 'silver',
  status: 'completed',
  startedAt: '2001-01-01T00:00:00.000Z',
  durationMs: 412,
  inputRows: 3_000_000,
  outputRows: 2_999_726,
  validRows: 2_994_000,
  invalidRows: 5_726,
  validationRate: (2_994_000 / 2_999_726) * 100,
  threshold: 98,
  rowsWritten: 2_994_000,
  writeMode: 'overwrite',
  outputTable: 'analytics.clean',
  ruleFailures: {},
  error: null,
  errorStack: null,
  params: null,
};

const EVENTS: RunEvent[] = [
  { type: 'stepStarted', step, index: 1, total: 3, inputs: {} },
  { type: 'stepProgress', step: 'clean', layer: 'silver', percent: 42.7 },
  { type: 'stepFinished', step, result },
];

function printed(isTTY: boolean): string {
  let text = '';
  const printer = new ProgressPrinter({ isTTY, write: (t: string) => (text += t) }, 'p.ts', false);
  EVENTS.forEach(printer.handle);
  return text;
}

void describe('ProgressPrinter', () => {
  void it('prints start and finish lines, without percentages, when not on a terminal', () => {
    assert.equal(
      printed(false),
      '→ silver clean (2/3)\n✓ silver clean  2,999,726 rows · 99.8% valid · 412 ms\n',
    );
  });

  void it('rewrites the start line with the percentage on a terminal, then replaces it', () => {
    const clear = '\r\x1b[2K';
    assert.equal(
      printed(true),
      `→ silver clean (2/3)${clear}→ silver clean (2/3) 42%${clear}` +
        '✓ silver clean  2,999,726 rows · 99.8% valid · 412 ms\n',
    );
  });
});
