/**
 * The debug runtime: runs a pipeline one step at a time and stops where the user asked (entry,
 * breakpoints, stepping, failures). It drives the engine and knows nothing of the debug protocol;
 * the session translates its events and commands.
 */
import { EventEmitter } from 'node:events';
import {
  downstreamOf,
  findStepResult,
  formatRate,
  upstreamOf,
  type Context,
  type DataFrame,
  type RunEvent,
  type RunHistoryRow,
  type Step,
  type StepResult,
} from '../../engine/src/index.js';
import { SimplePipelineRunner } from '../../engine/src/runner.js';
import type { PipelineHost } from './pipelineHost.js';
import {
  AbandonStep,
  type Command,
  type PausePoint,
  type RunMode,
  type StopReason,
} from './stepControl.js';

/** Decides where the runtime stops; implemented by the breakpoint store. */
export interface StopPolicy {
  /** A breakpoint that stops before this step, if any (conditions and hit counts applied). */
  beforeStep(step: Step): Promise<{ reason: StopReason; ids: number[] } | undefined>;
  /** Whether a finished step should stop as an exception, and with what description. */
  afterStep(result: StepResult): string | undefined;
  /** Whether a step has an enabled breakpoint, for reverse continue. */
  hasBreakpoint(step: string): boolean;
}

/** What the runtime reports to the session. */
export interface RuntimeEvents {
  stopped: [{ reason: StopReason; point: PausePoint; description?: string; ids?: number[] }];
  output: [{ category: 'console' | 'stderr' | 'important'; text: string }];
  progressStart: [{ id: string; title: string }];
  progressUpdate: [{ id: string; percentage: number }];
  progressEnd: [{ id: string }];
  finished: [
    { status: 'completed' | 'failed' | 'stopped'; results: StepResult[]; durationMs: number },
  ];
  terminated: [];
}

interface Snapshot {
  position: number;
  context: Context;
  invalid: Map<string, DataFrame>;
  results: Map<string, StepResult>;
}

/** Runs a pipeline under debugger control. */
export class DebugRuntime extends EventEmitter<RuntimeEvents> {
  /** Step outputs so far. */
  context: Context = {};
  /** Invalid rows per step. */
  readonly invalid = new Map<string, DataFrame>();
  /** Latest result per step. */
  readonly results = new Map<string, StepResult>();
  /** The transform output of the step paused inside, before validation. */
  phaseOutput: DataFrame | undefined;
  /** The counts of the step paused inside, once it has been validated. */
  phaseResult: StepResult | undefined;
  /** Params per step, changed by setVariable and rerun requests. */
  stepParams: Record<string, Record<string, unknown>>;
  /** Where the runtime is paused, if it is. */
  paused: PausePoint | undefined;
  /** The step that is running, if any. */
  running: string | undefined;

  private plan: Step[] = [];
  private position = 0;
  private readonly snapshots: Snapshot[] = [];
  private readonly failed = new Set<string>();
  private resume: ((command: Command) => void) | undefined;
  private abort: AbortController | undefined;
  private pauseRequested = false;
  private terminateRequested = false;
  private pendingStop: StopReason | undefined;
  private skipStop = false;
  private mode: RunMode = 'run';
  private stepMode: RunMode = 'run';
  private abandoned: Command | undefined;
  private progressCount = 0;
  private restartStop = false;
  private readonly pendingHistory: RunHistoryRow[] = [];
  private historyWrites: Promise<void> = Promise.resolve();

  constructor(
    readonly host: PipelineHost,
    private readonly policy: StopPolicy,
  ) {
    super();
    this.stepParams = { ...host.definition.params, ...host.launch.stepParams };
  }

  /** The steps this launch runs, in order. */
  get steps(): readonly Step[] {
    return this.plan;
  }

  /** The stack for a pause point: the step, then the steps it depends on, nearest first. */
  stackOf(point: PausePoint): string[] {
    return [point.step, ...upstreamOf(this.host.steps, point.step).reverse()];
  }

