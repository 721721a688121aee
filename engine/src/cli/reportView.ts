/**
 * The end-of-run report for terminals: a table of step results, a summary line, the rules that
 * failed and the errors of failed steps.
 */
import { formatRate, stepResults, type PipelineReport, type StepResult } from '../report.js';
import { formatTable } from '../textTable.js';
import { formatCount, formatDuration, plural } from './format.js';

/** Facts about the run that the report itself does not hold. */
export interface RunFacts {
  /** The warehouse path as shown to the user. */
  warehouse: string;
  /** False when outputs were not written (`--no-write` or validation_only). */
  written: boolean;
  cancelled: boolean;
}

const HEADERS = [
  'step',
  'layer',
  'status',
  'input rows',
  'output rows',
  'valid',
  'invalid',
  'valid %',
  'rows written',
  'table',
  'time',
];

/** The whole report as text, ending with a newline. */
export function renderReport(report: PipelineReport, facts: RunFacts): string {
  const results = stepResults(report);
  const parts = [resultTable(results), summaryLine(report, results, facts)];
  const rules = failedRules(results);
  if (rules !== undefined) {
    parts.push(`Rules that failed:\n${rules}`);
  }
  // Cancelled steps are left out: cancelling is the user's own doing, not an error.
  const errors = results.filter((r) => r.status === 'failed');
  if (errors.length > 0) {
    const lines = errors.map((r) => `  ✗ ${r.error ?? `Step '${r.name}' failed.`}`);
    parts.push(`Errors:\n${lines.join('\n')}`);
  }
  return `${parts.join('\n\n')}\n`;
}

/** One row per step, numbers with thousands separators. */
export function resultTable(results: readonly StepResult[]): string {
  const times = rightAligned(results.map((r) => formatDuration(r.durationMs)));
  const rows = results.map((r, i) => {
    const ran = r.status !== 'skipped';
    const n = (value: number): string => (ran ? formatCount(value) : '–');
    const validated = r.status === 'completed' || (ran && r.outputRows > 0);
    return [
      r.name,
      r.layer,
      r.status,
      n(r.inputRows),
      n(r.outputRows),
      n(r.validRows),
      n(r.invalidRows),
      validated ? formatRate(r) : '–',
      n(r.rowsWritten),
      r.outputTable ?? '–',
      ran ? times[i]! : '–',
    ];
  });
  return formatTable(HEADERS, rows);
}

function summaryLine(
  report: PipelineReport,
  results: readonly StepResult[],
  facts: RunFacts,
): string {
  const status = facts.cancelled
    ? 'Cancelled'
    : report.status === 'completed'
      ? 'Completed'
      : 'Failed';
  const counts = (['completed', 'failed', 'cancelled', 'skipped'] as const)
    .map((s) => [s, results.filter((r) => r.status === s).length] as const)
    .filter(([, n]) => n > 0)
    .map(([s, n]) => `${n} ${s}`)
    .join(', ');
  const written = facts.written ? '' : ' · nothing written';
  return (
    `${status} · ${plural(results.length, 'step')}${counts ? ` (${counts})` : ''} · ` +
    `${formatDuration(report.durationMs)} · mode ${report.mode}${written} · warehouse ${facts.warehouse}`
  );
}

function failedRules(results: readonly StepResult[]): string | undefined {
  const rows = results.flatMap((r) =>
    Object.entries(r.ruleFailures)
      .filter(([, n]) => n > 0)
      .map(([rule, n]) => [r.name, rule, formatCount(n), formatCount(r.outputRows)]),
  );
  return rows.length === 0
    ? undefined
    : formatTable(['step', 'rule', 'failed rows', 'of rows'], rows);
}

/** Pads texts to one width so a left-aligned table column reads right-aligned. */
function rightAligned(texts: readonly string[]): string[] {
  const width = Math.max(0, ...texts.map((t) => t.length));
  return texts.map((t) => t.padStart(width));
}
