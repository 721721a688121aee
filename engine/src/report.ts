/** Run reports: the outcome of each step and of the whole run, with exact row counts. */
import type { Layer } from './steps.js';

/** The execution modes, with the guide's lower-case values. */
export const PipelineMode = {
  INITIAL: 'initial',
  INCREMENTAL: 'incremental',
  FULL_REFRESH: 'full_refresh',
  VALIDATION_ONLY: 'validation_only',
} as const;
export type PipelineMode = (typeof PipelineMode)[keyof typeof PipelineMode];

/** All mode values, for parsing user input. */
export const PIPELINE_MODES: readonly PipelineMode[] = Object.values(PipelineMode);

/** How a step ended; `skipped` means an upstream step failed or the run was cancelled. */
export type StepStatus = 'completed' | 'failed' | 'skipped' | 'cancelled';

/** What one step did. */
export interface StepResult {
  name: string;
  layer: Layer;
  status: StepStatus;
  startedAt: string;
  durationMs: number;
  /** Rows that reached the step: its source for bronze, the sum of its inputs otherwise. */
  inputRows: number;
  /** Rows the transform produced, before validation. */
  outputRows: number;
  validRows: number;
  invalidRows: number;
  /** Percentage of valid rows; 100 when there are no rows. */
  validationRate: number;
  /** Minimum rate for the step's layer. */
  threshold: number;
  rowsWritten: number;
  writeMode: 'overwrite' | 'append' | null;
  outputTable: string | null;
  /** Failed rows per rule name; rules that never failed are listed with 0. */
  ruleFailures: Record<string, number>;
  error: string | null;
  /** Stack trace of the error in the user's source, when a transform threw. */
  errorStack: string | null;
  /** The params the transform received. */
  params: Record<string, unknown> | null;
}

/** Totals over a run. */
export interface PipelineMetrics {
  totalSteps: number;
  successfulSteps: number;
  failedSteps: number;
  skippedSteps: number;
  totalDurationMs: number;
  bronzeDurationMs: number;
  silverDurationMs: number;
  goldDurationMs: number;
  totalRowsProcessed: number;
  totalRowsWritten: number;
}

/** The outcome of a run. */
export interface PipelineReport {
  runId: string;
  status: 'completed' | 'failed';
  mode: PipelineMode;
  startedAt: string;
  endedAt: string;
  durationMs: number;
  metrics: PipelineMetrics;
  errors: string[];
  /** Problems that did not fail the run, such as a run history that could not be written. */
  warnings: string[];
  /** Names of the steps this run ran or skipped, in run order. */
  stepOrder: string[];
  bronzeResults: Record<string, StepResult>;
  silverResults: Record<string, StepResult>;
  goldResults: Record<string, StepResult>;
}

/** A run's step results in run order. */
export function stepResults(report: PipelineReport): StepResult[] {
  return report.stepOrder
    .map((name) => findStepResult(report, name))
    .filter((r): r is StepResult => r !== undefined);
}

/** The result of a step by name, in any layer. */
export function findStepResult(report: PipelineReport, name: string): StepResult | undefined {
  return report.bronzeResults[name] ?? report.silverResults[name] ?? report.goldResults[name];
}

/** A rate for people: `99.8%`, or `no rows` when nothing was validated. */
export function formatRate(result: Pick<StepResult, 'validationRate' | 'outputRows'>): string {
  if (result.outputRows === 0) {
    return 'no rows';
  }
  const rate = result.validationRate;
  let digits = 1;
  while (
    digits < 6 &&
    rate !== 100 &&
    rate !== 0 &&
    ['100', '0'].includes(String(Number(rate.toFixed(digits))))
  ) {
    digits += 1;
  }
  return `${Number(rate.toFixed(digits)).toFixed(rate === 100 || rate === 0 ? 0 : digits)}%`;
}
