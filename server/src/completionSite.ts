/**
 * Where the cursor is, for completion: inside a `sourceBronze` or `sourceSilvers` string of a
 * step, or at a key of its `rules` object. The step's text up to the cursor is parsed on its own,
 * since what is being typed rarely parses as part of the whole file.
 */
import ts from 'typescript';
import type { Position, Range, StepDefinition } from '../../engine/src/source/stepDefinitions.js';
import type { PipelineFile } from './pipelineFile.js';

/** What can be completed at the cursor, and the document range a completion replaces. */
export interface CompletionSite {
  kind: 'stepName' | 'ruleColumn';
  /** For step names: which field the string is in. */
  field?: 'sourceBronze' | 'sourceSilvers';
  step: StepDefinition;
  replace: Range;
  /** True when the completion goes where an identifier is written (unquoted rule key). */
  bare: boolean;
}

/** The completion site at a position, if the cursor is at one. */
export function completionSite(file: PipelineFile, position: Position): CompletionSite | undefined {
  const cursor = file.offsetAt(position);
  const step = stepAround(file.steps, cursor);
  if (!step) {
    return undefined;
  }
  const snippet = file.text.slice(step.offset, cursor);
  const source = ts.createSourceFile('step.ts', snippet, ts.ScriptTarget.Latest, true);
  const statement = source.statements[0];
  const top = statement && ts.isExpressionStatement(statement) ? statement.expression : undefined;
  const options = top && ts.isNewExpression(top) ? top.arguments?.[0] : undefined;
  if (!options || !ts.isObjectLiteralExpression(options)) {
    return undefined;
  }
  const node = deepestAt(source, snippet.length);
  const docRange = (start: number, end: number): Range => ({
    start: file.positionAt(step.offset + start),
    end: file.positionAt(end),
  });

  if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) {
    if (node.isUnterminated !== true) {
      // The text ends at the cursor, so a closed string ends before it: the cursor is outside.
      return undefined;
    }
    const contentStart = node.getStart(source) + 1;
    const replace = docRange(contentStart, literalEnd(file, step.offset + contentStart, cursor));
    const field = sourceField(node, options);
    if (field) {
      return { kind: 'stepName', field, step, replace, bare: false };
    }
    if (isRuleKey(node, options)) {
      return { kind: 'ruleColumn', step, replace, bare: false };
    }
    return undefined;
  }
  if (ts.isIdentifier(node) && isRuleKey(node, options)) {
    const replace = docRange(node.getStart(source), wordEnd(file.text, cursor));
    return { kind: 'ruleColumn', step, replace, bare: true };
  }
  if (ts.isObjectLiteralExpression(node) && rulesObject(options) === node) {
    return { kind: 'ruleColumn', step, replace: { start: position, end: position }, bare: true };
  }
  return undefined;
}

/** The innermost step whose text holds the cursor. */
function stepAround(steps: readonly StepDefinition[], cursor: number): StepDefinition | undefined {
  let best: StepDefinition | undefined;
  for (const step of steps) {
    if (step.offset < cursor && cursor <= step.end && (!best || step.offset > best.offset)) {
      best = step;
    }
  }
  return best;
}

/**
 * The deepest node that holds `offset`, its end included. Zero-width nodes (the end-of-file token,
 * nodes the parser made up to recover from errors) hold nothing.
 */
function deepestAt(source: ts.SourceFile, offset: number): ts.Node {
  let current: ts.Node = source;
  for (;;) {
    const next: ts.Node | undefined = ts.forEachChild(current, (child) => {
      const start = child.getStart(source);
      return start < child.end && start <= offset && offset <= child.end ? child : undefined;
    });
    if (!next) {
      return current;
    }
    current = next;
  }
}

/** Which source field a string literal is the value (or a list element) of, if any. */
function sourceField(
  node: ts.Node,
  options: ts.ObjectLiteralExpression,
): 'sourceBronze' | 'sourceSilvers' | undefined {
  const parent = node.parent;
  if (ts.isPropertyAssignment(parent) && parent.initializer === node) {
    return parent.parent === options && keyOf(parent) === 'sourceBronze'
      ? 'sourceBronze'
      : undefined;
  }
  if (ts.isArrayLiteralExpression(parent)) {
    const property = parent.parent;
    return ts.isPropertyAssignment(property) &&
      property.parent === options &&
      keyOf(property) === 'sourceSilvers'
      ? 'sourceSilvers'
      : undefined;
  }
  return undefined;
}

/** True when a node is the key of a property of the step's `rules` object. */
function isRuleKey(node: ts.Node, options: ts.ObjectLiteralExpression): boolean {
  const property = node.parent;
  const isKey =
    (ts.isPropertyAssignment(property) && property.name === node) ||
    ts.isShorthandPropertyAssignment(property);
  return isKey && property.parent === rulesObject(options);
}

/** The object literal of the step's `rules`, if written as one. */
function rulesObject(options: ts.ObjectLiteralExpression): ts.Node | undefined {
  for (const property of options.properties) {
    if (ts.isPropertyAssignment(property) && keyOf(property) === 'rules') {
      return ts.isObjectLiteralExpression(property.initializer) ? property.initializer : undefined;
    }
  }
  return undefined;
}

function keyOf(property: ts.PropertyAssignment): string | undefined {
  const name = property.name;
  return ts.isIdentifier(name) || ts.isStringLiteral(name) ? name.text : undefined;
}

/** Where the string literal that starts at `contentStart` ends in the whole file. */
function literalEnd(file: PipelineFile, contentStart: number, cursor: number): number {
  for (const step of file.steps) {
    const refs = [step.sourceBronze, ...step.sourceSilvers, ...step.ruleColumns];
    const ref = refs.find((r) => r?.offset === contentStart);
    if (ref && ref.end >= cursor) {
      return ref.end;
    }
  }
  return cursor;
}

/** The end of the identifier that the cursor is in. */
function wordEnd(text: string, cursor: number): number {
  let end = cursor;
  while (end < text.length && /[\w$]/.test(text[end]!)) {
    end += 1;
  }
  return end;
}
