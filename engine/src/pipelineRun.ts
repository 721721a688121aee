/**
 * One run of some steps: it resolves each step's inputs (context, warehouse or source), runs the
 * steps in order, skips those downstream of a failure, records history and builds the report.
 */
import { randomUUID } from 'node:crypto';
import type { PipelineConfig } from './config.js';
import type { DataFrame } from './dataframe.js';
import type { BronzeSource } from './definePipeline.js';
import { errorMessage, StepwiseError } from './errors.js';
import type { RunEventHandler } from './events.js';
import { buildReport } from './reportBuilder.js';
import type { PipelineMode, PipelineReport, StepResult } from './report.js';
import type { Session } from './session.js';
import { isSourceSpec, sourceSQL } from './sources.js';
import { isSqlSource, SqlQuery } from './sqlTemplate.js';
import {
  executeStep,
  type StepInputs,
  type StepOutcome,
  type StepRunSettings,
} from './stepExecutor.js';
import type { Context, Step, StepParams } from './steps.js';
import { jsonReplacer } from './values.js';
import type { RunHistoryRow } from './warehouse.js';

/** What a run needs to know. */
export interface RunSetup {
  session: Session;
  config: PipelineConfig;
  mode: PipelineMode;
  /** Every step of the pipeline, in dependency order. */
  all: readonly Step[];
  bronzeSources: Record<string, BronzeSource>;
  stepParams: Record<string, StepParams>;
  writeOutputs: boolean;
  signal: AbortSignal | undefined;
  emit: RunEventHandler;
  pipelineName: string;
  recordHistory: boolean;
  /** Receives history rows instead of the warehouse, for callers that write them later. */
  historySink: ((rows: RunHistoryRow[]) => void) | undefined;
}

/** Runs `toRun` in order over `context`, which it updates with each step's valid output. */
export async function runSteps(
  setup: RunSetup,
  toRun: readonly Step[],
  context: Context,
): Promise<PipelineReport> {
  const run = new PipelineRun(setup, context);
  return run.execute(toRun);
}

class PipelineRun {
  private readonly runId = randomUUID();
  private readonly byName: Map<string, Step>;
  private readonly results: StepResult[] = [];
  private readonly warnings: string[] = [];

  constructor(
    private readonly setup: RunSetup,
    private readonly context: Context,
  ) {
    this.byName = new Map(setup.all.map((s) => [s.name, s]));
  }

  async execute(toRun: readonly Step[]): Promise<PipelineReport> {
    const { emit, signal, session, mode } = this.setup;
    const started = new Date();
    // DuckDB drops an interrupt that lands while no query executes (between two queries of a
    // step, or before a dispatched one starts), so after a cancel the interrupt is repeated
    // until the step that was running returns.
    let repeat: NodeJS.Timeout | undefined;
    session.warehouse.resetWaiting();
    const onAbort = (): void => {
      session.interrupt();
      repeat ??= setInterval(() => session.interrupt(), 50);
    };
    signal?.addEventListener('abort', onAbort);
    try {
      await emit({ type: 'runStarted', runId: this.runId, mode, steps: toRun.map((s) => s.name) });
      for (const [index, step] of toRun.entries()) {
        const blocker = this.results.find(
          (r) => r.status !== 'completed' && this.dependsOn(step, r.name),
        );
        const outcome =
          signal?.aborted || blocker
            ? { result: skippedResult(step, this.setup, blocker?.name) }
            : await this.runOne(step, index, toRun.length);
        clearInterval(repeat);
        this.results.push(outcome.result);
        if (outcome.output) {
          this.context[step.name] = outcome.output;
        }
        await this.recordHistory(step, outcome);
        await emit({
          type: 'stepFinished',
          step,
          result: outcome.result,
          ...(outcome.output ? { output: outcome.output } : {}),
          ...(outcome.invalid ? { invalid: outcome.invalid } : {}),
        });
      }
    } finally {
      clearInterval(repeat);
      signal?.removeEventListener('abort', onAbort);
    }
    const report = buildReport(this.runId, mode, started, this.results, this.warnings);
    await emit({ type: 'runFinished', report });
    return report;
  }

  private async runOne(step: Step, index: number, total: number): Promise<StepOutcome> {
    const settings: StepRunSettings = {
      session: this.setup.session,
      config: this.setup.config,
      mode: this.setup.mode,
      writeOutputs: this.setup.writeOutputs,
      params: this.setup.stepParams[step.name],
      emit: this.setup.emit,
      signal: this.setup.signal,
      bronzeIncrementalCol: (name) => {
        const bronze = this.byName.get(name);
        return bronze?.layer === 'bronze' ? bronze.incrementalCol : undefined;
      },
    };
    return executeStep(step, () => this.inputsOf(step), settings, { index, total });
  }

  private dependsOn(step: Step, name: string): boolean {
    const seen = new Set<string>();
    const walk = (s: Step): boolean =>
      s.dependencies.some((d) => {
        if (d === name) {
          return true;
        }
        const next = this.byName.get(d);
        if (!next || seen.has(d)) {
          return false;
        }
        seen.add(d);
        return walk(next);
      });
    return walk(step);
  }

