/**
 * Completions in the Debug Console: SQL keywords, step names (tables of the context) and the
 * column names of context DataFrames.
 */
import type { DebugProtocol } from '@vscode/debugprotocol';
import type { DebugRuntime } from './runtime.js';

const KEYWORDS = [
  'SELECT',
  'FROM',
  'WHERE',
  'GROUP BY',
  'ORDER BY',
  'HAVING',
  'LIMIT',
  'OFFSET',
  'JOIN',
  'LEFT JOIN',
  'ON',
  'USING',
  'AS',
  'AND',
  'OR',
  'NOT',
  'IN',
  'IS NULL',
  'IS NOT NULL',
  'BETWEEN',
  'LIKE',
  'DISTINCT',
  'COUNT',
  'SUM',
  'AVG',
  'MIN',
  'MAX',
  'CASE',
  'WHEN',
  'THEN',
  'ELSE',
  'END',
  'UNION ALL',
  'WITH',
  'DESCRIBE',
  'SUMMARIZE',
  'QUALIFY',
  'CAST',
];

/** Completion items for the word before `column` (1-based) in `text`. */
export async function completions(
  runtime: DebugRuntime,
  text: string,
  column: number,
): Promise<DebugProtocol.CompletionItem[]> {
  const before = text.slice(0, Math.max(0, column - 1));
  const word = /[\p{L}\p{N}_]*$/u.exec(before)?.[0] ?? '';
  const lower = word.toLowerCase();
  const items: DebugProtocol.CompletionItem[] = [];
  const add = (label: string, type: DebugProtocol.CompletionItemType, detail?: string): void => {
    if (label.toLowerCase().startsWith(lower) && !items.some((i) => i.label === label)) {
      items.push({ label, type, length: word.length, ...(detail ? { detail } : {}) });
    }
  };
  for (const step of runtime.host.steps) {
    add(step.name, 'class', `${step.layer} step`);
  }
  for (const [name, frame] of Object.entries(runtime.context)) {
    for (const field of await frame.schema()) {
      add(field.name, 'field', `${name}.${field.name} ${field.type}`);
    }
  }
  for (const keyword of KEYWORDS) {
    add(keyword, 'keyword');
  }
  return items;
}
