/**
 * A language-protocol client for the built Stepwise language server: it spawns
 * `dist/server.js --stdio`, answers `workspace/configuration` from the test's settings, records
 * published diagnostics and lens refresh requests, and lets tests wait on them (never on time).
 */
import assert from 'node:assert/strict';
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import {
  CodeActionRequest,
  CodeLensRefreshRequest,
  CodeLensRequest,
  CompletionRequest,
  ConfigurationRequest,
  DefinitionRequest,
  DidChangeConfigurationNotification,
  DidChangeTextDocumentNotification,
  DidCloseTextDocumentNotification,
  DidOpenTextDocumentNotification,
  DocumentSymbolRequest,
  ExitNotification,
  HoverRequest,
  InitializedNotification,
  InitializeRequest,
  LogMessageNotification,
  PrepareRenameRequest,
  PublishDiagnosticsNotification,
  ReferencesRequest,
  RegistrationRequest,
  RenameRequest,
  ShutdownRequest,
  type CodeAction,
  type CodeLens,
  type CompletionItem,
  type CompletionList,
  type Diagnostic,
  type DocumentSymbol,
  type Hover,
  type Location,
  type Position,
  type PublishDiagnosticsParams,
  type Range,
  type TextDocumentContentChangeEvent,
  type WorkspaceEdit,
} from 'vscode-languageserver-protocol';
import {
  createProtocolConnection,
  StreamMessageReader,
  StreamMessageWriter,
  type ProtocolConnection,
} from 'vscode-languageserver-protocol/node';

/** The repository root. */
export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** The built server every test drives. */
export const SERVER = join(ROOT, 'dist', 'server.js');

/** The folder of the server's fixture pipelines. */
export const FIXTURES = join(ROOT, 'test', 'fixtures', 'server');

/** How long any one wait may take before the test fails with what did arrive. */
const DEADLINE_MS = 30_000;

/** The path of a fixture pipeline, e.g. `fixture('self_reference')`. */
export function fixture(name: string): string {
  return join(FIXTURES, `${name}.pipeline.ts`);
}

/** The `file:` URI of a path. */
export function uriOf(path: string): string {
  return pathToFileURL(path).href;
}

/** The position of the `nth` occurrence of `needle` in `text`, plus `shift` characters. */
export function positionOf(text: string, needle: string, nth = 0, shift = 0): Position {
  let index = -1;
  for (let i = 0; i <= nth; i++) {
    index = text.indexOf(needle, index + 1);
    assert.ok(index >= 0, `'${needle}' occurs fewer than ${nth + 1} times`);
  }
  const before = text.slice(0, index + shift);
  const line = before.split('\n').length - 1;
  return { line, character: before.length - before.lastIndexOf('\n') - 1 };
}

/** The range of the `nth` occurrence of `needle`, or of the last `part` inside it when given. */
export function rangeOf(text: string, needle: string, nth = 0, part?: string): Range {
  const shift = part === undefined ? 0 : needle.lastIndexOf(part);
  assert.ok(shift >= 0, `'${part}' is not in '${needle}'`);
  const start = positionOf(text, needle, nth, shift);
  const length = (part ?? needle).length;
  return { start, end: { line: start.line, character: start.character + length } };
}

/** What a test starts the server with. */
export interface StartOptions {
  /** Workspace folders as paths. */
  folders: string[];
  /** The `stepwise` settings section the client answers with. */
  settings?: Record<string, unknown>;
  /** `initializationOptions.trusted`; omitted when undefined. */
  trusted?: boolean;
  /** Extra command-line arguments for the server, such as `--log-level=debug`. */
  args?: string[];
}

/** Fails with the fix when dist/server.js is missing or older than the server's sources. */
function assertBuilt(): void {
  const built = (() => {
    try {
      return statSync(SERVER).mtimeMs;
    } catch {
      return -1;
    }
  })();
  const sources = join(ROOT, 'server', 'src');
  const newest = Math.max(...readdirSync(sources).map((f) => statSync(join(sources, f)).mtimeMs));
  assert.ok(
    built >= newest,
    `${SERVER} is missing or older than server/src; run \`node scripts/build.mjs\` first.`,
  );
}

/** One running server and the client side of its connection. */
export class LspClient {
  /** What `workspace/configuration` answers for the `stepwise` section; tests may replace it. */
  settings: Record<string, unknown>;
  private readonly published = new Map<string, PublishDiagnosticsParams[]>();
  private readonly waiters: (() => void)[] = [];
  private lensRefreshes = 0;
  private registrations: string[] = [];
  private stderr = '';
  /** Messages the server logged, for failure reports. */
  readonly logs: string[] = [];

