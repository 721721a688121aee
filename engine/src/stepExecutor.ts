/**
 * Runs one step: transform, validation, threshold check and write, in that order, emitting an
 * event after each phase. A step that fails leaves the warehouse as it was.
 */
import type { PipelineConfig } from './config.js';
import { DataFrame } from './dataframe.js';
import { errorMessage, isStepwiseError, StepwiseError } from './errors.js';
import type { RunEventHandler } from './events.js';
import { PipelineMode, type StepResult } from './report.js';
import type { Session } from './session.js';
import { SqlQuery } from './sqlTemplate.js';
import { quoteIdent, quoteString } from './sqlText.js';
import type { Context, Step, StepParams } from './steps.js';
import { firstUserFrame, userStackTrace } from './stepLocation.js';
import { validateOutput, type ValidationOutcome } from './validation.js';

/** Everything a step needs besides its inputs. */
export interface StepRunSettings {
  session: Session;
  config: PipelineConfig;
  mode: PipelineMode;
  writeOutputs: boolean;
  params: StepParams | undefined;
  emit: RunEventHandler;
  signal: AbortSignal | undefined;
  /** Bronze steps by name, for the incremental column of a silver step's source. */
  bronzeIncrementalCol: (bronze: string) => string | undefined;
}

/** A step's inputs: the raw source of a bronze step, or the outputs it reads. */
export interface StepInputs {
  source?: DataFrame;
  bronze?: DataFrame;
  others: Context;
}

/** What a step produced. */
export interface StepOutcome {
  result: StepResult;
  output?: DataFrame;
  invalid?: DataFrame;
  /** The error with its stack, for debuggers. */
  error?: unknown;
}

/** Runs one step and returns its result; never throws for step failures. */
export async function executeStep(
  step: Step,
  resolveInputs: () => Promise<StepInputs>,
  settings: StepRunSettings,
  position: { index: number; total: number },
): Promise<StepOutcome> {
  const startedAt = new Date();
  const started = performance.now();
  const result = emptyResult(step, startedAt, settings);
  let progress: NodeJS.Timeout | undefined;
  try {
    const inputs = await resolveInputs();
    await settings.emit({ type: 'stepStarted', step, ...position, inputs: inputFrames(inputs) });
    result.inputRows = await countInputs(step, inputs);
    progress = setInterval(() => {
      const percent = settings.session.progress();
      if (percent !== undefined) {
        void settings.emit({ type: 'stepProgress', step: step.name, layer: step.layer, percent });
      }
    }, 250);

    const transformed = await transform(step, inputs, settings);
    await settings.emit({ type: 'phaseFinished', step, phase: 'transform', output: transformed });

    // An interrupt only stops a query that is running; a cancel that arrived between two
    // queries must still prevent the long validation query.
    settings.signal?.throwIfAborted();
    const outcome = await validateOutput(
      settings.session,
      step.name,
      await transformed.compile(),
      step.compiledRules,
      // Bronze outputs feed transforms, so pruning applies only to what silver and gold write.
      settings.config.pruneUnruledColumns && step.layer !== 'bronze',
    );
    Object.assign(result, {
      ...(step.layer === 'bronze' ? { inputRows: outcome.outputRows } : {}),
      outputRows: outcome.outputRows,
      validRows: outcome.validRows,
      invalidRows: outcome.invalidRows,
      validationRate: outcome.validationRate,
      ruleFailures: outcome.ruleFailures,
    });
    await settings.emit({
      type: 'phaseFinished',
      step,
      phase: 'validate',
      output: outcome.valid,
      invalid: outcome.invalid,
      result: { ...result },
    });
    checkThreshold(step, result);

    // An abort that arrived between queries interrupted nothing; it must still prevent the write.
    if (settings.signal?.aborted) {
      throw new StepwiseError('cancelled', `Step '${step.name}' was cancelled.`, {
        step: step.name,
      });
    }
    const output = await write(step, outcome, result, settings);
    await settings.emit({
      type: 'phaseFinished',
      step,
      phase: 'write',
      output,
      invalid: outcome.invalid,
    });
    result.status = 'completed';
    result.durationMs = performance.now() - started;
    return { result, output, invalid: outcome.invalid };
  } catch (error) {
    const cancelled = settings.signal?.aborted === true;
    result.status = cancelled ? 'cancelled' : 'failed';
    result.error = cancelled ? `Step '${step.name}' was cancelled.` : describeFailure(step, error);
    result.errorStack = cancelled ? null : userStack(error);
    result.durationMs = performance.now() - started;
    return { result, error };
  } finally {
    clearInterval(progress);
  }
}

