/**
 * The Stepwise extension: starts the language server, registers the debugger and the commands,
 * and opens the data viewer and lineage webviews.
 */
import type * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { registerRunCommands } from './commands.js';
import { registerDebugger } from './debugSetup.js';
import { notifyRunsChanged, startLanguageClient } from './languageClient.js';
import { createLog } from './log.js';
import { registerViews } from './views.js';

let client: LanguageClient | undefined;

/** Activates the extension. */
export async function activate(context: vscode.ExtensionContext): Promise<void> {
  const log = createLog();
  context.subscriptions.push(log);
  const bundle = (name: string): string => context.asAbsolutePath(`dist/${name}`);
  registerDebugger(context, log, bundle('debugAdapter.js'), (body) => {
    if (client) {
      notifyRunsChanged(client, body.pipeline);
    }
  });
  registerRunCommands(context, log);
  registerViews(context, log);
  try {
    client = await startLanguageClient(context, log, bundle('server.js'));
  } catch (error) {
    log.error(`The Stepwise language server did not start: ${String(error)}`);
  }
  log.info('Stepwise is active.');
}

/** Stops the language server. */
export async function deactivate(): Promise<void> {
  await client?.stop();
  client = undefined;
}
