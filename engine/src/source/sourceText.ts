/**
 * Parsing a pipeline file with the TypeScript parser (no type checker, no program) and turning
 * nodes into LSP-style ranges. Positions are 0-based lines and UTF-16 characters, as in LSP.
 */
import ts from 'typescript';
import { LineIndex, type Position } from './lineIndex.js';
import { cookLiteral, type MappedSegment } from './textSegments.js';

export type { Position };

/** A half-open range of positions, as in LSP. */
export interface Range {
  start: Position;
  end: Position;
}

/** A literal value found in source, with where it is written. */
export interface StringRef {
  value: string;
  /** The literal's content: without its quotes for strings, the whole name for identifiers. */
  range: Range;
  /** Document offset of `range.start`. */
  offset: number;
  /** Document offset of `range.end`. */
  end: number;
  /** Set when the string has no closing quote yet (the user is typing it). */
  unterminated?: true;
}

/** A string literal whose value maps back, character by character, to the document. */
export interface MappedStringRef extends StringRef {
  /** How offsets in `value` map to the document; see `mapTextOffset`. */
  segments: MappedSegment[];
}

const SCRIPT_KINDS: Record<string, ts.ScriptKind> = {
  ts: ts.ScriptKind.TS,
  mts: ts.ScriptKind.TS,
  cts: ts.ScriptKind.TS,
  tsx: ts.ScriptKind.TSX,
  js: ts.ScriptKind.JS,
  mjs: ts.ScriptKind.JS,
  cjs: ts.ScriptKind.JS,
  jsx: ts.ScriptKind.JSX,
};

/** The script kind for a file name by its extension; TypeScript when unknown. */
export function scriptKindOf(fileName: string): ts.ScriptKind {
  const ext = /\.([A-Za-z]+)$/.exec(fileName)?.[1]?.toLowerCase() ?? 'ts';
  return SCRIPT_KINDS[ext] ?? ts.ScriptKind.TS;
}

/**
 * Parses source text into a syntax tree; never throws on bad syntax. Parent links are not set:
 * nothing here walks upwards, and setting them costs a noticeable share of the parse time.
 */
export function parseSource(text: string, fileName = 'pipeline.ts'): ts.SourceFile {
  // JSDoc is never needed here, and skipping it makes large files parse faster too.
  const options: ts.CreateSourceFileOptions = {
    languageVersion: ts.ScriptTarget.Latest,
    jsDocParsingMode: ts.JSDocParsingMode.ParseNone,
  };
  return ts.createSourceFile(fileName, text, options, false, scriptKindOf(fileName));
}

/**
 * Converts document offsets into positions of one parsed file. Lines end at LF, CR LF or CR, as
 * in LSP; the TypeScript parser's own line map also breaks at U+2028 and U+2029, so it is not used.
 */
export class SourcePositions {
  private readonly lines: LineIndex;

  constructor(readonly file: ts.SourceFile) {
    this.lines = new LineIndex(file.text);
  }

  /** The position of a document offset. */
  at(offset: number): Position {
    return this.lines.positionAt(offset);
  }

  /** The range between two document offsets. */
  range(start: number, end: number): Range {
    return { start: this.at(start), end: this.at(end) };
  }

  /** The range of a node, from its first token (comments skipped) to its end. */
  nodeRange(node: ts.Node): Range {
    return this.range(this.startOf(node), node.end);
  }

  /** The offset of a node's first token. */
  startOf(node: ts.Node): number {
    return node.getStart(this.file);
  }

