/**
 * The message at the end of a run: a summary when it completed, or the failing step's error
 * with a link that opens the step in the pipeline file.
 */
import * as vscode from 'vscode';
import type { RunFinishedEventBody } from '../../protocol/debugProtocol.js';

/** Shows how a run ended. */
export async function showRunSummary(body: RunFinishedEventBody, wasRun: boolean): Promise<void> {
  const failed = body.steps.find((s) => s.status === 'failed');
  const seconds = `${(body.durationMs / 1000).toFixed(1)} s`;
  if (failed) {
    const choice = await vscode.window.showErrorMessage(
      `Stepwise: step '${failed.name}' failed. ${failed.error ?? ''}`,
      'Go to Step',
    );
    if (choice === 'Go to Step') {
      const document = await vscode.workspace.openTextDocument(body.pipeline);
      const line = Math.max(0, failed.line - 1);
      await vscode.window.showTextDocument(document, {
        selection: new vscode.Range(line, 0, line, 0),
      });
    }
    return;
  }
  if (!wasRun || body.status !== 'completed') {
    return;
  }
  const last = body.steps[body.steps.length - 1];
  const rows = last ? ` · ${last.name}: ${last.outputRows.toLocaleString('en-US')} rows` : '';
  void vscode.window.showInformationMessage(
    `Stepwise: ${body.steps.length} ${body.steps.length === 1 ? 'step' : 'steps'} completed${rows} · ${seconds}`,
  );
}
