/**
 * Whether a step's options object sets a field at all. The engine's step finder reads literal
 * values only, so an absent `sourceBronze` and one set from a variable look alike there; this
 * tells them apart by parsing just the step's own text, and only when it is asked.
 */
import ts from 'typescript';
import type { StepDefinition } from '../../engine/src/source/stepDefinitions.js';

/** How a field appears in a step's options: not at all, as `[]`, or with some other value. */
export type OptionState = 'absent' | 'emptyList' | 'present';

/** How `key` appears in the options of `step`, whose text is part of `text`. */
export function optionState(text: string, step: StepDefinition, key: string): OptionState {
  const snippet = text.slice(step.offset, step.end);
  if (!snippet.includes(key)) {
    return 'absent';
  }
  const file = ts.createSourceFile('step.ts', snippet, ts.ScriptTarget.Latest, false);
  const statement = file.statements[0];
  const expression =
    statement && ts.isExpressionStatement(statement) ? unwrap(statement.expression) : undefined;
  const options =
    expression && ts.isNewExpression(expression) ? expression.arguments?.[0] : undefined;
  const literal = options && unwrap(options);
  if (!literal || !ts.isObjectLiteralExpression(literal)) {
    return 'present';
  }
  let state: OptionState = 'absent';
  for (const property of literal.properties) {
    if (ts.isSpreadAssignment(property)) {
      // A spread may set the field; without running the code it cannot be known.
      return 'present';
    }
    const name = property.name && ts.isIdentifier(property.name) ? property.name.text : undefined;
    const quoted =
      property.name && ts.isStringLiteral(property.name) ? property.name.text : undefined;
    if ((name ?? quoted) !== key) {
      continue;
    }
    const value = ts.isPropertyAssignment(property) ? unwrap(property.initializer) : undefined;
    state =
      value && ts.isArrayLiteralExpression(value) && value.elements.length === 0
        ? 'emptyList'
        : 'present';
  }
  return state;
}

function unwrap(node: ts.Expression): ts.Expression {
  let current = node;
  while (
    ts.isParenthesizedExpression(current) ||
    ts.isAsExpression(current) ||
    ts.isSatisfiesExpression(current)
  ) {
    current = current.expression;
  }
  return current;
}
