/**
 * The one place that turns an error into what the user sees and the exit code: every engine
 * error code is handled in one exhaustive switch.
 */
import { errorMessage, isStepwiseError, type StepwiseErrorCode } from '../errors.js';

/** Exit codes of the `stepwise` command. */
export const ExitCode = {
  /** The run completed (or a help text was printed). */
  ok: 0,
  /** A step failed, or the run could not go on. */
  failed: 1,
  /** Bad usage, or a pipeline that cannot be loaded. */
  usage: 2,
  /** Cancelled with Ctrl-C (128 + SIGINT). */
  cancelled: 130,
} as const;
export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];

/** How an error is shown: a short title before the engine's message, and the exit code. */
export interface ErrorView {
  title: string;
  exitCode: ExitCode;
}

/** The title and exit code of each engine error code. */
export function errorView(code: StepwiseErrorCode): ErrorView {
  const usage = (title: string): ErrorView => ({ title, exitCode: ExitCode.usage });
  const failed = (title: string): ErrorView => ({ title, exitCode: ExitCode.failed });
  switch (code) {
    case 'usage':
      return usage('invalid command line');
    case 'unknown_step':
      return usage('unknown step');
    case 'bad_params':
      return usage('invalid params');
    case 'pipeline_load_failed':
      return usage('cannot load the pipeline');
    case 'pipeline_syntax_error':
      return usage('syntax error in the pipeline');
    case 'invalid_step':
    case 'invalid_rule':
    case 'invalid_config':
      return usage('invalid pipeline definition');
    case 'duplicate_step':
      return usage('duplicate step name');
    case 'dependency_cycle':
      return usage('dependency cycle');
    case 'missing_source':
      return usage('missing source');
    case 'missing_dependency':
      return failed('missing input');
    case 'transform_failed':
    case 'bad_transform_result':
      return failed('transform failed');
    case 'below_threshold':
      return failed('below threshold');
    case 'schema_mismatch':
      return failed('schema mismatch');
    case 'warehouse_busy':
      return failed('warehouse busy');
    case 'warehouse_failed':
      return failed('warehouse error');
    case 'query_failed':
      return failed('query failed');
    case 'cancelled':
      return { title: 'cancelled', exitCode: ExitCode.cancelled };
  }
}

/** The text for stderr and the exit code of an error that ended the command. */
export function describeError(error: unknown): { text: string; exitCode: ExitCode } {
  if (isStepwiseError(error)) {
    const view = errorView(error.code);
    return { text: `stepwise: ${view.title}: ${error.message}`, exitCode: view.exitCode };
  }
  // Anything else is a defect in Stepwise itself, so the stack goes with it for the bug report.
  const stack = error instanceof Error && error.stack ? error.stack : errorMessage(error);
  return {
    text: `stepwise: unexpected internal error: ${stack}\nPlease report this with the command you ran.`,
    exitCode: ExitCode.failed,
  };
}
