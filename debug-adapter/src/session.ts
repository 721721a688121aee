/**
 * The debug session: routes debug-protocol requests to the runtime, the breakpoint store and the
 * variable store, and turns runtime events into protocol events. Handlers unpack, call, respond.
 */
import {
  BreakpointEvent,
  Event,
  InitializedEvent,
  Logger,
  logger,
  LoggingDebugSession,
  OutputEvent,
  ProgressEndEvent,
  ProgressStartEvent,
  ProgressUpdateEvent,
  Scope,
  Source,
  StackFrame,
  StoppedEvent,
  TerminatedEvent,
  Thread,
} from '@vscode/debugadapter';
import type { DebugProtocol } from '@vscode/debugprotocol';
import type { DataFrame } from '../../engine/src/index.js';
import { watch, type FSWatcher } from 'node:fs';
import { basename, dirname } from 'node:path';
import {
  PREVIEW_PAGE_REQUEST,
  RUN_FINISHED_EVENT,
  type RunFinishedEventBody,
  RERUN_STEP_REQUEST,
  STEP_GRAPH_REQUEST,
  type PreviewPageArguments,
  type RerunStepArguments,
  type StepwiseLaunchArguments,
} from '../../protocol/debugProtocol.js';
import { BreakpointStore, EXCEPTION_FILTERS } from './breakpoints.js';
import { completions } from './completions.js';
import { ContextSql } from './contextSql.js';
import { previewPage, rerunStep, stepGraph } from './customRequests.js';
import { checkLaunchArguments, LaunchError } from './launchArguments.js';
import { PipelineHost } from './pipelineHost.js';
import { DebugRuntime } from './runtime.js';
import { scopesOf } from './scopes.js';
import type { Command } from './stepControl.js';
import { VariableStore } from './variables.js';
import { frameLocation, hoverText } from './views.js';

const THREAD_ID = 1;

/** Error ids of the responses this adapter sends. */
const enum ErrorId {
  Launch = 1001,
  NotPaused = 1002,
  Evaluate = 1003,
  Request = 1004,
}

/** A Stepwise debug session over the debug adapter protocol. */
export class StepwiseDebugSession extends LoggingDebugSession {
  private host: PipelineHost | undefined;
  private runtime: DebugRuntime | undefined;
  private breakpoints: BreakpointStore | undefined;
  private contextSql: ContextSql | undefined;
  private readonly store = new VariableStore(() => this.host?.launch.previewRows ?? 100);
  private readonly frames = new Map<number, string>();
  private configured!: () => void;
  private readonly configurationDone = new Promise<void>((r) => (this.configured = r));
  private running: Promise<void> | undefined;
  private watcher: FSWatcher | undefined;
  private progress = false;

  constructor() {
    super();
    this.setDebuggerLinesStartAt1(true);
    this.setDebuggerColumnsStartAt1(true);
  }

  protected override initializeRequest(
    response: DebugProtocol.InitializeResponse,
    args: DebugProtocol.InitializeRequestArguments,
  ): void {
    this.progress = args.supportsProgressReporting === true;
    response.body = {
      supportsConfigurationDoneRequest: true,
      supportsFunctionBreakpoints: true,
      supportsConditionalBreakpoints: true,
      supportsHitConditionalBreakpoints: true,
      supportsLogPoints: true,
      supportsEvaluateForHovers: true,
      supportsStepBack: true,
      supportsRestartFrame: true,
      supportsSetVariable: true,
      supportsCompletionsRequest: true,
      completionTriggerCharacters: ['.', ' '],
      supportsExceptionInfoRequest: true,
      supportsTerminateRequest: true,
      exceptionBreakpointFilters: EXCEPTION_FILTERS,
    };
    this.sendResponse(response);
  }

  protected override launchRequest(
    response: DebugProtocol.LaunchResponse,
    args: DebugProtocol.LaunchRequestArguments & Partial<StepwiseLaunchArguments>,
  ): void {
    void this.handleLaunchRequest(response, args);
  }