function inputFrames(inputs: StepInputs): Record<string, DataFrame> {
  const frames: Record<string, DataFrame> = { ...inputs.others };
  if (inputs.source) {
    frames.source = inputs.source;
  }
  if (inputs.bronze) {
    frames.bronze = inputs.bronze;
  }
  return frames;
}

/** Rows a step reads; for bronze the source itself is validated, so it is counted there. */
async function countInputs(step: Step, inputs: StepInputs): Promise<number> {
  if (step.layer === 'bronze') {
    return 0;
  }
  // Only declared inputs count: a silver step without sourceSilvers also sees earlier silver
  // outputs, but does not read them unless its transform chooses to.
  const declared = step.layer === 'silver' ? step.sourceSilvers : Object.keys(inputs.others);
  const frames = [inputs.bronze, ...declared.map((name) => inputs.others[name])];
  let total = 0;
  for (const frame of frames) {
    total += frame ? await frame.count() : 0;
  }
  return total;
}

async function transform(
  step: Step,
  inputs: StepInputs,
  settings: StepRunSettings,
): Promise<DataFrame> {
  const { session, params } = settings;
  if (step.layer === 'bronze') {
    return inputs.source!;
  }
  let value: unknown;
  try {
    if (step.layer === 'silver') {
      const bronze = await incrementalInput(step, inputs.bronze!, settings);
      value = await step.transform(session, bronze, { ...inputs.others }, params);
    } else {
      value = await step.transform(session, { ...inputs.others }, params);
    }
  } catch (error) {
    if (isStepwiseError(error)) {
      throw error;
    }
    const frame = error instanceof Error ? firstUserFrame(error.stack ?? '') : undefined;
    const at = frame ? ` (at ${frame.file}:${frame.line}:${frame.column})` : '';
    throw new StepwiseError(
      'transform_failed',
      `the transform threw: ${errorMessage(error)}${at}`,
      { step: step.name, ...(frame ? { location: frame } : {}) },
      { cause: error },
    );
  }
  if (value instanceof DataFrame) {
    return value;
  }
  if (value instanceof SqlQuery) {
    return session.sql(value);
  }
  throw new StepwiseError(
    'bad_transform_result',
    `the transform returned ${describeValue(value)}; it must return a DataFrame or a sql\`...\` ` +
      'query (did you forget `return`?).',
    { step: step.name, field: 'transform' },
  );
}

/** In incremental mode, keeps only bronze rows past the silver table's watermark. */
async function incrementalInput(
  step: Extract<Step, { layer: 'silver' }>,
  bronze: DataFrame,
  settings: StepRunSettings,
): Promise<DataFrame> {
  const column = settings.bronzeIncrementalCol(step.sourceBronze);
  if (settings.mode !== PipelineMode.INCREMENTAL) {
    return bronze;
  }
  if (!column || !step.watermarkCol) {
    if (!settings.writeOutputs) {
      return bronze;
    }
    // Appending without a watermark would add every bronze row again on each run.
    const missing = [
      ...(step.watermarkCol ? [] : [`watermarkCol on silver step '${step.name}'`]),
      ...(column ? [] : [`incrementalCol on bronze step '${step.sourceBronze}'`]),
    ];
    throw new StepwiseError(
      'invalid_config',
      `an incremental run appends only rows past the table's watermark, and this step has no ` +
        `${missing.join(' and no ')}. Set ${missing.length > 1 ? 'them' : 'it'}, or run with ` +
        '--mode initial or --mode full_refresh.',
      { step: step.name, field: step.watermarkCol ? 'incrementalCol' : 'watermarkCol' },
    );
  }
  const schema = step.schema ?? settings.config.schema;
  const mark = await settings.session.warehouse.maxValue(
    { schema, table: step.tableName },
    step.watermarkCol,
  );
  if (!mark || mark.value === null) {
    return bronze;
  }
  return bronze.filter(`${quoteIdent(column)} > CAST(${quoteString(mark.value)} AS ${mark.type})`);
}

