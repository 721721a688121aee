/** The params last used for each step, remembered per workspace for "Rerun with params…". */
import type * as vscode from 'vscode';

/** Last params per pipeline file and step. */
export class ParamsStore {
  constructor(private readonly state: vscode.Memento) {}

  /** The params last used for a step, or `{}`. */
  get(uri: vscode.Uri, step: string): Record<string, unknown> {
    return this.state.get<Record<string, unknown>>(key(uri, step)) ?? {};
  }

  /** Remembers the params used for a step. */
  set(uri: vscode.Uri, step: string, params: Record<string, unknown>): Thenable<void> {
    return this.state.update(key(uri, step), params);
  }
}

function key(uri: vscode.Uri, step: string): string {
  return `stepwise.params:${uri.toString()}#${step}`;
}