  /** Runs the launch to its end. */
  async run(): Promise<void> {
    const { launch } = this.host;
    this.plan = this.planSteps();
    if (launch.stopOnEntry && !launch.noDebug) {
      this.pendingStop = 'entry';
    }
    const started = performance.now();
    try {
      while (this.position < this.plan.length && !this.terminateRequested) {
        const step = this.plan[this.position]!;
        const blocker = step.dependencies.find((d) => this.failed.has(d));
        if (blocker) {
          this.say(
            'console',
            `– ${step.layer} ${step.name}: skipped, '${blocker}' did not complete`,
          );
          this.failed.add(step.name);
          this.position += 1;
          continue;
        }
        const reason = await this.stopReasonBefore(step);
        const next = reason
          ? await this.stopAndApply({ at: 'before', step: step.name }, reason.reason, reason.ids)
          : 'run';
        if (next === 'end') {
          break;
        }
        if (next === 'run' && (await this.runCurrent(step)) === 'end') {
          break;
        }
      }
    } finally {
      this.historyWrites = this.writeHistory();
      await this.historyWrites;
      this.summary(performance.now() - started);
      this.emit('terminated');
    }
  }

  /** Resumes a paused runtime with a command. */
  command(command: Command): void {
    const resume = this.resume;
    if (resume) {
      this.resume = undefined;
      this.paused = undefined;
      resume(command);
      return;
    }
    if (command.kind === 'terminate') {
      this.terminateRequested = true;
      this.abort?.abort();
    }
  }

  /** Interrupts the running query and stops before the step that was running. */
  pause(): void {
    if (this.resume) {
      return;
    }
    this.pauseRequested = true;
    this.abort?.abort();
  }

  /** Reruns a step with new params now, outside the stepping flow (for the rerun request). */
  async rerunNow(name: string, params: Record<string, unknown> | undefined): Promise<StepResult> {
    if (params) {
      this.stepParams[name] = { ...params };
    }
    const step = this.host.step(name);
    if (!step) {
      throw new Error(`There is no step named '${name}'.`);
    }
    for (const stale of downstreamOf(this.host.steps, name)) {
      delete this.context[stale];
      this.invalid.delete(stale);
      this.results.delete(stale);
    }
    const mode = this.stepMode;
    this.stepMode = 'run';
    try {
      return await this.execute(step);
    } finally {
      this.stepMode = mode;
      this.historyWrites = this.writeHistory();
      await this.historyWrites;
    }
  }

  private planSteps(): Step[] {
    const { steps, launch } = this.host;
    if (launch.only) {
      return steps.filter((s) => s.name === launch.only);
    }
    if (launch.until) {
      const wanted = new Set([...upstreamOf(steps, launch.until), launch.until]);
      return steps.filter((s) => wanted.has(s.name));
    }
    return [...steps];
  }

  private async stopReasonBefore(
    step: Step,
  ): Promise<{ reason: StopReason; ids?: number[] } | undefined> {
    if (this.pendingStop) {
      const reason = this.pendingStop;
      this.pendingStop = undefined;
      return { reason };
    }
    if (this.skipStop) {
      this.skipStop = false;
      return undefined;
    }
    if (this.host.launch.noDebug) {
      return undefined;
    }
    if (this.pauseRequested) {
      this.pauseRequested = false;
      return { reason: 'pause' };
    }
    if (this.mode !== 'run') {
      const reason = this.restartStop ? 'restart' : 'step';
      this.restartStop = false;
      return { reason };
    }
    return this.policy.beforeStep(step);
  }

  /** Runs the step at the current position and handles what follows it. */
  private async runCurrent(step: Step): Promise<'again' | 'end'> {
    this.snapshots.push(this.snapshot());
    this.stepMode = this.mode;
    const result = await this.execute(step);
    if (this.abandoned) {
      const command = this.abandoned;
      this.abandoned = undefined;
      this.restore(this.snapshots.pop()!);
      if (command.kind === 'stepBack') {
        this.pendingStop = 'step';
        return 'again';
      }
      return this.settle(this.apply(command, 'before'));
    }
    if (result.status === 'cancelled') {
      this.restore(this.snapshots.pop()!);
      if (this.terminateRequested) {
        return 'end';
      }
      this.pendingStop = 'pause';
      return 'again';
    }
    this.mode = this.stepMode;
    if (!this.host.launch.noDebug) {
      const exception = this.policy.afterStep(result);
      const point = {
        at: result.status === 'completed' ? 'after' : 'failed',
        step: step.name,
      } as const;
      if (exception) {
        return this.settle(await this.stopAndApply(point, 'exception', undefined, exception));
      }
      if (this.host.launch.until === step.name) {
        return this.settle(await this.stopAndApply(point, 'step'));
      }
    }
    this.position += 1;
    return 'again';
  }

