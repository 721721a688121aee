/**
 * Finds the step definitions (`new BronzeStep({...})`, `new SilverStep({...})`,
 * `new GoldStep({...})`) and `sql` templates of a pipeline file from its text alone, with the
 * TypeScript parser and without running anything. Shared by the debug adapter and the language
 * server; it returns what it can from half-typed files and never throws on bad syntax.
 */
import ts from 'typescript';
import type { Layer } from '../steps.js';
import { EngineNames } from './engineNames.js';
import { readRules, type RuleStringRef } from './ruleLiterals.js';
import {
  endsWith,
  hasOffsetIn,
  parseSource,
  propertyKeyText,
  skipParentheses,
  SourcePositions,
  syntaxErrorOffsets,
  type Range,
  type StringRef,
} from './sourceText.js';
import { readSqlTemplate, type SqlTemplateRef } from './sqlTemplates.js';

export { isSqlRule, TUPLE_OPERATORS, type RuleStringRef } from './ruleLiterals.js';
export type { MappedStringRef, Position, Range, StringRef } from './sourceText.js';
export {
  SQL_PLACEHOLDER_PREFIX,
  type SqlInterpolation,
  type SqlTemplateRef,
} from './sqlTemplates.js';
export {
  mapTextOffset,
  mapTextRange,
  type MappedLocation,
  type MappedSegment,
} from './textSegments.js';

/**
 * One step as written in source. Ranges are 0-based LSP ranges (UTF-16 characters, end
 * exclusive); a `StringRef` range covers a string's content without its quotes.
 */
export interface StepDefinition {
  layer: Layer;
  /** The `name` when it is a string literal; undefined when missing, computed or unterminated. */
  name: string | undefined;
  /** The name's content range, without quotes; set exactly when `name` is. */
  nameRange: Range | undefined;
  /** The whole `new XStep({...})` expression, from `new` to the closing parenthesis. */
  range: Range;
  /** Document offset of `range.start`. */
  offset: number;
  /** Document offset of `range.end`. */
  end: number;
  /** The 0-based line of the `new` keyword. */
  headerLine: number;
  /** False while the step has a syntax error or its brackets are not closed yet. */
  complete: boolean;
  sourceBronze?: StringRef;
  /** The string literals of `sourceSilvers`; other elements are skipped. */
  sourceSilvers: StringRef[];
  tableName?: StringRef;
  schema?: StringRef;
  /** The keys of the `rules` object literal, identifiers or strings. */
  ruleColumns: StringRef[];
  /** String rules that are SQL expressions (not shorthands, not tuples), with their column. */
  ruleStrings: RuleStringRef[];
  /** The value of `transform`: the function expression, or the whole method when a method. */
  transformRange?: Range;
  /** Every `sql` template inside this step and not inside a step nested in it. */
  sqlTemplates: SqlTemplateRef[];
}

/** Everything this module finds in one file, from one parse. */
export interface PipelineSource {
  steps: StepDefinition[];
  /** Every `sql` template in the file, inside steps or not, in document order. */
  sqlTemplates: SqlTemplateRef[];
}

/** The default glob of pipeline files. */
export const pipelineFilePattern = '**/*.pipeline.{ts,mts,js,mjs}';

/** True for paths of pipeline files (`*.pipeline.ts`, `.mts`, `.js` or `.mjs`). */
export function isPipelineFile(path: string): boolean {
  return /\.pipeline\.(?:ts|mts|js|mjs)$/.test(path);
}

/** The step definitions of a file, in document order of their `new` keyword. */
export function findStepDefinitions(text: string, fileName?: string): StepDefinition[] {
  return analyzePipelineSource(text, fileName).steps;
}

/** Every `sql` tagged template in a file, inside steps or not. */
export function findSqlTemplates(text: string, fileName?: string): SqlTemplateRef[] {
  return analyzePipelineSource(text, fileName).sqlTemplates;
}

