/**
 * `SimplePipelineRunner`: runs a whole pipeline, a step with everything it depends on, or a single
 * step, and returns the report with the context of step outputs.
 */
import type { PipelineConfig } from './config.js';
import type { BronzeSource } from './definePipeline.js';
import { StepwiseError, unknownStepError } from './errors.js';
import type { RunEventHandler } from './events.js';
import { dependencyOrder, downstreamOf, type GraphNode } from './graph.js';
import { runSteps } from './pipelineRun.js';
import { PIPELINE_MODES, PipelineMode, type PipelineReport } from './report.js';
import type { Session } from './session.js';
import type { Context, Step, StepParams } from './steps.js';
import type { RunHistoryRow } from './warehouse.js';

/** Options of every run method. */
export interface RunOptions {
  mode?: PipelineMode;
  /** Data for bronze steps by step name. */
  bronzeSources?: Record<string, BronzeSource>;
  /** Outputs of earlier runs by step name; missing dependencies are loaded from the warehouse. */
  context?: Context;
  /** Params per step name; a step's transform receives its entry. */
  stepParams?: Record<string, StepParams>;
  /** Write silver and gold outputs to the warehouse (default true). */
  writeOutputs?: boolean;
  /** Cancels the run: the running query is interrupted and nothing more is written. */
  signal?: AbortSignal;
  /** Called at each step and phase, and awaited. */
  onEvent?: RunEventHandler;
  /** Name under which the run history is kept, usually the pipeline file. */
  pipelineName?: string;
  /** Append one row per step to the warehouse's run history (default true). */
  recordHistory?: boolean;
  /**
   * Receives the run history rows instead of the warehouse, so a caller that must answer quickly
   * (the debugger) can write them after it has reported the step.
   */
  historySink?: (rows: RunHistoryRow[]) => void;
}

/** Options of `rerunStep`. */
export interface RerunOptions extends RunOptions {
  /** Drop the outputs of every step downstream of the rerun step (default true). */
  invalidateDownstream?: boolean;
}

/** A report and the context of step outputs after the run. */
export type RunResult = [PipelineReport, Context];

/** Runs steps stepwise on a session. */
export class SimplePipelineRunner {
  constructor(
    readonly session: Session,
    readonly config: PipelineConfig,
  ) {}

  /** Runs every step, in dependency order. */
  async runPipeline(steps: readonly Step[], options: RunOptions = {}): Promise<PipelineReport> {
    const order = orderOf(steps);
    const [report] = await this.run(order, order, options, { ...options.context });
    return report;
  }

  /** Runs `name` and every step it depends on, in dependency order, and stops after `name`. */
  async runUntil(
    name: string,
    steps: readonly Step[],
    options: RunOptions = {},
  ): Promise<RunResult> {
    const order = orderOf(steps);
    requireStep(name, order, 'runUntil');
    const wanted = new Set([...upstreamIn(order, name), name]);
    return this.run(
      order.filter((s) => wanted.has(s.name)),
      order,
      options,
      { ...options.context },
    );
  }

  /**
   * Runs only `name`. Missing silver and gold inputs are loaded from the warehouse; a missing
   * bronze input with a source is run first.
   */
  async runStep(
    name: string,
    steps: readonly Step[],
    options: RunOptions = {},
  ): Promise<RunResult> {
    const order = orderOf(steps);
    const target = requireStep(name, order, 'runStep');
    const context = { ...options.context };
    const sources = options.bronzeSources ?? {};
    const feeders = order.filter(
      (s) =>
        s.layer === 'bronze' &&
        s !== target &&
        target.dependencies.includes(s.name) &&
        context[s.name] === undefined &&
        sources[s.name] !== undefined,
    );
    return this.run([...feeders, target], order, options, context);
  }

  /** Runs `name` again, by default dropping the outputs of every step downstream of it. */
  async rerunStep(
    name: string,
    steps: readonly Step[],
    options: RerunOptions = {},
  ): Promise<RunResult> {
    const order = orderOf(steps);
    requireStep(name, order, 'rerunStep');
    const context = { ...options.context };
    if (options.invalidateDownstream ?? true) {
      for (const downstream of downstreamOf(order, name)) {
        delete context[downstream];
      }
    }
    return this.runStep(name, steps, { ...options, context });
  }

  private async run(
    toRun: Step[],
    all: Step[],
    options: RunOptions,
    context: Context,
  ): Promise<RunResult> {
    const mode = options.mode ?? PipelineMode.INITIAL;
    if (!PIPELINE_MODES.includes(mode)) {
      throw new StepwiseError(
        'usage',
        `Unknown mode '${String(mode)}'. Use one of: ${PIPELINE_MODES.join(', ')}.`,
        { field: 'mode' },
      );
    }
    const stepParams = checkParams(options.stepParams ?? {}, all);
    const report = await runSteps(
      {
        session: this.session,
        config: this.config,
        mode,
        all,
        bronzeSources: options.bronzeSources ?? {},
        stepParams,
        writeOutputs: options.writeOutputs ?? true,
        signal: options.signal,
        emit: options.onEvent ?? (() => undefined),
        pipelineName: options.pipelineName ?? 'default',
        recordHistory: options.recordHistory ?? true,
        historySink: options.historySink,
      },
      toRun,
      context,
    );
    return [report, context];
  }
}

/** Steps in dependency order; dependencies outside `steps` may come from a context or warehouse. */
export function orderOf(steps: readonly Step[]): Step[] {
  const names = new Set(steps.map((s) => s.name));
  const nodes = steps.map((s) => ({
    step: s,
    name: s.name,
    dependencies: s.dependencies.filter((d) => names.has(d)),
  }));
  return dependencyOrder(nodes).map((n) => n.step);
}

function upstreamIn(order: readonly Step[], name: string): string[] {
  const names = new Set(order.map((s) => s.name));
  const nodes: GraphNode[] = order.map((s) => ({
    name: s.name,
    dependencies: s.dependencies.filter((d) => names.has(d)),
  }));
  const result = new Set<string>();
  const visit = (n: string): void => {
    for (const d of nodes.find((x) => x.name === n)?.dependencies ?? []) {
      if (!result.has(d)) {
        result.add(d);
        visit(d);
      }
    }
  };
  visit(name);
  return [...result];
}

function requireStep(name: string, order: readonly Step[], method: string): Step {
  const step = order.find((s) => s.name === name);
  if (!step) {
    throw unknownStepError(
      name,
      order.map((s) => s.name),
      method,
    );
  }
  return step;
}

function checkParams(
  stepParams: Record<string, StepParams>,
  steps: readonly Step[],
): Record<string, StepParams> {
  const names = steps.map((s) => s.name);
  for (const [name, params] of Object.entries(stepParams)) {
    if (!names.includes(name)) {
      throw unknownStepError(name, names, 'stepParams');
    }
    if (typeof params !== 'object' || params === null || Array.isArray(params)) {
      throw new StepwiseError(
        'bad_params',
        `stepParams['${name}'] must be an object of named params, got ${JSON.stringify(params)}.`,
        { step: name, field: 'stepParams' },
      );
    }
  }
  return stepParams;
}
