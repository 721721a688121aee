/** The extension's one log: an output channel whose level the user sets with "Set Log Level". */
import * as vscode from 'vscode';

/** The Stepwise log channel. */
export type Log = vscode.LogOutputChannel;

/** Creates the log channel. */
export function createLog(): Log {
  return vscode.window.createOutputChannel('Stepwise', { log: true });
}
