/**
 * Document symbols: one container per layer (Bronze, Silver, Gold) in that order, with the
 * file's steps of that layer as children, so the outline reads like the medallion.
 */
import type { DocumentSymbol, DocumentSymbolParams, Range } from 'vscode-languageserver/node';
import { SymbolKind } from 'vscode-languageserver/node';
import type { Layer } from '../../engine/src/steps.js';
import { fileOf, type ServerContext } from './context.js';
import { namedSteps, sourcesOf } from './stepNames.js';

const LAYERS: { layer: Layer; title: string }[] = [
  { layer: 'bronze', title: 'Bronze' },
  { layer: 'silver', title: 'Silver' },
  { layer: 'gold', title: 'Gold' },
];

/** The layer containers and their steps. */
export function documentSymbols(
  context: ServerContext,
  params: DocumentSymbolParams,
): DocumentSymbol[] {
  const file = fileOf(context, params.textDocument.uri);
  if (!file) {
    return [];
  }
  const steps = namedSteps(file).map((t) => t.step);
  const result: DocumentSymbol[] = [];
  for (const { layer, title } of LAYERS) {
    const children: DocumentSymbol[] = steps
      .filter((s) => s.layer === layer)
      .map((s) => {
        const reads = sourcesOf(s);
        return {
          name: s.name,
          detail: reads.length > 0 ? `reads ${reads.join(', ')}` : `${layer} step`,
          kind: SymbolKind.Function,
          range: s.range,
          selectionRange: s.nameRange,
        };
      });
    const first = children[0];
    if (!first) {
      continue;
    }
    const range = children.reduce<Range>(
      (all, c) => ({
        start: earlier(all.start, c.range.start) ? all.start : c.range.start,
        end: earlier(all.end, c.range.end) ? c.range.end : all.end,
      }),
      first.range,
    );
    result.push({
      name: title,
      detail: `${children.length} ${children.length === 1 ? 'step' : 'steps'}`,
      kind: SymbolKind.Namespace,
      range,
      selectionRange: first.selectionRange,
      children,
    });
  }
  return result;
}

function earlier(
  a: { line: number; character: number },
  b: { line: number; character: number },
): boolean {
  return a.line < b.line || (a.line === b.line && a.character <= b.character);
}
