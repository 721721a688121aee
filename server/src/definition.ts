/** Go to definition: from a step name or a source that names a step, to the step's name. */
import type { DefinitionParams, Location } from 'vscode-languageserver/node';
import { fileOf, type ServerContext } from './context.js';
import { definitionsOf, occurrenceAt } from './stepNames.js';

/** The definitions of the step named at the position, in any pipeline file. */
export function definition(context: ServerContext, params: DefinitionParams): Location[] {
  const file = fileOf(context, params.textDocument.uri);
  const occurrence = file && occurrenceAt(file, params.position);
  if (!occurrence) {
    return [];
  }
  return definitionsOf(context.index, occurrence).map((t) => ({
    uri: t.file.uri,
    range: t.step.nameRange,
  }));
}