  private settle(next: 'run' | 'again' | 'end'): 'again' | 'end' {
    return next === 'end' ? 'end' : 'again';
  }

  /** Runs one step through the engine and records what it did. */
  private async execute(step: Step): Promise<StepResult> {
    await this.historyWrites;
    const runner = new SimplePipelineRunner(this.host.session, this.host.definition.config);
    const controller = new AbortController();
    this.abort = controller;
    this.running = step.name;
    const progressId = `step-${++this.progressCount}`;
    this.emit('progressStart', {
      id: progressId,
      title: `Running ${step.layer} step ${step.name}`,
    });
    try {
      const [report, context] = await runner.runStep(step.name, this.host.steps, {
        mode: this.host.launch.mode,
        context: this.context,
        stepParams: this.stepParams,
        writeOutputs: this.host.launch.writeOutputs,
        bronzeSources: this.host.definition.sources,
        signal: controller.signal,
        pipelineName: this.host.launch.pipeline,
        onEvent: (event) => this.onRunEvent(event, progressId),
        historySink: (rows) => this.pendingHistory.push(...rows),
      });
      const result = findStepResult(report, step.name)!;
      if (!this.abandoned && result.status !== 'cancelled') {
        this.context = context;
        this.results.set(step.name, result);
        this.report(result);
        if (result.status === 'completed') {
          this.failed.delete(step.name);
        } else {
          this.failed.add(step.name);
        }
      }
      return result;
    } finally {
      this.emit('progressEnd', { id: progressId });
      this.abort = undefined;
      this.running = undefined;
      this.phaseOutput = undefined;
      this.phaseResult = undefined;
    }
  }

  private async onRunEvent(event: RunEvent, progressId: string): Promise<void> {
    switch (event.type) {
      case 'stepProgress':
        this.emit('progressUpdate', { id: progressId, percentage: event.percent });
        return;
      case 'stepFinished':
        if (event.invalid) {
          this.invalid.set(event.step.name, event.invalid);
        }
        return;
      case 'phaseFinished': {
        if (event.phase === 'transform') {
          this.phaseOutput = event.output;
        }
        if (event.result) {
          this.phaseResult = event.result;
        }
        if (event.invalid) {
          this.invalid.set(event.step.name, event.invalid);
        }
        if (this.stepMode !== 'stepIn' || this.host.launch.noDebug) {
          return;
        }
        const command = await this.stop(
          { at: 'phase', step: event.step.name, phase: event.phase },
          'step',
        );
        if (command.kind === 'stepIn') {
          return;
        }
        if (command.kind === 'next' || command.kind === 'stepOut') {
          this.stepMode = 'next';
          return;
        }
        if (command.kind === 'continue') {
          this.stepMode = 'run';
          return;
        }
        this.abandoned = command;
        throw new AbandonStep(command);
      }
      case 'runStarted':
      case 'stepStarted':
      case 'runFinished':
        return;
    }
  }

  private stop(
    point: PausePoint,
    reason: StopReason,
    ids?: number[],
    description?: string,
  ): Promise<Command> {
    return new Promise((resolve) => {
      this.paused = point;
      this.resume = resolve;
      this.emit('stopped', {
        reason,
        point,
        ...(ids ? { ids } : {}),
        ...(description ? { description } : {}),
      });
      this.historyWrites = this.writeHistory();
    });
  }

  /** Writes the run history of the steps run so far, after the stop has been reported. */
  private async writeHistory(): Promise<void> {
    await this.historyWrites;
    const rows = this.pendingHistory.splice(0);
    if (rows.length === 0) {
      return;
    }
    try {
      await this.host.session.warehouse.appendHistory(rows);
    } catch (error) {
      this.say(
        'stderr',
        `Could not record the run history: ${error instanceof Error ? error.message : String(error)}`,
      );
    }
  }

  private async stopAndApply(
    point: PausePoint,
    reason: StopReason,
    ids?: number[],
    description?: string,
  ): Promise<'run' | 'again' | 'end'> {
    const command = await this.stop(point, reason, ids, description);
    return this.apply(command, point.at === 'before' ? 'before' : 'after');
  }

