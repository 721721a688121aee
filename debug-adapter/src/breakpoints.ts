/**
 * The breakpoint store: line breakpoints map to the step whose definition holds the line,
 * function breakpoints name steps, and exception filters pick which step outcomes stop. It decides
 * where the runtime stops, applying conditions, hit counts and log points.
 */
import type { DebugProtocol } from '@vscode/debugprotocol';
import type { Step, StepResult } from '../../engine/src/index.js';
import { stepAt } from '../../engine/src/source/stepDefinitions.js';
import type { ContextSql } from './contextSql.js';
import type { PipelineHost } from './pipelineHost.js';
import type { StopPolicy } from './runtime.js';
import type { StopReason } from './stepControl.js';

/** The exception filters offered to the client. */
export const EXCEPTION_FILTERS: DebugProtocol.ExceptionBreakpointsFilter[] = [
  {
    filter: 'stepFailed',
    label: 'Step failed',
    description: 'Stop when a step fails.',
    default: true,
  },
  {
    filter: 'belowThreshold',
    label: 'Below threshold',
    description: "Stop when a step's valid-row rate is below its layer's threshold.",
    default: true,
  },
  {
    filter: 'invalidRows',
    label: 'Any invalid rows',
    description: 'Stop after a step that produced invalid rows.',
    default: false,
  },
];

interface StoredBreakpoint {
  id: number;
  /** The line the user asked for (1-based), kept to re-map after edits. */
  requestedLine?: number;
  step: string | undefined;
  condition?: string;
  hitCondition?: string;
  logMessage?: string;
  hits: number;
  kind: 'line' | 'function';
}

/** Where the runtime stops, from the user's breakpoints and exception filters. */
export class BreakpointStore implements StopPolicy {
  private lines: StoredBreakpoint[] = [];
  private functions: StoredBreakpoint[] = [];
  private filters = new Set(EXCEPTION_FILTERS.filter((f) => f.default).map((f) => f.filter));
  private nextId = 1;

  constructor(
    private readonly host: PipelineHost,
    private readonly sql: ContextSql,
    private readonly exposeContext: () => Promise<void>,
    private readonly log: (text: string) => void,
  ) {}

  /** Replaces the line breakpoints of a file; only the pipeline's own file can hold them. */
  setLineBreakpoints(
    path: string | undefined,
    requested: DebugProtocol.SourceBreakpoint[],
  ): DebugProtocol.Breakpoint[] {
    const ours = path !== undefined && samePath(path, this.host.launch.pipeline);
    this.lines = requested.map((b) => ({
      id: this.nextId++,
      requestedLine: b.line,
      step: ours ? this.stepOnLine(b.line) : undefined,
      ...(b.condition ? { condition: b.condition } : {}),
      ...(b.hitCondition ? { hitCondition: b.hitCondition } : {}),
      ...(b.logMessage ? { logMessage: b.logMessage } : {}),
      hits: 0,
      kind: 'line' as const,
    }));
    return this.lines.map((b) => this.describe(b, ours));
  }

  /** Replaces the function breakpoints; each names a step. */
  setFunctionBreakpoints(
    requested: DebugProtocol.FunctionBreakpoint[],
  ): DebugProtocol.Breakpoint[] {
    this.functions = requested.map((b) => ({
      id: this.nextId++,
      step: this.host.step(b.name) ? b.name : undefined,
      ...(b.condition ? { condition: b.condition } : {}),
      ...(b.hitCondition ? { hitCondition: b.hitCondition } : {}),
      hits: 0,
      kind: 'function' as const,
    }));
    return this.functions.map((b, i) => ({
      id: b.id,
      verified: b.step !== undefined,
      ...(b.step === undefined
        ? { message: `There is no step named '${requested[i]!.name}' in this pipeline.` }
        : { line: this.host.stepLine(b.step), source: { path: this.host.launch.pipeline } }),
    }));
  }

  /** Sets the exception filters that are on. */
  setExceptionFilters(filters: string[]): void {
    this.filters = new Set(filters);
  }