  private async handleLaunchRequest(
    response: DebugProtocol.LaunchResponse,
    args: DebugProtocol.LaunchRequestArguments & Partial<StepwiseLaunchArguments>,
  ): Promise<void> {
    try {
      const launch = checkLaunchArguments(args, process.cwd());
      logger.setup(launch.trace ? Logger.LogLevel.Verbose : Logger.LogLevel.Stop, false);
      this.host = await PipelineHost.open(launch);
    } catch (error) {
      const attribute = error instanceof LaunchError ? error.attribute : 'pipeline';
      this.sendErrorResponse(response, {
        id: ErrorId.Launch,
        format: message(error),
        showUser: true,
        variables: { attribute },
      });
      this.sendEvent(new TerminatedEvent());
      return;
    }
    const host = this.host;
    this.contextSql = new ContextSql(host.session);
    const expose = (): Promise<void> =>
      this.contextSql!.expose(this.runtime!.context, this.runtime!.invalid);
    this.breakpoints = new BreakpointStore(host, this.contextSql, expose, (text) =>
      this.output('console', text),
    );
    this.runtime = new DebugRuntime(host, this.breakpoints);
    this.wireRuntime(this.runtime);
    this.watchPipeline(host);
    this.sendEvent(new InitializedEvent());
    await this.configurationDone;
    this.sendResponse(response);
    this.running = this.runtime.run().catch((error: unknown) => {
      this.output('stderr', `The debug session failed: ${message(error)}\n`);
      this.sendEvent(new TerminatedEvent());
    });
  }

  protected override configurationDoneRequest(
    response: DebugProtocol.ConfigurationDoneResponse,
  ): void {
    this.configured();
    this.sendResponse(response);
  }

  protected override setBreakPointsRequest(
    response: DebugProtocol.SetBreakpointsResponse,
    args: DebugProtocol.SetBreakpointsArguments,
  ): void {
    response.body = {
      breakpoints:
        this.breakpoints?.setLineBreakpoints(args.source.path, args.breakpoints ?? []) ?? [],
    };
    this.sendResponse(response);
  }

  protected override setFunctionBreakPointsRequest(
    response: DebugProtocol.SetFunctionBreakpointsResponse,
    args: DebugProtocol.SetFunctionBreakpointsArguments,
  ): void {
    response.body = {
      breakpoints: this.breakpoints?.setFunctionBreakpoints(args.breakpoints) ?? [],
    };
    this.sendResponse(response);
  }

  protected override setExceptionBreakPointsRequest(
    response: DebugProtocol.SetExceptionBreakpointsResponse,
    args: DebugProtocol.SetExceptionBreakpointsArguments,
  ): void {
    this.breakpoints?.setExceptionFilters(args.filters);
    this.sendResponse(response);
  }

  protected override threadsRequest(response: DebugProtocol.ThreadsResponse): void {
    response.body = { threads: [new Thread(THREAD_ID, 'pipeline')] };
    this.sendResponse(response);
  }

  protected override stackTraceRequest(response: DebugProtocol.StackTraceResponse): void {
    const runtime = this.runtime;
    const point = runtime?.paused;
    if (!runtime || !point) {
      response.body = { stackFrames: [], totalFrames: 0 };
      this.sendResponse(response);
      return;
    }
    const file = runtime.host.launch.pipeline;
    const frames = runtime.stackOf(point).map((name, i) => {
      const id = i + 1;
      this.frames.set(id, name);
      const where = frameLocation(runtime, point, name, i === 0);
      return new StackFrame(
        id,
        where.title,
        new Source(basename(file), file),
        where.line,
        where.column,
      );
    });
    response.body = { stackFrames: frames, totalFrames: frames.length };
    this.sendResponse(response);
  }