function checkThreshold(step: Step, result: StepResult): void {
  if (result.outputRows === 0 || result.validationRate >= result.threshold) {
    return;
  }
  const worst = Object.entries(result.ruleFailures)
    .filter(([, n]) => n > 0)
    .sort((a, b) => b[1] - a[1])
    .slice(0, 3)
    .map(([name, n]) => `${name} (${n.toLocaleString('en-US')} rows)`)
    .join(', ');
  throw new StepwiseError(
    'below_threshold',
    `${result.validRows.toLocaleString('en-US')} of ${result.outputRows.toLocaleString('en-US')} ` +
      `rows are valid (${rateBelow(result.validationRate, result.threshold)}%), below the ${step.layer} threshold ` +
      `of ${result.threshold}%. Failing rules: ${worst}. Fix the data or the rules, or lower ` +
      `thresholds.${step.layer} in the pipeline config.`,
    { step: step.name, field: 'rules' },
  );
}

async function write(
  step: Step,
  outcome: ValidationOutcome,
  result: StepResult,
  settings: StepRunSettings,
): Promise<DataFrame> {
  const { mode, session, config } = settings;
  if (step.layer === 'bronze' || !settings.writeOutputs || mode === PipelineMode.VALIDATION_ONLY) {
    return outcome.valid;
  }
  const append = mode === PipelineMode.INCREMENTAL && step.layer === 'silver';
  const target = { schema: step.schema ?? config.schema, table: step.tableName };
  await session.warehouse.write({
    target,
    validSQL: outcome.validSQL,
    invalidSQL: outcome.invalidSQL,
    mode: append ? 'append' : 'overwrite',
    requireSameSchema: mode !== PipelineMode.INITIAL,
  });
  result.rowsWritten = outcome.validRows;
  result.writeMode = append ? 'append' : 'overwrite';
  result.outputTable = `${target.schema}.${target.table}`;
  if (append) {
    const loaded = await session.warehouse.loadTable(target);
    return loaded ? session.tableFrame(loaded.table, loaded.rowCount) : outcome.valid;
  }
  return outcome.valid;
}

function emptyResult(step: Step, startedAt: Date, settings: StepRunSettings): StepResult {
  return {
    name: step.name,
    layer: step.layer,
    status: 'failed',
    startedAt: startedAt.toISOString(),
    durationMs: 0,
    inputRows: 0,
    outputRows: 0,
    validRows: 0,
    invalidRows: 0,
    validationRate: 100,
    threshold: settings.config.thresholds[step.layer],
    rowsWritten: 0,
    writeMode: null,
    outputTable: null,
    ruleFailures: Object.fromEntries(step.compiledRules.map((r) => [r.name, 0])),
    error: null,
    errorStack: null,
    params: settings.params ?? null,
  };
}

function describeFailure(step: Step, error: unknown): string {
  const where = step.definedAt ? ` (${step.definedAt.file}:${step.definedAt.line})` : '';
  const message = errorMessage(error);
  const text =
    isStepwiseError(error) && error.code !== 'query_failed'
      ? message
      : `the query failed: ${message}`;
  return `Step '${step.name}'${where} failed: ${text}`;
}

function userStack(error: unknown): string | null {
  const cause = error instanceof StepwiseError ? error.cause : error;
  return cause instanceof Error && cause.stack ? userStackTrace(cause.stack) : null;
}

function describeValue(value: unknown): string {
  if (value === undefined) {
    return 'undefined';
  }
  if (value === null) {
    return 'null';
  }
  return typeof value === 'object'
    ? `an object (${value.constructor?.name ?? 'Object'})`
    : `a ${typeof value}`;
}

/** A rate below a threshold, with enough decimals that it does not print as the threshold. */
function rateBelow(rate: number, threshold: number): string {
  for (let digits = 2; digits < 8; digits++) {
    const text = rate.toFixed(digits);
    if (Number(text) < threshold) {
      return text;
    }
  }
  return String(rate);
}