  private async inputsOf(step: Step): Promise<StepInputs> {
    if (step.layer === 'bronze') {
      const source = this.setup.bronzeSources[step.name];
      const frame =
        source !== undefined ? this.openSource(step.name, source) : this.context[step.name];
      if (!frame) {
        throw new StepwiseError(
          'missing_source',
          `bronze step '${step.name}' has no data. Add it to the pipeline's sources ` +
            `(sources: { ${step.name}: read.parquet('...') }) or pass it in bronzeSources.`,
          { step: step.name, field: 'sources' },
        );
      }
      return { source: frame, others: {} };
    }
    const others: Context = {};
    for (const name of step.sourceSilvers) {
      others[name] = await this.dependency(step, name);
    }
    if (step.layer === 'gold') {
      return { others };
    }
    if (step.sourceSilvers.length === 0) {
      for (const [name, frame] of Object.entries(this.context)) {
        const producer = this.byName.get(name);
        if (producer?.layer === 'silver' && name !== step.name) {
          others[name] = frame;
        }
      }
    }
    return { bronze: await this.dependency(step, step.sourceBronze), others };
  }

  /** A dependency from the context, or loaded from the warehouse into the context. */
  private async dependency(step: Step, name: string): Promise<DataFrame> {
    const present = this.context[name];
    if (present) {
      return present;
    }
    const { session, config } = this.setup;
    const producer = this.byName.get(name);
    if (producer && producer.layer !== 'bronze') {
      const target = { schema: producer.schema ?? config.schema, table: producer.tableName };
      const loaded = await session.warehouse.loadTable(target);
      if (loaded) {
        const frame = session.tableFrame(loaded.table, loaded.rowCount);
        this.context[name] = frame;
        return frame;
      }
    }
    const where = session.warehouse.path ?? 'the in-memory warehouse';
    const how =
      producer?.layer === 'bronze'
        ? `Give bronze step '${name}' a source (sources or bronzeSources), or put its output in the context.`
        : `Run '${name}' first, for example runUntil('${name}') or \`stepwise run <pipeline> --until ${name}\`.`;
    throw new StepwiseError(
      'missing_dependency',
      `it needs the output of '${name}', which is neither in the context nor in the warehouse ` +
        `(${where}). ${how}`,
      { step: step.name, field: 'sources' },
    );
  }

  private openSource(name: string, source: BronzeSource): DataFrame {
    const { session } = this.setup;
    if (isSourceSpec(source)) {
      return session.sql(sourceSQL(source));
    }
    if (source instanceof SqlQuery) {
      return session.sql(source);
    }
    if (isSqlSource(source)) {
      return source;
    }
    throw new StepwiseError(
      'missing_source',
      `the source of bronze step '${name}' is not a DataFrame, a sql\`...\` query or read.*(path).`,
      { step: name, field: 'sources' },
    );
  }

  private async recordHistory(step: Step, outcome: StepOutcome): Promise<void> {
    if (!this.setup.recordHistory) {
      return;
    }
    const r = outcome.result;
    try {
      const schema = outcome.output ? JSON.stringify(await outcome.output.schema()) : null;
      const row: RunHistoryRow = {
        runId: this.runId,
        pipeline: this.setup.pipelineName,
        mode: this.setup.mode,
        step: step.name,
        layer: step.layer,
        status: r.status,
        startedAt: r.startedAt,
        durationMs: r.durationMs,
        inputRows: r.inputRows,
        outputRows: r.outputRows,
        validRows: r.validRows,
        invalidRows: r.invalidRows,
        validationRate: r.validationRate,
        rowsWritten: r.rowsWritten,
        outputTable: r.outputTable,
        error: r.error,
        params: r.params ? JSON.stringify(r.params, jsonReplacer) : null,
        outputSchema: schema,
      };
      if (this.setup.historySink) {
        this.setup.historySink([row]);
      } else {
        await this.setup.session.warehouse.appendHistory([row]);
      }
    } catch (error) {
      this.warnings.push(
        `Could not record step '${step.name}' in the run history: ${errorMessage(error)}`,
      );
    }
  }
}

function skippedResult(step: Step, setup: RunSetup, blocker: string | undefined): StepResult {
  return {
    name: step.name,
    layer: step.layer,
    status: 'skipped',
    startedAt: new Date().toISOString(),
    durationMs: 0,
    inputRows: 0,
    outputRows: 0,
    validRows: 0,
    invalidRows: 0,
    validationRate: 100,
    threshold: setup.config.thresholds[step.layer],
    rowsWritten: 0,
    writeMode: null,
    outputTable: null,
    ruleFailures: Object.fromEntries(step.compiledRules.map((r) => [r.name, 0])),
    error: blocker
      ? `Skipped because '${blocker}' did not complete.`
      : 'Skipped because the run was cancelled.',
    errorStack: null,
    params: setup.stepParams[step.name] ?? null,
  };
}
