/**
 * Which pipeline file and step a command acts on: the arguments a CodeLens passes, or the active
 * editor and the step at its cursor (asking the user when the cursor is not on a step).
 */
import * as vscode from 'vscode';

/** A step of a pipeline file. */
export interface StepTarget {
  uri: vscode.Uri;
  step: string;
  /** Where the step is defined, when known. */
  range?: vscode.Range;
}

const PIPELINE_FILE = /\.pipeline\.(ts|mts|js|mjs)$/;

/** The step a command acts on, or undefined when the user gave none. */
export async function resolveStepTarget(
  uriArg: unknown,
  stepArg: unknown,
): Promise<StepTarget | undefined> {
  const uri = toUri(uriArg) ?? vscode.window.activeTextEditor?.document.uri;
  if (!uri || !PIPELINE_FILE.test(uri.path)) {
    void vscode.window.showErrorMessage(
      'Stepwise: open a pipeline file (*.pipeline.ts) first, or use the actions above a step.',
    );
    return undefined;
  }
  const steps = await stepsOf(uri);
  if (typeof stepArg === 'string') {
    return { uri, step: stepArg, ...rangeOf(steps, stepArg) };
  }
  const cursor =
    vscode.window.activeTextEditor?.document.uri.toString() === uri.toString()
      ? vscode.window.activeTextEditor.selection.active
      : undefined;
  const atCursor = cursor ? steps.find((s) => s.range.contains(cursor)) : undefined;
  if (atCursor) {
    return { uri, step: atCursor.name, range: atCursor.range };
  }
  if (steps.length === 0) {
    void vscode.window.showErrorMessage(
      `Stepwise: no steps found in ${vscode.workspace.asRelativePath(uri)}.`,
    );
    return undefined;
  }
  const picked = await vscode.window.showQuickPick(
    steps.map((s) => ({ label: s.name, description: s.detail, step: s })),
    { placeHolder: 'Which step?' },
  );
  return picked ? { uri, step: picked.step.name, range: picked.step.range } : undefined;
}

/** The steps of a pipeline file, from the language server's document symbols. */
export async function stepsOf(uri: vscode.Uri): Promise<vscode.DocumentSymbol[]> {
  const symbols =
    (await vscode.commands.executeCommand<vscode.DocumentSymbol[] | undefined>(
      'vscode.executeDocumentSymbolProvider',
      uri,
    )) ?? [];
  const layers = symbols.filter((s) => ['Bronze', 'Silver', 'Gold'].includes(s.name));
  return layers.flatMap((layer) => layer.children ?? []);
}

function rangeOf(steps: vscode.DocumentSymbol[], name: string): { range?: vscode.Range } {
  const found = steps.find((s) => s.name === name);
  return found ? { range: found.selectionRange } : {};
}

function toUri(value: unknown): vscode.Uri | undefined {
  if (value instanceof vscode.Uri) {
    return value;
  }
  return typeof value === 'string' ? vscode.Uri.parse(value) : undefined;
}