  protected override scopesRequest(
    response: DebugProtocol.ScopesResponse,
    args: DebugProtocol.ScopesArguments,
  ): void {
    const step = this.frames.get(args.frameId);
    response.body = {
      scopes: this.runtime && step ? scopesOf(this.runtime, this.store, step).map(toScope) : [],
    };
    this.sendResponse(response);
  }

  protected override variablesRequest(
    response: DebugProtocol.VariablesResponse,
    args: DebugProtocol.VariablesArguments,
  ): void {
    void this.handleVariablesRequest(response, args);
  }

  private async handleVariablesRequest(
    response: DebugProtocol.VariablesResponse,
    args: DebugProtocol.VariablesArguments,
  ): Promise<void> {
    await this.respond(response, async () => ({
      variables: await this.store.variables(args.variablesReference, args.start, args.count),
    }));
  }

  protected override setVariableRequest(
    response: DebugProtocol.SetVariableResponse,
    args: DebugProtocol.SetVariableArguments,
  ): void {
    const target = this.store.editableParam(args.variablesReference, args.name);
    if (!this.runtime || !target) {
      this.sendErrorResponse(response, {
        id: ErrorId.Request,
        format: `'${args.name}' cannot be changed; only a step's params (Step › params) can.`,
        showUser: true,
      });
      return;
    }
    const value = parseValue(args.value);
    this.runtime.stepParams[target.step] = {
      ...this.runtime.stepParams[target.step],
      [target.key]: value,
    };
    response.body = { value: JSON.stringify(value) };
    this.sendResponse(response);
  }

  protected override evaluateRequest(
    response: DebugProtocol.EvaluateResponse,
    args: DebugProtocol.EvaluateArguments,
  ): void {
    void this.handleEvaluateRequest(response, args);
  }

  private async handleEvaluateRequest(
    response: DebugProtocol.EvaluateResponse,
    args: DebugProtocol.EvaluateArguments,
  ): Promise<void> {
    const runtime = this.runtime;
    if (!runtime || !this.contextSql) {
      this.sendErrorResponse(response, {
        id: ErrorId.NotPaused,
        format: 'No pipeline is being debugged.',
      });
      return;
    }
    if (args.context === 'hover') {
      const text = hoverText(runtime, args.expression);
      if (text === undefined) {
        this.sendErrorResponse(response, {
          id: ErrorId.Evaluate,
          format: 'not a step',
          showUser: false,
        });
      } else {
        response.body = { result: text, variablesReference: 0 };
        this.sendResponse(response);
      }
      return;
    }
    const sql = this.contextSql;
    await this.respond(
      response,
      async () => {
        await sql.expose(runtime.context, runtime.invalid);
        const result = await sql.evaluate(args.expression);
        if ('message' in result) {
          return { result: result.message, variablesReference: 0 };
        }
        const variable = await this.store.frameVariable('result', result.frame);
        const single = await singleValue(result.frame);
        return {
          result: single ?? variable.value,
          type: 'DataFrame',
          variablesReference: variable.variablesReference,
          namedVariables: 3,
        };
      },
      ErrorId.Evaluate,
      args.context === 'repl',
    );
  }

  protected override completionsRequest(
    response: DebugProtocol.CompletionsResponse,
    args: DebugProtocol.CompletionsArguments,
  ): void {
    void this.handleCompletionsRequest(response, args);
  }

  private async handleCompletionsRequest(
    response: DebugProtocol.CompletionsResponse,
    args: DebugProtocol.CompletionsArguments,
  ): Promise<void> {
    await this.respond(response, async () => ({
      targets: this.runtime ? await completions(this.runtime, args.text, args.column) : [],
    }));
  }

  protected override exceptionInfoRequest(response: DebugProtocol.ExceptionInfoResponse): void {
    const point = this.runtime?.paused;
    const result = point ? this.runtime?.results.get(point.step) : undefined;
    const error =
      result?.error ??
      (result && result.invalidRows > 0 ? `${result.invalidRows} invalid rows` : 'No exception');
    response.body = {
      exceptionId: exceptionKind(result),
      description: error,
      breakMode: 'always',
      details: { message: error, ...(result?.errorStack ? { stackTrace: result.errorStack } : {}) },
    };
    this.sendResponse(response);
  }