  /** A string-like literal or a name as a `StringRef`, or undefined for anything else. */
  stringRef(node: ts.Node | undefined): StringRef | undefined {
    if (!node) {
      return undefined;
    }
    if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) {
      const { start, end, unterminated } = this.literalContent(node);
      return this.ref(node.text, start, end, unterminated);
    }
    if (ts.isIdentifier(node) || ts.isPrivateIdentifier(node) || ts.isNumericLiteral(node)) {
      return this.ref(node.text, this.startOf(node), node.end, false);
    }
    return undefined;
  }

  /** A string literal or a template without substitutions, with its value mapped back. */
  mappedString(node: ts.Node | undefined): MappedStringRef | undefined {
    if (!node || !(ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node))) {
      return undefined;
    }
    const { start, end, unterminated } = this.literalContent(node);
    const raw = this.file.text.slice(start, end);
    const template = ts.isNoSubstitutionTemplateLiteral(node);
    const segments = cookLiteral(raw, start, node.text, template, this);
    return { ...this.ref(node.text, start, end, unterminated), segments };
  }

  /** Where a literal's content starts and ends, inside its quotes. */
  private literalContent(node: ts.LiteralExpression): {
    start: number;
    end: number;
    unterminated: boolean;
  } {
    const start = this.startOf(node) + 1;
    const unterminated = node.isUnterminated === true || node.end - start < 1;
    return { start, end: unterminated ? node.end : node.end - 1, unterminated };
  }

  private ref(value: string, start: number, end: number, unterminated: boolean): StringRef {
    const ref: StringRef = { value, range: this.range(start, end), offset: start, end };
    if (unterminated) {
      ref.unterminated = true;
    }
    return ref;
  }
}

/** The name of a property as written, for identifiers, literals and literal computed keys. */
export function propertyKey(name: ts.PropertyName | undefined): ts.Node | undefined {
  if (name && ts.isComputedPropertyName(name)) {
    const inner = skipParentheses(name.expression);
    return ts.isStringLiteral(inner) || ts.isNoSubstitutionTemplateLiteral(inner)
      ? inner
      : undefined;
  }
  return name;
}

/** The text of a property key, or undefined when it is not known without running the code. */
export function propertyKeyText(name: ts.PropertyName | undefined): string | undefined {
  const key = propertyKey(name);
  if (!key) {
    return undefined;
  }
  if (
    ts.isIdentifier(key) ||
    ts.isPrivateIdentifier(key) ||
    ts.isStringLiteral(key) ||
    ts.isNoSubstitutionTemplateLiteral(key) ||
    ts.isNumericLiteral(key)
  ) {
    return key.text;
  }
  return undefined;
}

/** The expression inside any number of parentheses, type assertions and `satisfies`. */
export function skipParentheses(node: ts.Expression): ts.Expression {
  let current = node;
  while (WRAPPERS.has(current.kind)) {
    current = (current as ts.ParenthesizedExpression).expression;
  }
  return current;
}

/** Expressions that only wrap another one, which is their `expression`. */
const WRAPPERS: ReadonlySet<ts.SyntaxKind> = new Set([
  ts.SyntaxKind.ParenthesizedExpression,
  ts.SyntaxKind.AsExpression,
  ts.SyntaxKind.SatisfiesExpression,
  ts.SyntaxKind.NonNullExpression,
  ts.SyntaxKind.TypeAssertionExpression,
]);

/**
 * Sorted offsets of the parser's syntax errors. The parser keeps them on the source file outside
 * its typed API; when they are missing, the list is empty and callers fall back on bracket checks.
 */
export function syntaxErrorOffsets(file: ts.SourceFile): number[] {
  const diagnostics = (file as { parseDiagnostics?: unknown }).parseDiagnostics;
  if (!Array.isArray(diagnostics)) {
    return [];
  }
  return diagnostics
    .map((d: { start?: unknown }) => (typeof d.start === 'number' ? d.start : 0))
    .sort((a, b) => a - b);
}

/** True when a sorted list of offsets has one in `[start, end]`. */
export function hasOffsetIn(sorted: readonly number[], start: number, end: number): boolean {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (sorted[mid]! < start) {
      lo = mid + 1;
    } else {
      hi = mid;
    }
  }
  return lo < sorted.length && sorted[lo]! <= end;
}

/** True when the last token of a node is the given text (a closing bracket, say). */
export function endsWith(file: ts.SourceFile, node: ts.Node, token: string): boolean {
  return node.end >= token.length && file.text.startsWith(token, node.end - token.length);
}
