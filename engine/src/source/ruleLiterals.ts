/**
 * Reads a step's `rules` object literal: the column keys, and the string rules that are SQL
 * expressions (as opposed to shorthands such as 'not_null' and tuples such as ['gt', 0]), with
 * the same reading of nested lists and named rules as the engine's rule compiler.
 */
import ts from 'typescript';
import { SHORTHANDS, TUPLE_OPS } from '../rules.js';
import {
  propertyKey,
  propertyKeyText,
  skipParentheses,
  type MappedStringRef,
  type SourcePositions,
  type StringRef,
} from './sourceText.js';

/** A rule written as a SQL string, with the column whose rules list holds it. */
export interface RuleStringRef extends MappedStringRef {
  column: string;
}

/** What the `rules` literal of one step shows. */
export interface RuleLiterals {
  columns: StringRef[];
  strings: RuleStringRef[];
}

const SHORTHAND_NAMES: ReadonlySet<string> = new Set(Object.keys(SHORTHANDS));

/** Operators that make a list a tuple rule (`['gt', 0]`), as the engine reads them. */
export const TUPLE_OPERATORS: ReadonlySet<string> = TUPLE_OPS;

/** True for a rule string the engine hands to DuckDB as SQL rather than expanding itself. */
export function isSqlRule(text: string): boolean {
  return text.trim() !== '' && !SHORTHAND_NAMES.has(text) && !TUPLE_OPERATORS.has(text);
}

/** The column keys and SQL rule strings of a `rules` value, when it is an object literal. */
export function readRules(
  value: ts.Expression | undefined,
  positions: SourcePositions,
): RuleLiterals {
  const result: RuleLiterals = { columns: [], strings: [] };
  const rules = value && skipParentheses(value);
  if (!rules || !ts.isObjectLiteralExpression(rules)) {
    return result;
  }
  for (const property of rules.properties) {
    if (ts.isShorthandPropertyAssignment(property)) {
      const key = positions.stringRef(property.name);
      if (key) {
        result.columns.push(key);
      }
      continue;
    }
    if (!ts.isPropertyAssignment(property)) {
      continue;
    }
    const column = propertyKeyText(property.name);
    const key = positions.stringRef(propertyKey(property.name));
    if (column === undefined || !key) {
      continue;
    }
    result.columns.push(key);
    readColumnRules(property.initializer, column, positions, result.strings);
  }
  return result;
}

/** A column's rules: one rule, a flat tuple, or a list of rules. */
function readColumnRules(
  value: ts.Expression,
  column: string,
  positions: SourcePositions,
  out: RuleStringRef[],
): void {
  const node = skipParentheses(value);
  if (!ts.isArrayLiteralExpression(node)) {
    readRule(node, column, positions, out);
    return;
  }
  const first = node.elements[0];
  if (first && TUPLE_OPERATORS.has(literalText(first) ?? '')) {
    return;
  }
  for (const element of node.elements) {
    readRule(element, column, positions, out);
  }
}

/** One rule: a string, a one-element list around a rule, or a named rule `{ name, rule }`. */
function readRule(
  value: ts.Expression,
  column: string,
  positions: SourcePositions,
  out: RuleStringRef[],
): void {
  const node = skipParentheses(value);
  if (ts.isArrayLiteralExpression(node)) {
    const only = node.elements.length === 1 ? node.elements[0] : undefined;
    if (only && !ts.isSpreadElement(only)) {
      readRule(only, column, positions, out);
    }
    return;
  }
  if (ts.isObjectLiteralExpression(node)) {
    for (const property of node.properties) {
      if (ts.isPropertyAssignment(property) && propertyKeyText(property.name) === 'rule') {
        readRule(property.initializer, column, positions, out);
      }
    }
    return;
  }
  const ref = positions.mappedString(node);
  if (ref && isSqlRule(ref.value)) {
    out.push({ ...ref, column });
  }
}

function literalText(node: ts.Expression): string | undefined {
  const inner = skipParentheses(node);
  return ts.isStringLiteral(inner) || ts.isNoSubstitutionTemplateLiteral(inner)
    ? inner.text
    : undefined;
}
