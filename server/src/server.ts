/**
 * Wires the language server's features to a connection: capabilities, document sync, the
 * workspace's life cycle and one handler per LSP feature. It holds no feature logic itself.
 */
import type { Connection, InitializeResult } from 'vscode-languageserver/node';
import { CodeActionKind, TextDocumentSyncKind } from 'vscode-languageserver/node';
import {
  RUNS_CHANGED_NOTIFICATION,
  TRUST_CHANGED_NOTIFICATION,
  type RunsChangedParams,
  type TrustChangedParams,
} from '../../protocol/languageProtocol.js';
import { codeActions } from './codeActions.js';
import { codeLenses } from './codeLens.js';
import { completion, COMPLETION_TRIGGERS } from './completion.js';
import type { ServerContext } from './context.js';
import { definition } from './definition.js';
import { DiagnosticsPublisher } from './diagnostics.js';
import { ServerError, toResponseError } from './errors.js';
import { hover } from './hover.js';
import { LastRuns } from './lastRuns.js';
import { Logger, type LogLevel } from './logger.js';
import { OpenDocuments } from './openDocuments.js';
import { PipelineIndex } from './pipelineIndex.js';
import { references } from './references.js';
import { prepareRename, rename } from './rename.js';
import { RunHistory } from './runHistory.js';
import { SettingsStore } from './settings.js';
import { SqlParser } from './sqlParser.js';
import { documentSymbols } from './symbols.js';
import { clientSupport, initialFolders, initialTrust, Workspace } from './workspace.js';

/** Options for tests and benchmarks; the defaults suit editors. */
export interface ServerOptions {
  logLevel?: LogLevel;
}

/** Registers every handler on the connection and starts listening. */
export function startServer(connection: Connection, options: ServerOptions = {}): void {
  const logger = new Logger(connection.console, options.logLevel);
  const index = new PipelineIndex();
  const trust = { trusted: true };
  let support = clientSupport({});
  const settings = new SettingsStore(connection, logger, () => support.configuration);
  const history = new RunHistory(index, settings, new LastRuns(logger), () => trust.trusted);
  let started: () => void = () => undefined;
  const ready = new Promise<void>((resolve) => (started = resolve));
  const context: ServerContext = { connection, logger, settings, index, history, trust, ready };
  const parser = new SqlParser();
  const diagnostics = new DiagnosticsPublisher(context, parser);
  const documents = new OpenDocuments(index);
  let workspace: Workspace | undefined;

  connection.onInitialize((params): InitializeResult => {
    support = clientSupport(params.capabilities);
    trust.trusted = initialTrust(params);
    workspace = new Workspace(context, documents, diagnostics, support, initialFolders(params));
    return {
      capabilities: {
        textDocumentSync: { openClose: true, change: TextDocumentSyncKind.Incremental },
        codeLensProvider: { resolveProvider: false },
        hoverProvider: true,
        definitionProvider: true,
        referencesProvider: true,
        renameProvider: { prepareProvider: true },
        documentSymbolProvider: true,
        completionProvider: { triggerCharacters: COMPLETION_TRIGGERS },
        codeActionProvider: { codeActionKinds: [CodeActionKind.QuickFix] },
        workspace: { workspaceFolders: { supported: true, changeNotifications: true } },
      },
      serverInfo: { name: 'stepwise-language-server' },
    };
  });
  connection.onInitialized(() => {
    void (workspace?.start() ?? Promise.resolve())
      .catch((error: unknown) => logger.error(`Could not start: ${String(error)}`))
      .finally(started);
    if (support.workspaceFolders) {
      connection.workspace.onDidChangeWorkspaceFolders(
        (event) => void workspace?.foldersChanged(event),
      );
    }
  });

  connection.onDidOpenTextDocument((params) => documents.opened(params));
  connection.onDidChangeTextDocument((params) => documents.changed(params));
  connection.onDidCloseTextDocument((params) => void documents.closed(params));
  connection.onDidChangeConfiguration((params) => void workspace?.settingsChanged(params));
  connection.onDidChangeWatchedFiles((params) => void workspace?.watchedFilesChanged(params));
  connection.onNotification(RUNS_CHANGED_NOTIFICATION, (_params: RunsChangedParams) => {
    void workspace?.runFinished();
  });
  connection.onNotification(TRUST_CHANGED_NOTIFICATION, (params: TrustChangedParams) => {
    void workspace?.trustChanged(params.trusted);
  });

  // Requests wait until the settings are read, the workspace's files are found and file
  // changes seen so far are applied.
  const afterStart =
    <P, R>(handler: (context: ServerContext, params: P) => R) =>
    async (params: P): Promise<Awaited<R>> => {
      await ready;
      await index.settled();
      try {
        return await handler(context, params);
      } catch (error) {
        if (!(error instanceof ServerError)) {
          logger.error(`A request failed: ${error instanceof Error ? error.stack : String(error)}`);
        }
        throw toResponseError(error);
      }
    };
  connection.onCodeLens(afterStart(codeLenses));
  connection.onHover(afterStart(hover));
  connection.onDefinition(afterStart(definition));
  connection.onReferences(afterStart(references));
  connection.onPrepareRename(afterStart(prepareRename));
  connection.onRenameRequest(afterStart(rename));
  connection.onDocumentSymbol(afterStart(documentSymbols));
  connection.onCompletion(afterStart(completion));
  connection.onCodeAction(afterStart(codeActions));

  connection.onShutdown(async () => {
    diagnostics.dispose();
    workspace?.dispose();
    await parser.close();
  });
  connection.listen();
}