  /** Maps line breakpoints again after the file changed; returns those that moved or changed. */
  remap(): DebugProtocol.Breakpoint[] {
    const changed: DebugProtocol.Breakpoint[] = [];
    for (const b of this.lines) {
      const before = b.step;
      if (b.step !== undefined && this.host.sourceSteps.some((d) => d.name === b.step)) {
        // The step is still in the file: the breakpoint follows it, not the old line number,
        // which after an edit above it may lie inside another step.
        b.requestedLine = this.host.stepLine(b.step);
      } else {
        b.step = b.requestedLine === undefined ? undefined : this.stepOnLine(b.requestedLine);
      }
      if (before !== b.step || b.step !== undefined) {
        changed.push(this.describe(b, true));
      }
    }
    return changed;
  }

  async beforeStep(step: Step): Promise<{ reason: StopReason; ids: number[] } | undefined> {
    const ids: number[] = [];
    let reason: StopReason | undefined;
    for (const b of [...this.lines, ...this.functions]) {
      if (b.step !== step.name || !(await this.passes(b))) {
        continue;
      }
      if (b.logMessage !== undefined) {
        await this.exposeContext();
        this.log(`${await this.sql.interpolate(b.logMessage)}\n`);
        continue;
      }
      ids.push(b.id);
      reason ??= b.kind === 'line' ? 'breakpoint' : 'function breakpoint';
    }
    return reason ? { reason, ids } : undefined;
  }

  afterStep(result: StepResult): string | undefined {
    if (result.status === 'failed') {
      const threshold = result.error?.includes('below the') && result.error.includes('threshold');
      if (threshold && this.filters.has('belowThreshold')) {
        return `Below threshold: ${result.error}`;
      }
      if (!threshold && this.filters.has('stepFailed')) {
        return `Step failed: ${result.error}`;
      }
      return undefined;
    }
    if (
      result.status === 'completed' &&
      result.invalidRows > 0 &&
      this.filters.has('invalidRows')
    ) {
      return `${result.invalidRows.toLocaleString('en-US')} invalid rows in '${result.name}'`;
    }
    return undefined;
  }

  hasBreakpoint(step: string): boolean {
    return [...this.lines, ...this.functions].some(
      (b) => b.step === step && b.logMessage === undefined,
    );
  }

  private stepOnLine(line: number): string | undefined {
    return stepAt(this.host.sourceSteps, line - 1)?.name;
  }

  private describe(b: StoredBreakpoint, ours: boolean): DebugProtocol.Breakpoint {
    if (b.step === undefined) {
      return {
        id: b.id,
        verified: false,
        ...(b.requestedLine !== undefined ? { line: b.requestedLine } : {}),
        message: ours
          ? `Line ${b.requestedLine} is not inside a step. Put the breakpoint on a step's definition ` +
            '(new BronzeStep / SilverStep / GoldStep) to stop before that step runs.'
          : `Only the pipeline being debugged (${this.host.launch.pipeline}) can hold breakpoints.`,
      };
    }
    return {
      id: b.id,
      verified: true,
      line: this.host.stepLine(b.step),
      source: { path: this.host.launch.pipeline },
    };
  }

  private async passes(b: StoredBreakpoint): Promise<boolean> {
    if (b.condition) {
      await this.exposeContext();
      try {
        if (!(await this.sql.condition(b.condition))) {
          return false;
        }
      } catch (error) {
        this.log(
          `Breakpoint condition '${b.condition}' failed: ${error instanceof Error ? error.message : String(error)}\n`,
        );
        return true;
      }
    }
    b.hits += 1;
    return b.hitCondition ? hitConditionHolds(b.hitCondition, b.hits) : true;
  }
}

/** Whether a hit condition such as `3`, `>= 3` or `% 2` holds at the n-th hit. */
export function hitConditionHolds(condition: string, hits: number): boolean {
  const match = /^\s*(>=|<=|==|=|>|<|%)?\s*(\d+)\s*$/.exec(condition);
  if (!match) {
    return true;
  }
  const n = Number(match[2]);
  switch (match[1] ?? '==') {
    case '>':
      return hits > n;
    case '>=':
      return hits >= n;
    case '<':
      return hits < n;
    case '<=':
      return hits <= n;
    case '%':
      return n > 0 && hits % n === 0;
    case '=':
    case '==':
      return hits === n;
    default:
      return true;
  }
}

function samePath(a: string, b: string): boolean {
  return a === b || a.toLowerCase() === b.toLowerCase();
}
