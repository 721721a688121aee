/**
 * Starts the Stepwise language server and keeps it told about workspace trust and finished
 * runs, so its lenses and diagnostics stay current.
 */
import * as vscode from 'vscode';
import {
  LanguageClient,
  TransportKind,
  type LanguageClientOptions,
} from 'vscode-languageclient/node';
import {
  RUNS_CHANGED_NOTIFICATION,
  TRUST_CHANGED_NOTIFICATION,
  type RunsChangedParams,
  type StepwiseInitializationOptions,
  type TrustChangedParams,
} from '../../protocol/languageProtocol.js';
import type { Log } from './log.js';

/** Starts the language server. */
export async function startLanguageClient(
  context: vscode.ExtensionContext,
  log: Log,
  serverPath: string,
): Promise<LanguageClient> {
  const initializationOptions: StepwiseInitializationOptions = {
    trusted: vscode.workspace.isTrusted,
  };
  const options: LanguageClientOptions = {
    documentSelector: [
      { scheme: 'file', pattern: '**/*.pipeline.{ts,mts,js,mjs}' },
      { scheme: 'untitled', language: 'typescript' },
    ],
    initializationOptions,
    outputChannel: log,
    synchronize: { configurationSection: 'stepwise' },
  };
  const server = { module: serverPath, transport: TransportKind.ipc };
  const client = new LanguageClient(
    'stepwise',
    'Stepwise',
    { run: server, debug: server },
    options,
  );
  context.subscriptions.push(
    client,
    vscode.workspace.onDidGrantWorkspaceTrust(() => {
      const params: TrustChangedParams = { trusted: true };
      void client.sendNotification(TRUST_CHANGED_NOTIFICATION, params);
    }),
  );
  await client.start();
  return client;
}

/** Tells the server that a run wrote to the run history of a pipeline. */
export function notifyRunsChanged(client: LanguageClient, pipeline: string): void {
  const params: RunsChangedParams = { uri: vscode.Uri.file(pipeline).toString() };
  void client.sendNotification(RUNS_CHANGED_NOTIFICATION, params);
}