  protected override continueRequest(response: DebugProtocol.ContinueResponse): void {
    this.resume(response, { kind: 'continue' });
  }
  protected override nextRequest(response: DebugProtocol.NextResponse): void {
    this.resume(response, { kind: 'next' });
  }
  protected override stepInRequest(response: DebugProtocol.StepInResponse): void {
    this.resume(response, { kind: 'stepIn' });
  }
  protected override stepOutRequest(response: DebugProtocol.StepOutResponse): void {
    this.resume(response, { kind: 'stepOut' });
  }
  protected override stepBackRequest(response: DebugProtocol.StepBackResponse): void {
    this.resume(response, { kind: 'stepBack' });
  }
  protected override reverseContinueRequest(response: DebugProtocol.ReverseContinueResponse): void {
    this.resume(response, { kind: 'reverseContinue' });
  }
  protected override restartFrameRequest(
    response: DebugProtocol.RestartFrameResponse,
    args: DebugProtocol.RestartFrameArguments,
  ): void {
    const step = this.frames.get(args.frameId);
    if (!step) {
      this.sendErrorResponse(response, {
        id: ErrorId.Request,
        format: 'That frame is gone; pause again and retry.',
      });
      return;
    }
    this.resume(response, { kind: 'restartFrame', step });
  }

  protected override pauseRequest(response: DebugProtocol.PauseResponse): void {
    this.runtime?.pause();
    this.sendResponse(response);
  }

  protected override terminateRequest(response: DebugProtocol.TerminateResponse): void {
    void this.handleTerminateRequest(response);
  }

  private async handleTerminateRequest(response: DebugProtocol.TerminateResponse): Promise<void> {
    await this.shutDown();
    this.sendResponse(response);
  }

  protected override disconnectRequest(response: DebugProtocol.DisconnectResponse): void {
    void this.handleDisconnectRequest(response);
  }

  private async handleDisconnectRequest(response: DebugProtocol.DisconnectResponse): Promise<void> {
    await this.shutDown();
    this.sendResponse(response);
  }

  protected override customRequest(
    command: string,
    response: DebugProtocol.Response,
    args: unknown,
  ): void {
    void this.handleCustomRequest(command, response, args);
  }

  private async handleCustomRequest(
    command: string,
    response: DebugProtocol.Response,
    args: unknown,
  ): Promise<void> {
    const runtime = this.runtime;
    if (!runtime) {
      this.sendErrorResponse(response, {
        id: ErrorId.NotPaused,
        format: 'No pipeline is being debugged.',
      });
      return;
    }
    switch (command) {
      case PREVIEW_PAGE_REQUEST:
        await this.respond(response, () => previewPage(runtime, args as PreviewPageArguments));
        return;
      case RERUN_STEP_REQUEST:
        await this.respond(response, () => rerunStep(runtime, args as RerunStepArguments));
        return;
      case STEP_GRAPH_REQUEST:
        await this.respond(response, () => Promise.resolve(stepGraph(runtime)));
        return;
      default:
        super.customRequest(command, response, args);
    }
  }

  private resume(response: DebugProtocol.Response, command: Command): void {
    if (!this.runtime?.paused) {
      this.sendErrorResponse(response, {
        id: ErrorId.NotPaused,
        format: 'The pipeline is not paused.',
      });
      return;
    }
    this.store.reset();
    this.frames.clear();
    this.runtime.command(command);
    this.sendResponse(response);
  }

  private async respond(
    response: DebugProtocol.Response,
    body: () => Promise<unknown>,
    errorId: ErrorId = ErrorId.Request,
    showUser = false,
  ): Promise<void> {
    try {
      response.body = await body();
      this.sendResponse(response);
    } catch (error) {
      this.sendErrorResponse(response, { id: errorId, format: message(error), showUser });
    }
  }

