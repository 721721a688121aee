/**
 * Extension tests that run inside the VS Code extension host, next to the installed Stepwise
 * extension, and check it through the VS Code API: lenses, a run and its summary lens, the
 * diagnostics of a broken pipeline, and debug sessions that stop at a breakpoint and at an
 * error. The runner bundles this file and loads it as `extensionTestsPath`.
 */
import assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { REPORT_MARKER } from './reportMarker.js';

const FLIGHTS = 'examples/flights/flights.pipeline.ts';
const CYCLE = 'fixtures/cycle_and_unknown_source.pipeline.ts';
const THROWS = 'fixtures/throws_in_transform.pipeline.ts';
const STEPS = ['flights', 'airports', 'clean_flights', 'delay_by_origin', 'delay_by_day'];
const ACTIONS = ['stepwise.runUntil', 'stepwise.runStep', 'stepwise.rerunWithParams'];
const LONG_MS = 120_000;

type Test = [name: string, body: () => Promise<void>];

const tests: Test[] = [
  [
    'every step of the flights example has the four action lenses',
    async () => {
      const uri = await open(FLIGHTS);
      const lenses = await codeLenses(uri);
      for (const step of STEPS) {
        const commands = lenses
          .filter((l) => l.command?.arguments?.[1] === step)
          .map((l) => l.command!.command);
        assert.deepEqual(commands.slice(0, 4), [...ACTIONS, 'stepwise.debugUntil'], step);
        const line = (await stepLine(uri, step)) - 1;
        const onStep = lenses.filter((l) => l.command?.arguments?.[1] === step);
        assert.ok(
          onStep.every((l) => l.range.start.line === line),
          `lenses of ${step} on line ${line + 1}`,
        );
      }
    },
  ],
  [
    'stepwise.runUntil runs the pipeline and the last-run lens shows the run',
    async () => {
      const uri = await open(FLIGHTS);
      const ended = sessionEnded('Run until clean_flights');
      await vscode.commands.executeCommand('stepwise.runUntil', uri.toString(), 'clean_flights');
      await ended;
      const title = await eventually('the last-run lens of clean_flights', async () => {
        const lenses = await codeLenses(uri);
        return lenses.find(
          (l) =>
            l.command?.command === 'stepwise.showLastRun' &&
            l.command.arguments?.[1] === 'clean_flights',
        )?.command?.title;
      });
      assert.match(title, /^✓ 3,000,000 rows · 99\.99% valid · [\d.]+ (ms|s)$/);
    },
  ],
  [
    'a cycle and an unknown source are reported as diagnostics',
    async () => {
      const uri = await open(CYCLE);
      const diagnostics = await diagnosticsOf(uri, (d) => d.length >= 3);
      const messages = diagnostics.map((d) => `${codeOf(d)}: ${d.message}`).sort();
      assert.equal(diagnostics.length, 3, messages.join('\n'));
      assert.equal(messages.filter((m) => /^dependency-cycle: .*cycle/.test(m)).length, 2);
      assert.ok(
        messages.some((m) =>
          /^unknown-source: .*'priced_order'.*Did you mean 'priced_orders'/.test(m),
        ),
        messages.join('\n'),
      );
      const cycleLines = diagnostics
        .filter((d) => codeOf(d) === 'dependency-cycle')
        .map((d) => d.range.start.line + 1)
        .sort((a, b) => a - b);
      assert.deepEqual(cycleLines, [
        await lineOf(uri, "name: 'priced_orders'"),
        await lineOf(uri, "name: 'taxed_orders'"),
      ]);
    },
  ],
  [
    'a breakpoint on a step stops the debugger before it, over its inputs',
    async () => {
      const uri = await open(FLIGHTS);
      const line = (await stepLine(uri, 'clean_flights')) - 1;
      const breakpoint = new vscode.SourceBreakpoint(
        new vscode.Location(uri, new vscode.Position(line, 0)),
      );
      vscode.debug.addBreakpoints([breakpoint]);
      let session: vscode.DebugSession | undefined;
      try {
        const stopped = stackFrameShown();
        const folder = vscode.workspace.workspaceFolders![0]!;
        assert.ok(await vscode.debug.startDebugging(folder, 'Debug flights'), 'debugging started');
        const frame = await stopped;
        session = frame.session;
        const trace = (await session.customRequest('stackTrace', {
          threadId: frame.threadId,
        })) as { stackFrames: { name: string; line: number; source?: { path?: string } }[] };
        assert.deepEqual(
          trace.stackFrames.map((f) => f.name),
          ['silver clean_flights', 'bronze airports', 'bronze flights'],
        );
        assert.equal(trace.stackFrames[0]!.line, line + 1);
        assert.equal(pathOf(trace.stackFrames[0]!.source?.path), uri.path);
        const inputs = await scopeVariables(session, frame.frameId, 'Inputs');
        assert.match(inputs.get('flights') ?? '', /^3,000,000 rows × 5 columns$/);
      } finally {
        vscode.debug.removeBreakpoints([breakpoint]);
        if (session) {
          await stop(session);
        }
      }
    },
  ],
  [
    'a transform that throws stops the debugger at the throwing line',
    async () => {
      const uri = await open(THROWS);
      const stopped = stackFrameShown();
      await vscode.commands.executeCommand(
        'stepwise.debugUntil',
        uri.toString(),
        'converted_payments',
      );
      const frame = await stopped;
      try {
        const trace = (await frame.session.customRequest('stackTrace', {
          threadId: frame.threadId,
        })) as { stackFrames: { name: string; line: number; source?: { path?: string } }[] };
        assert.equal(trace.stackFrames[0]!.line, await lineOf(uri, 'throw new Error'));
        assert.equal(pathOf(trace.stackFrames[0]!.source?.path), uri.path);
        const info = (await frame.session.customRequest('exceptionInfo', {
          threadId: frame.threadId,
        })) as { description?: string; exceptionId: string };
        assert.match(info.description ?? '', /no exchange rate for EUR/);
      } finally {
        await stop(frame.session);
      }
    },
  ],
];

