/** Builds a `PipelineReport` from step results. */
import type { PipelineMode, PipelineReport, StepResult } from './report.js';

/** The report of a run whose steps ended with `results`, in run order. */
export function buildReport(
  runId: string,
  mode: PipelineMode,
  started: Date,
  results: readonly StepResult[],
  warnings: readonly string[],
): PipelineReport {
  const ended = new Date();
  const byLayer = (layer: StepResult['layer']): Record<string, StepResult> =>
    Object.fromEntries(results.filter((r) => r.layer === layer).map((r) => [r.name, r]));
  const duration = (layer?: StepResult['layer']): number =>
    results
      .filter((r) => layer === undefined || r.layer === layer)
      .reduce((t, r) => t + r.durationMs, 0);
  const failed = results.filter((r) => r.status === 'failed' || r.status === 'cancelled');
  return {
    runId,
    // A skipped step did not run (an upstream failure or a cancel), so the run did not complete.
    status: results.every((r) => r.status === 'completed') ? 'completed' : 'failed',
    mode,
    startedAt: started.toISOString(),
    endedAt: ended.toISOString(),
    durationMs: ended.getTime() - started.getTime(),
    metrics: {
      totalSteps: results.length,
      successfulSteps: results.filter((r) => r.status === 'completed').length,
      failedSteps: failed.length,
      skippedSteps: results.filter((r) => r.status === 'skipped').length,
      totalDurationMs: duration(),
      bronzeDurationMs: duration('bronze'),
      silverDurationMs: duration('silver'),
      goldDurationMs: duration('gold'),
      totalRowsProcessed: results.reduce((t, r) => t + r.outputRows, 0),
      totalRowsWritten: results.reduce((t, r) => t + r.rowsWritten, 0),
    },
    errors: results.flatMap((r) => (r.status === 'skipped' || r.error === null ? [] : [r.error])),
    warnings: [...warnings],
    stepOrder: results.map((r) => r.name),
    bronzeResults: byLayer('bronze'),
    silverResults: byLayer('silver'),
    goldResults: byLayer('gold'),
  };
}
