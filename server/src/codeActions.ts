/**
 * Quick fixes: an unknown source that is close to a step name is replaced by that name, as the
 * diagnostic's "did you mean" suggests.
 */
import type { CodeAction, CodeActionParams, Diagnostic } from 'vscode-languageserver/node';
import { CodeActionKind } from 'vscode-languageserver/node';
import { closestName } from '../../engine/src/errors.js';
import { fileOf, type ServerContext } from './context.js';
import { DIAGNOSTIC_SOURCE, type UnknownSourceData } from './diagnosticCodes.js';
import { occurrenceAt, visibleSteps } from './stepNames.js';

/** The quick fixes for the diagnostics in the request's context. */
export function codeActions(context: ServerContext, params: CodeActionParams): CodeAction[] {
  const actions: CodeAction[] = [];
  for (const diagnostic of params.context.diagnostics) {
    if (diagnostic.source !== DIAGNOSTIC_SOURCE || diagnostic.code !== 'unknown-source') {
      continue;
    }
    const suggestion = suggestionFor(context, params.textDocument.uri, diagnostic);
    if (suggestion === undefined) {
      continue;
    }
    actions.push({
      title: `Replace with '${suggestion}'`,
      kind: CodeActionKind.QuickFix,
      diagnostics: [diagnostic],
      isPreferred: true,
      edit: {
        changes: {
          [params.textDocument.uri]: [{ range: diagnostic.range, newText: suggestion }],
        },
      },
    });
  }
  return actions;
}

/** The name from the diagnostic's data, or worked out again for clients that drop `data`. */
function suggestionFor(
  context: ServerContext,
  uri: string,
  diagnostic: Diagnostic,
): string | undefined {
  const data = diagnostic.data as UnknownSourceData | undefined;
  if (data?.suggestion !== undefined) {
    return data.suggestion;
  }
  const file = fileOf(context, uri);
  const occurrence = file && occurrenceAt(file, diagnostic.range.start);
  if (!file || !occurrence || occurrence.kind === 'definition') {
    return undefined;
  }
  const names = visibleSteps(context.index, file)
    .map((t) => t.step.name)
    .filter((name) => name !== occurrence.step.name);
  return closestName(occurrence.name, names);
}
