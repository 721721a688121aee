/**
 * Reads a `sql` tagged template as SQL text DuckDB can parse: each `${...}` becomes a placeholder
 * name such as `__stepwise_ref_1` (valid both as a table and as a column), and every offset in the
 * text maps back to the pipeline file.
 */
import ts from 'typescript';
import type { Range, SourcePositions } from './sourceText.js';
import { cookLiteral, type MappedSegment } from './textSegments.js';

/** The prefix of the names that stand for interpolations in `SqlTemplateRef.text`. */
export const SQL_PLACEHOLDER_PREFIX = '__stepwise_ref_';

/** One `${...}` of a template and the name that replaces it. */
export interface SqlInterpolation {
  /** The placeholder in the SQL text, `__stepwise_ref_<n>` counting from 1 in each template. */
  name: string;
  /** The interpolated expression's source text, such as `silvers.clean_flights`. */
  expression: string;
  /** The range of the whole `${...}`. */
  range: Range;
  offset: number;
  end: number;
}

/** A `sql` tagged template found in source. */
export interface SqlTemplateRef {
  /** The SQL with escapes decoded and each interpolation replaced by its placeholder name. */
  text: string;
  /** The template literal from its opening to its closing backtick, the tag excluded. */
  range: Range;
  offset: number;
  end: number;
  interpolations: SqlInterpolation[];
  /** How offsets in `text` map to the document; see `mapTextOffset` and `mapTextRange`. */
  segments: MappedSegment[];
  /** Set when the template has no closing backtick yet. */
  unterminated?: true;
}

/** The SQL template of a tagged template expression. */
export function readSqlTemplate(
  node: ts.TaggedTemplateExpression,
  positions: SourcePositions,
): SqlTemplateRef {
  const template = node.template;
  const offset = positions.startOf(template);
  const base = { range: positions.range(offset, template.end), offset, end: template.end };
  if (ts.isNoSubstitutionTemplateLiteral(template)) {
    const literal = positions.mappedString(template);
    const ref: SqlTemplateRef = {
      ...base,
      text: literal?.value ?? '',
      interpolations: [],
      segments: literal?.segments ?? [],
    };
    return literal?.unterminated ? { ...ref, unterminated: true } : ref;
  }

  const source = positions.file.text;
  const segments: MappedSegment[] = [];
  const interpolations: SqlInterpolation[] = [];
  let text = '';
  const addLiteral = (literal: ts.TemplateLiteralLikeNode, contentStart: number): number => {
    const contentEnd = literalContentEnd(source, literal, contentStart);
    const raw = source.slice(contentStart, contentEnd);
    segments.push(...cookLiteral(raw, contentStart, literal.text, true, positions, text.length));
    text += literal.text;
    return contentEnd;
  };

  let previousEnd = addLiteral(template.head, offset + 1);
  template.templateSpans.forEach((span, index) => {
    const name = `${SQL_PLACEHOLDER_PREFIX}${index + 1}`;
    const literalStart = positions.startOf(span.literal);
    const closed = source[literalStart] === '}';
    const end = closed ? literalStart + 1 : Math.max(span.expression.end, previousEnd);
    const range = positions.range(previousEnd, end);
    const expression = source.slice(positions.startOf(span.expression), span.expression.end);
    interpolations.push({ name, expression, range, offset: previousEnd, end });
    segments.push({
      textStart: text.length,
      textEnd: text.length + name.length,
      offset: previousEnd,
      end,
      range,
      linear: false,
    });
    text += name;
    previousEnd = addLiteral(span.literal, end);
  });

  const tail = template.templateSpans[template.templateSpans.length - 1]?.literal;
  const ref: SqlTemplateRef = { ...base, text, interpolations, segments };
  return tail && !isClosedTail(source, tail) ? { ...ref, unterminated: true } : ref;
}

/** Where a template part's text ends: before its `${` or closing backtick, if it has one. */
function literalContentEnd(
  source: string,
  literal: ts.TemplateLiteralLikeNode,
  contentStart: number,
): number {
  const end = Math.max(literal.end, contentStart);
  if (ts.isTemplateHead(literal) || ts.isTemplateMiddle(literal)) {
    return source.startsWith('${', end - 2) && end - 2 >= contentStart ? end - 2 : end;
  }
  return isClosedTail(source, literal) && end - 1 >= contentStart ? end - 1 : end;
}

function isClosedTail(source: string, literal: ts.TemplateLiteralLikeNode): boolean {
  return literal.isUnterminated !== true && source[literal.end - 1] === '`' && literal.end > 0;
}
