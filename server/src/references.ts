/**
 * Find references: every `sourceBronze` and `sourceSilvers` entry, in every pipeline file, that
 * names the same step as the name at the position, and the step's own name when asked for.
 */
import type { Location, ReferenceParams } from 'vscode-languageserver/node';
import { fileOf, type ServerContext } from './context.js';
import { definitionsOf, occurrenceAt, referencesTo } from './stepNames.js';

/** The references to the step named at the position. */
export function references(context: ServerContext, params: ReferenceParams): Location[] {
  const file = fileOf(context, params.textDocument.uri);
  const occurrence = file && occurrenceAt(file, params.position);
  if (!occurrence) {
    return [];
  }
  const locations: Location[] = [];
  for (const target of definitionsOf(context.index, occurrence)) {
    if (params.context.includeDeclaration) {
      locations.push({ uri: target.file.uri, range: target.step.nameRange });
    }
    for (const reference of referencesTo(context.index, target)) {
      locations.push({ uri: reference.file.uri, range: reference.range });
    }
  }
  return locations;
}