/** Steps and templates of a file from one parse; the file name picks TypeScript or JavaScript. */
export function analyzePipelineSource(text: string, fileName?: string): PipelineSource {
  const file = parseSource(text, fileName);
  const positions = new SourcePositions(file);
  const errors = syntaxErrorOffsets(file);
  const names = new EngineNames(file);
  const steps: StepDefinition[] = [];
  const sqlTemplates: SqlTemplateRef[] = [];
  const open: StepDefinition[] = [];

  const visit = (node: ts.Node): void => {
    if (ts.isNewExpression(node)) {
      const layer = names.stepLayer(node.expression);
      if (layer) {
        const step = readStep(node, layer, positions);
        // An error at the step's first token is about what precedes it (a missing comma).
        step.complete &&= !hasOffsetIn(errors, step.offset + 1, step.end - 1);
        steps.push(step);
        open.push(step);
        ts.forEachChild(node, visit);
        open.pop();
        return;
      }
    } else if (ts.isTaggedTemplateExpression(node) && names.isSqlTag(node.tag)) {
      const template = readSqlTemplate(node, positions);
      sqlTemplates.push(template);
      open[open.length - 1]?.sqlTemplates.push(template);
    }
    ts.forEachChild(node, visit);
  };
  visit(file);
  return { steps, sqlTemplates };
}

/**
 * The step whose range holds a 0-based line: the first step that starts on the line, else the
 * innermost step around it. Steps without a literal name are included; callers may skip them.
 */
export function stepAt(steps: readonly StepDefinition[], line: number): StepDefinition | undefined {
  let best: StepDefinition | undefined;
  for (const step of steps) {
    if (step.range.start.line > line || step.range.end.line < line) {
      continue;
    }
    if (step.headerLine === line) {
      return step;
    }
    if (best === undefined || step.offset > best.offset) {
      best = step;
    }
  }
  return best;
}

/** One step's definition from its `new` expression; fields that are not literals are left out. */
function readStep(
  node: ts.NewExpression,
  layer: Layer,
  positions: SourcePositions,
): StepDefinition {
  const offset = positions.startOf(node);
  const range = positions.nodeRange(node);
  const step: StepDefinition = {
    layer,
    name: undefined,
    nameRange: undefined,
    range,
    offset,
    end: node.end,
    headerLine: range.start.line,
    complete: false,
    sourceSilvers: [],
    ruleColumns: [],
    ruleStrings: [],
    sqlTemplates: [],
  };
  const argument = node.arguments?.[0];
  const options = argument && skipParentheses(argument);
  if (!options || !ts.isObjectLiteralExpression(options)) {
    step.complete = node.arguments !== undefined && endsWith(positions.file, node, ')');
    return step;
  }
  step.complete = endsWith(positions.file, options, '}') && endsWith(positions.file, node, ')');

  for (const property of options.properties) {
    const key = propertyKeyText(property.name) ?? '';
    if (key === 'transform' && ts.isMethodDeclaration(property)) {
      step.transformRange = positions.nodeRange(property);
    }
    if (!ts.isPropertyAssignment(property)) {
      continue;
    }
    const value = skipParentheses(property.initializer);
    switch (key) {
      case 'name': {
        const ref = positions.stringRef(stringLiteral(value));
        step.name = ref && !ref.unterminated ? ref.value : undefined;
        step.nameRange = step.name === undefined ? undefined : ref?.range;
        break;
      }
      case 'sourceBronze':
      case 'tableName':
      case 'schema': {
        const ref = positions.stringRef(stringLiteral(value));
        if (ref) {
          step[key] = ref;
        } else {
          delete step[key];
        }
        break;
      }
      case 'sourceSilvers':
        step.sourceSilvers = ts.isArrayLiteralExpression(value)
          ? value.elements.flatMap((e) => positions.stringRef(stringLiteral(e)) ?? [])
          : [];
        break;
      case 'rules': {
        const rules = readRules(value, positions);
        step.ruleColumns = rules.columns;
        step.ruleStrings = rules.strings;
        break;
      }
      case 'transform':
        step.transformRange = positions.nodeRange(property.initializer);
        break;
      default:
        break;
    }
  }
  return step;
}

/** The node itself when it is a string literal or a plain template, else undefined. */
function stringLiteral(node: ts.Expression): ts.Expression | undefined {
  const inner = skipParentheses(node);
  return ts.isStringLiteral(inner) || ts.isNoSubstitutionTemplateLiteral(inner) ? inner : undefined;
}