/** Runs every test in order; rejects when any failed, which fails the run. */
export async function run(): Promise<void> {
  const extension = vscode.extensions.getExtension('stepwise.stepwise');
  assert.ok(extension, 'the Stepwise extension is installed');
  await extension.activate();
  let failed = 0;
  for (const [name, body] of tests) {
    const started = Date.now();
    try {
      await withTimeout(body(), LONG_MS, name);
      report(`✔ ${name} (${Date.now() - started} ms)`);
    } catch (error) {
      failed++;
      report(
        `✖ ${name}\n${error instanceof Error ? (error.stack ?? error.message) : String(error)}`,
      );
    }
  }
  report(`${tests.length - failed} passed, ${failed} failed`);
  if (failed > 0) {
    throw new Error(`${failed} of ${tests.length} extension tests failed`);
  }
}

/** A diagnostic's code, whether VS Code gives it plain or with a link target. */
function codeOf(diagnostic: vscode.Diagnostic): string {
  const code = diagnostic.code;
  return String(typeof code === 'object' ? code.value : code);
}

function report(text: string): void {
  console.log(text.replace(/^/gm, REPORT_MARKER));
}

/**
 * The path part of a source path from a custom request: in a remote window VS Code turns the
 * adapter's file paths into `vscode-remote://` URIs on the way back.
 */
function pathOf(path: string | undefined): string | undefined {
  return path && /^[a-z-]+:\/\//.test(path) ? vscode.Uri.parse(path).path : path;
}

async function open(relative: string): Promise<vscode.Uri> {
  const uri = vscode.Uri.joinPath(vscode.workspace.workspaceFolders![0]!.uri, relative);
  await vscode.window.showTextDocument(uri);
  return uri;
}

