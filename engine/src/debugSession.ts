/**
 * `PipelineDebugSession`: a notebook-style handle on a pipeline that keeps the context and the
 * params between calls, so steps can be run, tuned and rerun one at a time.
 */
import type { PipelineConfig } from './config.js';
import type { BronzeSource } from './definePipeline.js';
import { StepwiseError, unknownStepError } from './errors.js';
import type { RunEventHandler } from './events.js';
import { downstreamOf } from './graph.js';
import { PipelineMode } from './report.js';
import { orderOf, SimplePipelineRunner, type RunOptions, type RunResult } from './runner.js';
import type { Session } from './session.js';
import type { Context, Step, StepParams } from './steps.js';

/** Options of a debug session. */
export interface DebugSessionOptions {
  mode?: PipelineMode;
  bronzeSources?: Record<string, BronzeSource>;
  /** Params to start with, per step. */
  stepParams?: Record<string, StepParams>;
  onEvent?: RunEventHandler;
  pipelineName?: string;
  signal?: AbortSignal;
}

/** Options of one call. */
export interface DebugRunOptions {
  writeOutputs?: boolean;
}

/** Keeps the context and params of a pipeline between stepwise runs. */
export class PipelineDebugSession {
  readonly runner: SimplePipelineRunner;
  readonly steps: Step[];
  mode: PipelineMode;
  /** Step outputs so far, by step name. */
  context: Context = {};
  /** Params per step, used by every run of that step. */
  stepParams: Record<string, StepParams>;

  constructor(
    session: Session,
    config: PipelineConfig,
    steps: readonly Step[],
    private readonly options: DebugSessionOptions = {},
  ) {
    this.runner = new SimplePipelineRunner(session, config);
    this.steps = orderOf(steps);
    this.mode = options.mode ?? PipelineMode.INITIAL;
    this.stepParams = { ...options.stepParams };
  }

  /** Runs `name` and what it depends on; outputs of other steps stay in the context. */
  async runUntil(name: string, options: DebugRunOptions = {}): Promise<RunResult> {
    const [report, context] = await this.runner.runUntil(
      name,
      this.steps,
      this.runOptions(options),
    );
    return this.keep(report, context);
  }

  /** Runs only `name`, with its inputs from the context or the warehouse. */
  async runStep(name: string, options: DebugRunOptions = {}): Promise<RunResult> {
    const [report, context] = await this.runner.runStep(name, this.steps, this.runOptions(options));
    return this.keep(report, context);
  }

  /** Runs `name` again with the current params, dropping downstream outputs by default. */
  async rerunStep(
    name: string,
    options: DebugRunOptions & { invalidateDownstream?: boolean } = {},
  ): Promise<RunResult> {
    const [report, context] = await this.runner.rerunStep(name, this.steps, {
      ...this.runOptions(options),
      invalidateDownstream: options.invalidateDownstream ?? true,
    });
    return this.keep(report, context);
  }

  /** Sets the params of a step for later runs. */
  setStepParams(name: string, params: StepParams): void {
    this.requireStep(name);
    if (typeof params !== 'object' || params === null || Array.isArray(params)) {
      throw new StepwiseError(
        'bad_params',
        `setStepParams('${name}', ...): params must be an object.`,
        {
          step: name,
          field: 'params',
        },
      );
    }
    this.stepParams[name] = { ...params };
  }

  /** Clears the params of one step, or of every step when no name is given. */
  clearStepParams(name?: string): void {
    if (name === undefined) {
      this.stepParams = {};
      return;
    }
    this.requireStep(name);
    delete this.stepParams[name];
  }

  private runOptions(options: DebugRunOptions): RunOptions {
    return {
      mode: this.mode,
      context: this.context,
      stepParams: this.stepParams,
      writeOutputs: options.writeOutputs ?? true,
      ...(this.options.bronzeSources ? { bronzeSources: this.options.bronzeSources } : {}),
      ...(this.options.onEvent ? { onEvent: this.options.onEvent } : {}),
      ...(this.options.pipelineName ? { pipelineName: this.options.pipelineName } : {}),
      ...(this.options.signal ? { signal: this.options.signal } : {}),
    };
  }

  /** Keeps the new context, dropping outputs downstream of steps that were recomputed. */
  private keep(report: RunResult[0], context: Context): RunResult {
    const rerun = report.stepOrder.filter((n) => findResult(report, n)?.status === 'completed');
    for (const name of rerun) {
      for (const stale of downstreamOf(this.steps, name)) {
        if (!rerun.includes(stale)) {
          delete context[stale];
        }
      }
    }
    this.context = context;
    return [report, context];
  }

  private requireStep(name: string): void {
    if (!this.steps.some((s) => s.name === name)) {
      throw unknownStepError(
        name,
        this.steps.map((s) => s.name),
        'PipelineDebugSession',
      );
    }
  }
}

function findResult(report: RunResult[0], name: string) {
  return report.bronzeResults[name] ?? report.silverResults[name] ?? report.goldResults[name];
}
