/**
 * Rename a step: its own name and every source, in any pipeline file, that resolves to it.
 * Names that would need escaping in a string literal, and names another visible step already
 * has, are refused with a message that says why.
 */
import type {
  PrepareRenameParams,
  Range,
  RenameParams,
  TextEdit,
  WorkspaceEdit,
} from 'vscode-languageserver/node';
import { fileOf, type ServerContext } from './context.js';
import { invalidStepName, notAStepName, stepNameTaken } from './errors.js';
import type { PipelineFile } from './pipelineFile.js';
import {
  definitionsOf,
  occurrenceAt,
  referencesTo,
  visibleSteps,
  type StepTarget,
} from './stepNames.js';

/** The range and current text of the name to rename; throws when it is not a step name. */
export function prepareRename(
  context: ServerContext,
  params: PrepareRenameParams,
): { range: Range; placeholder: string } {
  const { range, name } = locate(context, params.textDocument.uri, params);
  return { range, placeholder: name };
}

/** The edits that rename the step named at the position. */
export function rename(context: ServerContext, params: RenameParams): WorkspaceEdit {
  const { targets, name } = locate(context, params.textDocument.uri, params);
  const newName = params.newName;
  checkName(newName);
  if (newName === name) {
    return { changes: {} };
  }
  const changes: Record<string, TextEdit[]> = {};
  const seen = new Set<string>();
  const edit = (uri: string, range: Range): void => {
    const key = `${uri}#${range.start.line}:${range.start.character}`;
    if (!seen.has(key)) {
      seen.add(key);
      (changes[uri] ??= []).push({ range, newText: newName });
    }
  };
  for (const target of targets) {
    const readers = referencesTo(context.index, target);
    for (const file of new Set<PipelineFile>([target.file, ...readers.map((r) => r.file)])) {
      const taken = visibleSteps(context.index, file).find((t) => t.step.name === newName);
      if (taken) {
        throw stepNameTaken(newName, taken.file.path);
      }
    }
    edit(target.file.uri, target.step.nameRange);
    for (const reference of readers) {
      edit(reference.file.uri, reference.range);
    }
  }
  return { changes };
}

/** The step name at a position and the steps it stands for; throws when there is none. */
function locate(
  context: ServerContext,
  uri: string,
  params: PrepareRenameParams,
): { targets: StepTarget[]; range: Range; name: string } {
  const file = fileOf(context, uri);
  const occurrence = file && occurrenceAt(file, params.position);
  const targets = occurrence ? definitionsOf(context.index, occurrence) : [];
  if (!file || !occurrence || targets.length === 0) {
    throw notAStepName();
  }
  return { targets, range: occurrence.range, name: occurrence.name };
}

/** Throws when a step name cannot be written as a plain string literal or is blank. */
function checkName(name: string): void {
  if (name.trim() === '') {
    throw invalidStepName(name, 'a step name must not be blank');
  }
  if (name !== name.trim()) {
    throw invalidStepName(name, 'a step name must not start or end with spaces');
  }
  if (/['"`\\\r\n\u2028\u2029]/.test(name)) {
    throw invalidStepName(name, 'a step name must not contain quotes, backslashes or line breaks');
  }
}