async function lineOf(uri: vscode.Uri, text: string): Promise<number> {
  const document = await vscode.workspace.openTextDocument(uri);
  const index = document
    .getText()
    .split('\n')
    .findIndex((l) => l.includes(text));
  assert.ok(index >= 0, `'${text}' is in ${uri.fsPath}`);
  return index + 1;
}

/** The 1-based line of `new XStep({` of the step `name`, the line above its `name:`. */
async function stepLine(uri: vscode.Uri, name: string): Promise<number> {
  return (await lineOf(uri, `name: '${name}'`)) - 1;
}

async function codeLenses(uri: vscode.Uri): Promise<vscode.CodeLens[]> {
  return (
    (await vscode.commands.executeCommand<vscode.CodeLens[]>(
      'vscode.executeCodeLensProvider',
      uri,
    )) ?? []
  ).filter((l) => l.command?.command.startsWith('stepwise.'));
}

/**
 * Re-checks `probe` until it gives a value. The API has no event for another extension's lenses
 * changing, so this is the one place that checks again on a short interval (200 ms).
 */
async function eventually<T>(what: string, probe: () => Promise<T | undefined>): Promise<T> {
  const deadline = Date.now() + LONG_MS;
  for (;;) {
    const value = await probe();
    if (value !== undefined) {
      return value;
    }
    if (Date.now() > deadline) {
      throw new Error(`${what} did not appear within ${LONG_MS} ms`);
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

/** Resolves with the diagnostics of `uri` once `accept` takes them. */
function diagnosticsOf(
  uri: vscode.Uri,
  accept: (diagnostics: readonly vscode.Diagnostic[]) => boolean,
): Promise<readonly vscode.Diagnostic[]> {
  const ours = (): vscode.Diagnostic[] =>
    vscode.languages.getDiagnostics(uri).filter((d) => d.source === 'stepwise');
  return new Promise((resolve) => {
    const check = (): boolean => {
      const current = ours();
      if (accept(current)) {
        listener.dispose();
        resolve(current);
        return true;
      }
      return false;
    };
    const listener = vscode.languages.onDidChangeDiagnostics((event) => {
      if (event.uris.some((u) => u.toString() === uri.toString())) {
        check();
      }
    });
    check();
  });
}

/** Resolves when a debug session named `name` has ended. */
function sessionEnded(name: string): Promise<void> {
  return new Promise((resolve) => {
    const listener = vscode.debug.onDidTerminateDebugSession((session) => {
      if (session.name === name) {
        listener.dispose();
        resolve();
      }
    });
  });
}

/** Resolves with the next stack frame that VS Code focuses, which it does when a session stops. */
function stackFrameShown(): Promise<vscode.DebugStackFrame> {
  return new Promise((resolve) => {
    const listener = vscode.debug.onDidChangeActiveStackItem((item) => {
      if (item instanceof vscode.DebugStackFrame) {
        listener.dispose();
        resolve(item);
      }
    });
  });
}

/** The variables of the scope `name` of a frame, as name → value. */
async function scopeVariables(
  session: vscode.DebugSession,
  frameId: number,
  name: string,
): Promise<Map<string, string>> {
  const { scopes } = (await session.customRequest('scopes', { frameId })) as {
    scopes: { name: string; variablesReference: number }[];
  };
  const scope = scopes.find((s) => s.name === name);
  assert.ok(scope, `scope ${name} among ${scopes.map((s) => s.name).join(', ')}`);
  const { variables } = (await session.customRequest('variables', {
    variablesReference: scope.variablesReference,
  })) as { variables: { name: string; value: string }[] };
  return new Map(variables.map((v) => [v.name, v.value]));
}

async function stop(session: vscode.DebugSession): Promise<void> {
  const ended = sessionEnded(session.name);
  await vscode.debug.stopDebugging(session);
  await ended;
}

async function withTimeout<T>(work: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what}: no result within ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([work, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
