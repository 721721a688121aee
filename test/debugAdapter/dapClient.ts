/**
 * A debug-protocol client for the built Stepwise debug adapter: it starts the adapter, launches a
 * pipeline with breakpoints, waits on events (never on time), renders the debug views of a stop as
 * text with unstable ids replaced, and compares that text with golden files.
 */
import { DuckDBInstance } from '@duckdb/node-api';
import { DebugClient } from '@vscode/debugadapter-testsupport';
import type { DebugProtocol } from '@vscode/debugprotocol';
import assert from 'node:assert/strict';
import type { ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { StepwiseLaunchArguments } from '../../protocol/debugProtocol.js';

/** The repository root. */
export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** The built adapter that every test drives. */
export const ADAPTER = join(ROOT, 'dist', 'debugAdapter.js');

/** The folder of the debug fixture pipelines. */
export const DEBUG_FIXTURES = join(ROOT, 'test', 'fixtures', 'debug');

/** The folder of golden files. */
export const GOLDEN = join(ROOT, 'test', 'debugAdapter', 'golden');

/** How long a test waits for an event before it fails; long, because it never waits needlessly. */
const EVENT_TIMEOUT_MS = 60_000;

/** The path of a debug fixture pipeline, e.g. `fixture('three_steps')`. */
export function fixture(name: string): string {
  return join(DEBUG_FIXTURES, `${name}.pipeline.ts`);
}

/** The 1-based number of the first line of `file` that contains `text`. */
export async function lineOf(file: string, text: string): Promise<number> {
  const index = (await readFile(file, 'utf8')).split('\n').findIndex((l) => l.includes(text));
  assert.ok(index >= 0, `'${text}' is not in ${file}`);
  return index + 1;
}

/** Launch attributes; `database` defaults to a file in the session's temporary folder. */
export type Launch = Partial<StepwiseLaunchArguments>;

/** Breakpoints and filters to set between `initialized` and `configurationDone`. */
export interface Setup {
  /** Line breakpoints in the launched pipeline: a line or a full source breakpoint. */
  lines?: (number | DebugProtocol.SourceBreakpoint)[];
  /** Function breakpoints by step name. */
  functions?: (string | DebugProtocol.FunctionBreakpoint)[];
  /** Exception filters; the adapter's defaults when omitted. */
  exceptionFilters?: string[];
}

/** What the adapter answered to the breakpoints of a launch. */
export interface Configured {
  lines: DebugProtocol.Breakpoint[];
  functions: DebugProtocol.Breakpoint[];
}

/** How an adapter process is started. */
export interface StartOptions {
  /** Extra environment variables, e.g. `TZ`. */
  env?: Record<string, string>;
  /** Whether the client says it supports progress reporting; true when omitted. */
  progress?: boolean;
}

/** A stop as the `stopped` event describes it. */
export type Stop = DebugProtocol.StoppedEvent['body'];

/** A stepping request that resumes the pipeline. */
export type Resume = 'next' | 'stepIn' | 'stepOut' | 'continue' | 'stepBack' | 'reverseContinue';

interface Waiter {
  accept: (event: DebugProtocol.Event) => boolean;
  resolve: (event: DebugProtocol.Event) => void;
  reject: (error: Error) => void;
}

/** One adapter process with its client, a temporary folder and every event it sent. */
export class DapSession {
  /** Every event in arrival order. */
  readonly events: DebugProtocol.Event[] = [];
  /** What the adapter answered to `initialize`. */
  capabilities: DebugProtocol.Capabilities = {};
  private readonly consumed = new Set<DebugProtocol.Event>();
  private readonly waiters: Waiter[] = [];
  private stderr = '';
  private exited: Promise<void> = Promise.resolve();
  private stopping: Promise<void> | undefined;

  private constructor(
    readonly client: DebugClient,
    /** A temporary folder, removed by `close`. */
    readonly dir: string,
  ) {}

  /** Starts the built adapter and sends `initialize`. */
  static async start(options: StartOptions = {}): Promise<DapSession> {
    const dir = await mkdtemp(join(tmpdir(), 'stepwise-dap-'));
    const client = new DebugClient('node', ADAPTER, 'stepwise', {
      env: { ...process.env, ...options.env },
    });
    client.defaultTimeout = EVENT_TIMEOUT_MS;
    const session = new DapSession(client, dir);
    for (const type of EVENT_TYPES) {
      client.on(type, (event: DebugProtocol.Event) => session.record(event));
    }
    await client.start();
    const child = (client as unknown as { _adapterProcess?: ChildProcess })._adapterProcess;
    if (child) {
      child.stderr?.on('data', (data: Buffer) => (session.stderr += data.toString()));
      session.exited = new Promise((done) => {
        if (child.exitCode !== null || child.signalCode !== null) {
          done();
        } else {
          child.once('exit', (code, signal) => {
            const error = new Error(
              `the adapter exited (${code ?? signal})${session.diagnostics()}`,
            );
            for (const waiter of session.waiters.splice(0)) {
              waiter.reject(error);
            }
            done();
          });
        }
      });
    }
    const initialized = await client.initializeRequest({
      adapterID: 'stepwise',
      linesStartAt1: true,
      columnsStartAt1: true,
      pathFormat: 'path',
      supportsProgressReporting: options.progress ?? true,
    });
    session.capabilities = initialized.body ?? {};
    return session;
  }

  /** The default warehouse of this session, in its temporary folder. */
  get database(): string {
    return join(this.dir, 'warehouse.duckdb');
  }

  /**
   * Launches a pipeline: sends `launch`, sets breakpoints after `initialized`, then
   * `configurationDone`, and returns what the adapter said about the breakpoints.
   */
  async launch(attributes: Launch, setup: Setup = {}): Promise<Configured> {
    const launched = this.client.launchRequest({ database: this.database, ...attributes });
    const early = launched.then(
      () => new Error('the launch response came before the initialized event'),
      (error: Error) => error,
    );
    const first = await Promise.race([early, this.waitFor('initialized')]);
    if (first instanceof Error) {
      throw first;
    }
    const path = String(attributes.pipeline);
    const lines = setup.lines
      ? await this.client.setBreakpointsRequest({
          source: { path },
          breakpoints: setup.lines.map((b) => (typeof b === 'number' ? { line: b } : b)),
        })
      : undefined;
    const functions = setup.functions
      ? await this.client.setFunctionBreakpointsRequest({
          breakpoints: setup.functions.map((b) => (typeof b === 'string' ? { name: b } : b)),
        })
      : undefined;
    if (setup.exceptionFilters) {
      await this.client.setExceptionBreakpointsRequest({ filters: setup.exceptionFilters });
    }
    await this.client.configurationDoneRequest();
    await launched;
    return {
      lines: lines?.body.breakpoints ?? [],
      functions: functions?.body.breakpoints ?? [],
    };
  }

  /** Launches attributes that must fail; returns the error response's message. */
  async launchError(attributes: Launch): Promise<string> {
    const launched = this.client.launchRequest({ database: this.database, ...attributes });
    const failed = launched.then(
      () => undefined,
      (error: Error) => error.message,
    );
    const first = await Promise.race([failed, this.waitFor('initialized').then(() => undefined)]);
    assert.ok(first !== undefined, 'the launch was expected to fail, but it started');
    await this.terminated();
    return first;
  }

  /** The next event of one of `types` not taken by an earlier wait, optionally matching. */
  waitFor<T extends DebugProtocol.Event = DebugProtocol.Event>(
    types: string | string[],
    accept: (event: T) => boolean = () => true,
  ): Promise<T> {
    const wanted = Array.isArray(types) ? types : [types];
    const match = (event: DebugProtocol.Event): boolean =>
      wanted.includes(event.event) && !this.consumed.has(event) && accept(event as T);
    const ready = this.events.find(match);
    if (ready) {
      this.consumed.add(ready);
      return Promise.resolve(ready as T);
    }
    return new Promise<T>((resolveEvent, reject) => {
      const timer = setTimeout(() => {
        this.waiters.splice(this.waiters.indexOf(waiter), 1);
        const what = wanted.join(' or ');
        reject(new Error(`no '${what}' event within ${EVENT_TIMEOUT_MS} ms${this.diagnostics()}`));
      }, EVENT_TIMEOUT_MS);
      const waiter: Waiter = {
        accept: match,
        resolve: (event) => {
          clearTimeout(timer);
          resolveEvent(event as T);
        },
        reject: (error) => {
          clearTimeout(timer);
          reject(error);
        },
      };
      this.waiters.push(waiter);
    });
  }

  /** The next stop. */
  async stopped(): Promise<Stop> {
    return (await this.waitFor<DebugProtocol.StoppedEvent>('stopped')).body;
  }

  /** The next stop, or `terminated` when the session ends first. */
  async stopOrEnd(): Promise<Stop | 'terminated'> {
    const event = await this.waitFor(['stopped', 'terminated']);
    return event.event === 'terminated' ? 'terminated' : (event as DebugProtocol.StoppedEvent).body;
  }

  /** Waits for the end of the debug session. */
  async terminated(): Promise<void> {
    await this.waitFor('terminated');
  }

  /** Sends a stepping request and waits for the stop it leads to. */
  async step(kind: Resume): Promise<Stop> {
    const stop = this.stopped();
    await this.client.send(kind, { threadId: 1 });
    return stop;
  }

  /** Continues and waits until the pipeline has run to its end. */
  async runToEnd(): Promise<void> {
    const end = this.terminated();
    await this.client.continueRequest({ threadId: 1 });
    await end;
  }

  /** Sends `terminate` and waits for the end of the debug session. */
  async terminate(): Promise<void> {
    const end = this.terminated();
    await this.client.terminateRequest();
    await end;
  }

  /** Restarts the frame of `step` and waits for the stop that follows. */
  async restartFrame(step: string): Promise<Stop> {
    const frame = (await this.frames()).find((f) => stepOf(f) === step);
    assert.ok(frame, `no frame for step '${step}'`);
    const stop = this.stopped();
    await this.client.restartFrameRequest({ frameId: frame.id });
    return stop;
  }

  /** The stack frames of the current stop. */
  async frames(): Promise<DebugProtocol.StackFrame[]> {
    return (await this.client.stackTraceRequest({ threadId: 1 })).body.stackFrames;
  }

  /** The step names of the current stack, top first. */
  async stack(): Promise<string[]> {
    return (await this.frames()).map(stepOf);
  }

  /** The variables of a scope of a frame (the top frame by default). */
  async scope(name: string, frameIndex = 0): Promise<DebugProtocol.Variable[]> {
    const frame = (await this.frames())[frameIndex];
    assert.ok(frame, `there is no frame ${frameIndex}`);
    const scopes = (await this.client.scopesRequest({ frameId: frame.id })).body.scopes;
    const scope = scopes.find((s) => s.name === name);
    assert.ok(scope, `no scope '${name}' in ${scopes.map((s) => s.name).join(', ')}`);
    return this.children(scope.variablesReference);
  }

  /** The names and values of a scope's variables, e.g. `{ orders: '4 rows × 3 columns' }`. */
  async scopeValues(name: string, frameIndex = 0): Promise<Record<string, string>> {
    return valuesOf(await this.scope(name, frameIndex));
  }

  /** The children of a variable reference, or a page of its indexed children. */
  async children(
    reference: number,
    start?: number,
    count?: number,
  ): Promise<DebugProtocol.Variable[]> {
    assert.ok(reference > 0, 'the variable has no children');
    const args: DebugProtocol.VariablesArguments = { variablesReference: reference };
    if (start !== undefined || count !== undefined) {
      args.filter = 'indexed';
      args.start = start ?? 0;
      if (count !== undefined) {
        args.count = count;
      }
    }
    return (await this.client.variablesRequest(args)).body.variables;
  }

  /** A page of the rows of a DataFrame variable (or of an evaluate result's reference). */
  async rows(
    frame: DebugProtocol.Variable | number,
    start = 0,
    count = 3,
  ): Promise<DebugProtocol.Variable[]> {
    const reference = typeof frame === 'number' ? frame : frame.variablesReference;
    const rows = named(await this.children(reference), 'rows');
    return this.children(rows.variablesReference, start, count);
  }

  /** The cells of one row variable, column name to shown value. */
  async cells(row: DebugProtocol.Variable): Promise<Record<string, string>> {
    return valuesOf(await this.children(row.variablesReference));
  }

  /** Evaluates an expression on the top frame; REPL by default. */
  async evaluate(
    expression: string,
    context: 'repl' | 'watch' | 'hover' = 'repl',
  ): Promise<DebugProtocol.EvaluateResponse['body']> {
    const frameId = (await this.frames())[0]?.id;
    return (await this.client.evaluateRequest({ expression, context, frameId })).body;
  }

  /** Every output event's text so far, in order, optionally of one category. */
  output(category?: string): string {
    return this.events
      .filter((e) => e.event === 'output')
      .map((e) => e.body as DebugProtocol.OutputEvent['body'])
      .filter((b) => category === undefined || b.category === category)
      .map((b) => b.output)
      .join('');
  }

  /** Renders the current stop (reason, stack, and every scope of the top frame) as text. */
  async renderStop(stop: Stop, options: RenderOptions = {}): Promise<string> {
    const lines = [`stopped: ${stop.reason}${stop.text ? ` (${stop.text})` : ''}`, 'stack:'];
    const frames = await this.frames();
    for (const f of frames) {
      lines.push(`  ${f.name}  ${f.source?.name ?? '?'}:${f.line}:${f.column}`);
    }
    const top = frames[0];
    if (top) {
      const scopes = (await this.client.scopesRequest({ frameId: top.id })).body.scopes;
      for (const scope of scopes) {
        lines.push(`scope ${scope.name}${scope.expensive ? ' (expensive)' : ''}`);
        await this.renderChildren(scope.variablesReference, 1, lines, options);
      }
    }
    return this.normalize(`${lines.join('\n')}\n`);
  }

  /** Renders the tree under one variable reference as text. */
  async renderTree(reference: number, options: RenderOptions = {}): Promise<string> {
    const lines: string[] = [];
    await this.renderChildren(reference, 0, lines, options);
    return this.normalize(`${lines.join('\n')}\n`);
  }

  /** Replaces what changes from run to run: temp paths, work table numbers, times, run ids. */
  normalize(text: string): string {
    return normalize(text, this.dir);
  }

  /** Disconnects and waits for the adapter process to exit; the temporary folder stays. */
  shutDown(): Promise<void> {
    this.stopping ??= (async () => {
      for (const waiter of this.waiters.splice(0)) {
        waiter.reject(new Error('the debug session was closed'));
      }
      await this.client.stop();
      await this.exited;
    })();
    return this.stopping;
  }

  /** Shuts the adapter down and removes the temporary folder. */
  async close(): Promise<void> {
    await this.shutDown();
    await rm(this.dir, { recursive: true, force: true });
  }

  private async renderChildren(
    reference: number,
    depth: number,
    lines: string[],
    options: RenderOptions,
  ): Promise<void> {
    const indent = '  '.repeat(depth);
    for (const v of await this.children(reference)) {
      const type = v.type ? ` (${v.type})` : '';
      const indexed = v.indexedVariables !== undefined ? ` [${v.indexedVariables} indexed]` : '';
      const more = v.variablesReference > 0 ? ' ▸' : '';
      lines.push(`${indent}${v.name} = ${v.value}${type}${indexed}${more}`);
      if (v.variablesReference === 0 || depth >= (options.depth ?? 4)) {
        continue;
      }
      if (v.indexedVariables !== undefined) {
        const page = await this.children(v.variablesReference, 0, options.rows ?? 3);
        for (const row of page) {
          lines.push(`${indent}  ${row.name} = ${row.value}`);
        }
      } else {
        await this.renderChildren(v.variablesReference, depth + 1, lines, options);
      }
    }
  }

  private record(event: DebugProtocol.Event): void {
    this.events.push(event);
    const index = this.waiters.findIndex((w) => w.accept(event));
    if (index >= 0) {
      const [waiter] = this.waiters.splice(index, 1);
      this.consumed.add(event);
      waiter!.resolve(event);
    }
  }

  private diagnostics(): string {
    const recent = this.events
      .slice(-8)
      .map((e) => `${e.event} ${JSON.stringify(e.body ?? {}).slice(0, 200)}`)
      .join('\n  ');
    return `\nrecent events:\n  ${recent}\nadapter stderr:\n${this.stderr.slice(-2000)}`;
  }
}

const EVENT_TYPES = [
  'initialized',
  'stopped',
  'continued',
  'terminated',
  'exited',
  'output',
  'breakpoint',
  'progressStart',
  'progressUpdate',
  'progressEnd',
  'stepwise/runFinished',
];

/** How much of a tree the renderers show. */
export interface RenderOptions {
  /** Rows shown of each DataFrame; 3 when omitted. */
  rows?: number;
  /** Nesting depth below a scope; 4 when omitted. */
  depth?: number;
}

/** The step name of a stack frame titled `silver clean_orders · after validate`. */
export function stepOf(frame: DebugProtocol.StackFrame): string {
  return frame.name.split(' ')[1] ?? '';
}

/** The variable named `name` among `variables`. */
export function named(variables: DebugProtocol.Variable[], name: string): DebugProtocol.Variable {
  const found = variables.find((v) => v.name === name);
  assert.ok(found, `no variable '${name}' in ${variables.map((v) => v.name).join(', ')}`);
  return found;
}

/** Variables as a name-to-value record. */
export function valuesOf(variables: DebugProtocol.Variable[]): Record<string, string> {
  return Object.fromEntries(variables.map((v) => [v.name, v.value]));
}

/** Replaces the parts of debug text that differ between runs with stable placeholders. */
export function normalize(text: string, tempDir?: string): string {
  const withoutTemp = tempDir ? text.split(tempDir).join('<tmp>') : text;
  return withoutTemp
    .split(ROOT)
    .join('<root>')
    .replace(/("stepwise_work"\."[^"]*?)_\d+"/g, '$1_N"')
    .replace(/\b\d+(\.\d+)? (s|ms)\b/g, '<time>')
    .replace(/\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b/g, '<run-id>');
}

/** Compares `text` with `golden/<name>.txt`; rewrites the file when STEPWISE_UPDATE_GOLDEN=1. */
export async function expectGolden(name: string, text: string): Promise<void> {
  const file = join(GOLDEN, `${name}.txt`);
  if (process.env.STEPWISE_UPDATE_GOLDEN === '1') {
    await mkdir(GOLDEN, { recursive: true });
    await writeFile(file, text);
    return;
  }
  assert.ok(
    existsSync(file),
    `golden file ${file} is missing; run with STEPWISE_UPDATE_GOLDEN=1, then review it`,
  );
  assert.equal(
    text,
    await readFile(file, 'utf8'),
    `the debug view differs from golden/${name}.txt`,
  );
}

/** Runs `work` with a started adapter and always stops it afterwards. */
export async function withDap<T>(
  work: (dap: DapSession) => Promise<T>,
  options: StartOptions = {},
): Promise<T> {
  const dap = await DapSession.start(options);
  try {
    return await work(dap);
  } finally {
    await dap.close();
  }
}

/** Runs a query on a warehouse file, read-only, and returns its rows as DuckDB prints them. */
export async function queryWarehouse(file: string, sql: string): Promise<string[][]> {
  const instance = await DuckDBInstance.create(file, { access_mode: 'READ_ONLY' });
  try {
    const connection = await instance.connect();
    try {
      const reader = await connection.runAndReadAll(
        `SELECT CAST(COLUMNS(*) AS VARCHAR) FROM (${sql})`,
      );
      return reader.getRows().map((row) => row.map((cell) => String(cell)));
    } finally {
      connection.closeSync();
    }
  } finally {
    instance.closeSync();
  }
}