  /**
   * Applies a command given at a stop before or after the current step: `run` runs the current
   * step now, `again` goes back to the top of the loop (the position may have moved).
   */
  private apply(command: Command, where: 'before' | 'after'): 'run' | 'again' | 'end' {
    const resume = (mode: RunMode): 'run' | 'again' => {
      this.mode = mode;
      if (where === 'after') {
        this.position += 1;
        return 'again';
      }
      return 'run';
    };
    switch (command.kind) {
      case 'continue':
        return resume('run');
      case 'next':
      case 'stepOut':
        return resume('next');
      case 'stepIn':
        return resume('stepIn');
      case 'stepBack': {
        const target = this.snapshots.pop();
        if (target) {
          this.restore(target);
        }
        this.pendingStop = 'step';
        return 'again';
      }
      case 'reverseContinue': {
        let target = this.snapshots.pop();
        while (
          target &&
          this.snapshots.length > 0 &&
          !this.policy.hasBreakpoint(this.plan[target.position]!.name)
        ) {
          target = this.snapshots.pop();
        }
        if (target) {
          this.restore(target);
        }
        const onBreakpoint = target && this.policy.hasBreakpoint(this.plan[target.position]!.name);
        this.pendingStop = onBreakpoint ? 'breakpoint' : 'entry';
        return 'again';
      }
      case 'restartFrame':
        return this.restartFrame(command.step);
      case 'terminate':
        this.terminateRequested = true;
        return 'end';
    }
  }

  /** Reruns a step of the stack with the current params: its downstream outputs are dropped. */
  private restartFrame(name: string): 'again' {
    const index = this.plan.findIndex((s) => s.name === name);
    if (index < 0) {
      this.pendingStop = 'restart';
      return 'again';
    }
    while (
      this.snapshots.length > 0 &&
      this.snapshots[this.snapshots.length - 1]!.position >= index
    ) {
      this.snapshots.pop();
    }
    for (const stale of [name, ...downstreamOf(this.host.steps, name)]) {
      delete this.context[stale];
      this.invalid.delete(stale);
      this.results.delete(stale);
      this.failed.delete(stale);
    }
    this.position = index;
    this.skipStop = true;
    this.restartStop = true;
    this.mode = 'next';
    return 'again';
  }

  private snapshot(): Snapshot {
    return {
      position: this.position,
      context: { ...this.context },
      invalid: new Map(this.invalid),
      results: new Map(this.results),
    };
  }

  private restore(snapshot: Snapshot): void {
    this.position = snapshot.position;
    this.context = { ...snapshot.context };
    this.invalid.clear();
    snapshot.invalid.forEach((v, k) => this.invalid.set(k, v));
    this.results.clear();
    snapshot.results.forEach((v, k) => this.results.set(k, v));
    for (const name of this.failed) {
      if (!snapshot.results.has(name) || snapshot.results.get(name)?.status === 'completed') {
        this.failed.delete(name);
      }
    }
  }

  private report(result: StepResult): void {
    const time = `${(result.durationMs / 1000).toFixed(result.durationMs < 10_000 ? 2 : 1)} s`;
    if (result.status === 'completed') {
      // Output rows and the share of them that is valid, as the CLI and the lenses put it.
      const rows = `${result.outputRows.toLocaleString('en-US')} ${result.outputRows === 1 ? 'row' : 'rows'}`;
      this.say(
        'console',
        `✓ ${result.layer} ${result.name} · ${rows} · ${formatRate(result)} valid · ${time}`,
      );
    } else {
      this.say('stderr', `✗ ${result.layer} ${result.name} · ${result.error ?? result.status}`);
    }
  }

  private summary(ms: number): void {
    const results = [...this.results.values()];
    const failed = results.filter((r) => r.status !== 'completed').length;
    const status = failed > 0 ? 'failed' : this.terminateRequested ? 'stopped' : 'completed';
    this.emit('finished', { status, results, durationMs: ms });
    // The summary goes to the console only: the editor shows its own message when a run ends.
    this.say(
      'console',
      `Pipeline ${status}: ${results.length} step(s) run, ${failed} failed · ${(ms / 1000).toFixed(2)} s`,
    );
  }

  private say(category: 'console' | 'stderr' | 'important', text: string): void {
    this.emit('output', { category, text: `${text}\n` });
  }
}