  private wireRuntime(runtime: DebugRuntime): void {
    runtime.on('stopped', (e) => {
      this.store.reset();
      this.frames.clear();
      const event: DebugProtocol.StoppedEvent = new StoppedEvent(
        e.reason,
        THREAD_ID,
        e.description,
      );
      if (e.ids) {
        event.body.hitBreakpointIds = e.ids;
      }
      if (e.description) {
        event.body.text = e.description;
      }
      this.sendEvent(event);
    });
    runtime.on('output', (e) => this.output(e.category, e.text));
    runtime.on(
      'progressStart',
      (e) => this.progress && this.sendEvent(new ProgressStartEvent(e.id, e.title)),
    );
    runtime.on(
      'progressUpdate',
      (e) =>
        this.progress &&
        this.sendEvent(new ProgressUpdateEvent(e.id, `${e.percentage.toFixed(0)}%`)),
    );
    runtime.on('progressEnd', (e) => this.progress && this.sendEvent(new ProgressEndEvent(e.id)));
    runtime.on('finished', (e) => {
      const body: RunFinishedEventBody = {
        pipeline: runtime.host.launch.pipeline,
        status: e.status,
        durationMs: e.durationMs,
        steps: e.results.map((r) => ({
          name: r.name,
          layer: r.layer,
          status: r.status,
          outputRows: r.outputRows,
          validRows: r.validRows,
          validationRate: r.validationRate,
          durationMs: r.durationMs,
          error: r.error,
          line: runtime.host.stepLine(r.name),
        })),
      };
      this.sendEvent(new Event(RUN_FINISHED_EVENT, body));
    });
    runtime.on('terminated', () => this.sendEvent(new TerminatedEvent()));
  }

  private watchPipeline(host: PipelineHost): void {
    let timer: NodeJS.Timeout | undefined;
    try {
      // Editors often save by replacing the file, so watch its folder rather than its inode.
      const file = basename(host.launch.pipeline);
      this.watcher = watch(dirname(host.launch.pipeline), (_event, name) => {
        if (name !== file) {
          return;
        }
        clearTimeout(timer);
        timer = setTimeout(() => {
          host.rescanSource();
          for (const bp of this.breakpoints?.remap() ?? []) {
            this.sendEvent(new BreakpointEvent('changed', bp));
          }
        }, 50);
      });
    } catch {
      this.watcher = undefined;
    }
  }

  private output(category: 'console' | 'stderr' | 'important', text: string): void {
    this.sendEvent(new OutputEvent(text, category));
  }

  private async shutDown(): Promise<void> {
    this.watcher?.close();
    this.runtime?.command({ kind: 'terminate' });
    this.configured?.();
    await this.running;
    this.host?.close();
    this.host = undefined;
  }
}

function toScope(scope: DebugProtocol.Scope): Scope {
  return new Scope(scope.name, scope.variablesReference, scope.expensive);
}

function parseValue(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** A short id for why a step stopped as an exception. */
function exceptionKind(result: { status: string; error: string | null } | undefined): string {
  if (result?.status !== 'failed') {
    return 'invalid rows';
  }
  return result.error?.includes('threshold') ? 'below threshold' : 'step failed';
}

/** The value of a one-row, one-column result, exactly as DuckDB prints it; else undefined. */
async function singleValue(frame: DataFrame): Promise<string | undefined> {
  if ((await frame.count()) !== 1 || (await frame.columns()).length !== 1) {
    return undefined;
  }
  const { text, params } = await frame.compile();
  const reader = await frame.session.query(
    `SELECT CAST(COLUMNS(*) AS VARCHAR) FROM (${text})`,
    params,
  );
  const value = reader.getRows()[0]?.[0];
  return value === null || value === undefined ? 'NULL' : String(value);
}