  private constructor(
    readonly process: ChildProcessWithoutNullStreams,
    readonly connection: ProtocolConnection,
    settings: Record<string, unknown>,
  ) {
    this.settings = settings;
  }

  /** Spawns the built server and completes the initialize handshake. */
  static async start(options: StartOptions): Promise<LspClient> {
    assertBuilt();
    const args = [SERVER, '--stdio', ...(options.args ?? [])];
    const child = spawn(process.execPath, args, { stdio: 'pipe' });
    const connection = createProtocolConnection(
      new StreamMessageReader(child.stdout),
      new StreamMessageWriter(child.stdin),
    );
    const client = new LspClient(child, connection, options.settings ?? {});
    child.stderr.on('data', (chunk: Buffer) => {
      client.stderr += chunk.toString();
    });
    connection.onRequest(ConfigurationRequest.type, (params) =>
      params.items.map((item) => (item.section === 'stepwise' ? client.settings : null)),
    );
    connection.onRequest(CodeLensRefreshRequest.type, () => {
      client.lensRefreshes += 1;
      client.wake();
    });
    connection.onRequest(RegistrationRequest.type, (params) => {
      client.registrations.push(...params.registrations.map((r) => r.method));
    });
    connection.onNotification(LogMessageNotification.type, (params) => {
      client.logs.push(params.message);
      client.wake();
    });
    connection.onNotification(PublishDiagnosticsNotification.type, (params) => {
      const list = client.published.get(params.uri) ?? [];
      list.push(params);
      client.published.set(params.uri, list);
      client.wake();
    });
    connection.listen();

    const folders = options.folders.map((path) => ({ uri: uriOf(path), name: path }));
    await connection.sendRequest(InitializeRequest.type, {
      processId: process.pid,
      rootUri: folders[0]?.uri ?? null,
      workspaceFolders: folders,
      capabilities: {
        workspace: {
          configuration: true,
          workspaceFolders: true,
          codeLens: { refreshSupport: true },
          didChangeWatchedFiles: { dynamicRegistration: true },
        },
        textDocument: {
          publishDiagnostics: { versionSupport: true, relatedInformation: true },
          rename: { prepareSupport: true },
        },
      },
      ...(options.trusted === undefined
        ? {}
        : { initializationOptions: { trusted: options.trusted } }),
    });
    await connection.sendNotification(InitializedNotification.type, {});
    return client;
  }

  /** Opens a document with the given text (the file's text by default); returns its URI. */
  async open(path: string, text = readFileSync(path, 'utf8'), version = 1): Promise<string> {
    const uri = uriOf(path);
    await this.connection.sendNotification(DidOpenTextDocumentNotification.type, {
      textDocument: { uri, languageId: 'typescript', version, text },
    });
    return uri;
  }

  /** Sends edits to an open document. */
  async change(
    uri: string,
    version: number,
    changes: TextDocumentContentChangeEvent[],
  ): Promise<void> {
    await this.connection.sendNotification(DidChangeTextDocumentNotification.type, {
      textDocument: { uri, version },
      contentChanges: changes,
    });
  }

  async close(uri: string): Promise<void> {
    await this.connection.sendNotification(DidCloseTextDocumentNotification.type, {
      textDocument: { uri },
    });
  }

  /** Waits until the latest diagnostics published for `uri` satisfy `accept`. */
  async diagnostics(
    uri: string,
    accept: (params: PublishDiagnosticsParams) => boolean = () => true,
  ): Promise<Diagnostic[]> {
    const found = await this.until(`diagnostics for ${uri}`, () => {
      const latest = this.published.get(uri)?.at(-1);
      return latest && accept(latest) ? latest : undefined;
    });
    return found.diagnostics;
  }

  /** Waits for diagnostics of at least `version` of a document. */
  async diagnosticsOfVersion(uri: string, version: number): Promise<Diagnostic[]> {
    return this.diagnostics(uri, (p) => (p.version ?? 0) >= version);
  }

  /** How many times diagnostics were published for `uri`. */
  publishCount(uri: string): number {
    return this.published.get(uri)?.length ?? 0;
  }

  /** Waits until the server has logged a message matching `pattern`, after the first `from`. */
  async log(pattern: RegExp, from = 0): Promise<string> {
    return this.until(`a log message matching ${pattern}`, () =>
      this.logs.slice(from).find((m) => pattern.test(m)),
    );
  }

  /** Replaces the settings and tells the server they changed, as an editor does. */
  async changeSettings(settings: Record<string, unknown>): Promise<void> {
    this.settings = settings;
    await this.connection.sendNotification(DidChangeConfigurationNotification.type, {
      settings: null,
    });
  }

  /** Waits until the server has asked for lenses to be refreshed more than `seen` times. */
  async lensRefreshAfter(seen: number): Promise<number> {
    return this.until('a workspace/codeLens/refresh request', () =>
      this.lensRefreshes > seen ? this.lensRefreshes : undefined,
    );
  }

  /** Lens refresh requests so far. */
  get lensRefreshCount(): number {
    return this.lensRefreshes;
  }

  /** Methods the server registered dynamically. */
  get registeredMethods(): readonly string[] {
    return this.registrations;
  }

  async codeLens(uri: string): Promise<CodeLens[]> {
    return (
      (await this.connection.sendRequest(CodeLensRequest.type, { textDocument: { uri } })) ?? []
    );
  }

  async hover(uri: string, position: Position): Promise<Hover | null> {
    return this.connection.sendRequest(HoverRequest.type, { textDocument: { uri }, position });
  }

  async definition(uri: string, position: Position): Promise<Location[]> {
    const result = await this.connection.sendRequest(DefinitionRequest.type, {
      textDocument: { uri },
      position,
    });
    return (Array.isArray(result) ? result : result ? [result] : []) as Location[];
  }

  async references(
    uri: string,
    position: Position,
    includeDeclaration = true,
  ): Promise<Location[]> {
    const result = await this.connection.sendRequest(ReferencesRequest.type, {
      textDocument: { uri },
      position,
      context: { includeDeclaration },
    });
    return result ?? [];
  }

  async prepareRename(uri: string, position: Position): Promise<unknown> {
    return this.connection.sendRequest(PrepareRenameRequest.type, {
      textDocument: { uri },
      position,
    });
  }

  async rename(uri: string, position: Position, newName: string): Promise<WorkspaceEdit | null> {
    return this.connection.sendRequest(RenameRequest.type, {
      textDocument: { uri },
      position,
      newName,
    });
  }

  async symbols(uri: string): Promise<DocumentSymbol[]> {
    const result = await this.connection.sendRequest(DocumentSymbolRequest.type, {
      textDocument: { uri },
    });
    return (result ?? []) as DocumentSymbol[];
  }

  async completion(uri: string, position: Position): Promise<CompletionItem[]> {
    const result: CompletionItem[] | CompletionList | null = await this.connection.sendRequest(
      CompletionRequest.type,
      { textDocument: { uri }, position },
    );
    return Array.isArray(result) ? result : (result?.items ?? []);
  }

  async codeActions(uri: string, range: Range, diagnostics: Diagnostic[]): Promise<CodeAction[]> {
    const result = await this.connection.sendRequest(CodeActionRequest.type, {
      textDocument: { uri },
      range,
      context: { diagnostics },
    });
    return (result ?? []) as CodeAction[];
  }

  /** Sends a custom notification. */
  async notify(method: string, params: unknown): Promise<void> {
    await this.connection.sendNotification(method, params);
  }

  /** Lets every waiter look again after a message from the server. */
  private wake(): void {
    for (const waiter of this.waiters.splice(0)) {
      waiter();
    }
  }

  /** Shuts the server down and waits for its process to end. */
  async stop(): Promise<void> {
    const exited = new Promise<void>((resolve) => {
      if (this.process.exitCode !== null) {
        resolve();
      } else {
        this.process.once('exit', () => resolve());
      }
    });
    try {
      await this.connection.sendRequest(ShutdownRequest.type);
      await this.connection.sendNotification(ExitNotification.type);
    } catch {
      this.process.kill();
    }
    await exited;
    this.connection.dispose();
  }

  /** Resolves with `check`'s first defined answer, checked after each message from the server. */
  private until<T>(what: string, check: () => T | undefined): Promise<T> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        const logs = this.logs.join('\n');
        reject(new Error(`Timed out waiting for ${what}. Server log:\n${logs}\n${this.stderr}`));
      }, DEADLINE_MS);
      const attempt = (): void => {
        const answer = check();
        if (answer !== undefined) {
          clearTimeout(timer);
          resolve(answer);
        } else {
          this.waiters.push(attempt);
        }
      };
      attempt();
    });
  }
}
