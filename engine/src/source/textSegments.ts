/**
 * Maps offsets in a literal's value (escape sequences decoded, interpolations replaced) back to
 * positions in the document, so an error that DuckDB reports at a character of a SQL string can be
 * shown at the right place in the pipeline file.
 */
import type { Position, Range } from './sourceText.js';

/** One piece of a mapped text and the document range it came from. */
export interface MappedSegment {
  /** Start offset of the piece in the mapped text. */
  textStart: number;
  /** End offset (exclusive) of the piece in the mapped text. */
  textEnd: number;
  /** Document offset where the piece's source starts. */
  offset: number;
  /** Document offset where the piece's source ends. */
  end: number;
  range: Range;
  /**
   * True when each character of the piece is the same character in the document, on one line;
   * false for escape sequences, line breaks written as CR LF and interpolations.
   */
  linear: boolean;
}

/** A document offset and its position. */
export interface MappedLocation {
  offset: number;
  position: Position;
}

/** Converts document offsets into positions. */
export interface PositionSource {
  at(offset: number): Position;
}

const SIMPLE_ESCAPES: Record<string, string> = {
  n: '\n',
  t: '\t',
  r: '\r',
  b: '\b',
  f: '\f',
  v: '\v',
};

/**
 * Segments for a literal's raw source text starting at document offset `docStart`. When decoding
 * does not give `cooked` (the parser's value), one segment maps the whole value to the whole
 * source, so mapping stays safe though coarse.
 */
export function cookLiteral(
  raw: string,
  docStart: number,
  cooked: string,
  template: boolean,
  positions: PositionSource,
  textStart = 0,
): MappedSegment[] {
  if (raw === cooked && !/[\\\r\n\u2028\u2029]/.test(raw)) {
    return [segment(positions, textStart, cooked.length, docStart, docStart + raw.length, true)];
  }
  const builder = new SegmentBuilder(raw, docStart, textStart, positions);
  let i = 0;
  while (i < raw.length) {
    const c = raw[i];
    if (c === '\n' || c === '\u2028' || c === '\u2029') {
      builder.flush(i + 1);
      i += 1;
    } else if (c === '\r') {
      builder.flush(i);
      const length = template && raw[i + 1] === '\n' ? 2 : 1;
      i = builder.escape(i, length, template ? '\n' : '\r');
    } else if (c === '\\') {
      builder.flush(i);
      const escape = decodeEscape(raw, i);
      if (!escape) {
        break;
      }
      i = builder.escape(i, escape.length, escape.value);
    } else {
      i += 1;
    }
  }
  builder.flush(raw.length);

  if (builder.text !== cooked || i < raw.length) {
    const end = docStart + raw.length;
    return [segment(positions, textStart, cooked.length, docStart, end, false)];
  }
  if (builder.segments.length === 0) {
    return [segment(positions, textStart, 0, docStart, docStart, false)];
  }
  return builder.segments;
}

function segment(
  positions: PositionSource,
  textStart: number,
  length: number,
  offset: number,
  end: number,
  linear: boolean,
): MappedSegment {
  const range = { start: positions.at(offset), end: positions.at(end) };
  return { textStart, textEnd: textStart + length, offset, end, range, linear };
}

/** Collects the segments of one literal while its raw text is decoded. */
class SegmentBuilder {
  readonly segments: MappedSegment[] = [];
  text = '';
  private runStart = 0;

  constructor(
    private readonly raw: string,
    private readonly docStart: number,
    private readonly textStart: number,
    private readonly positions: PositionSource,
  ) {}

  /** Ends the current run of plain characters at raw offset `upTo`. */
  flush(upTo: number): void {
    this.push(this.runStart, upTo, this.raw.slice(this.runStart, upTo), true);
    this.runStart = upTo;
  }

  /** Adds an escape written as `length` raw characters; returns the raw offset after it. */
  escape(at: number, length: number, value: string): number {
    this.push(at, at + length, value, false);
    this.runStart = at + length;
    return this.runStart;
  }

  private push(rawStart: number, rawEnd: number, piece: string, linear: boolean): void {
    if (piece.length === 0) {
      return;
    }
    const textAt = this.textStart + this.text.length;
    const start = this.docStart + rawStart;
    const end = this.docStart + rawEnd;
    this.segments.push(segment(this.positions, textAt, piece.length, start, end, linear));
    this.text += piece;
  }
}

/** The document location of an offset in a mapped text; past the end maps to the source's end. */
export function mapTextOffset(
  segments: readonly MappedSegment[],
  textOffset: number,
): MappedLocation {
  const last = segments[segments.length - 1];
  if (!last) {
    return { offset: 0, position: { line: 0, character: 0 } };
  }
  if (textOffset >= last.textEnd) {
    return { offset: last.end, position: last.range.end };
  }
  const segment = segmentAt(segments, textOffset);
  const delta = textOffset - segment.textStart;
  if (delta <= 0 || !segment.linear) {
    return { offset: segment.offset, position: segment.range.start };
  }
  const { line, character } = segment.range.start;
  return { offset: segment.offset + delta, position: { line, character: character + delta } };
}

/** The document range of `[start, end)` in a mapped text; escapes and interpolations are whole. */
export function mapTextRange(
  segments: readonly MappedSegment[],
  start: number,
  end: number,
): Range {
  const from = mapTextOffset(segments, start).position;
  const last = segments[segments.length - 1];
  if (end <= start || !last) {
    return { start: from, end: from };
  }
  if (end > last.textEnd) {
    return { start: from, end: last.range.end };
  }
  const segment = segmentAt(segments, end - 1);
  if (!segment.linear) {
    return { start: from, end: segment.range.end };
  }
  const { line, character } = segment.range.start;
  return { start: from, end: { line, character: character + (end - segment.textStart) } };
}

/** The segment holding a text offset, by binary search; the first one for offsets before it. */
function segmentAt(segments: readonly MappedSegment[], textOffset: number): MappedSegment {
  let lo = 0;
  let hi = segments.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (segments[mid]!.textEnd <= textOffset) {
      lo = mid + 1;
    } else {
      hi = mid;
    }
  }
  return segments[lo]!;
}

/** The value and source length of the escape sequence at `raw[at]`, or undefined if invalid. */
function decodeEscape(raw: string, at: number): { value: string; length: number } | undefined {
  const next = raw[at + 1];
  if (next === undefined) {
    return { value: '', length: 1 };
  }
  if (next === '\r') {
    return { value: '', length: raw[at + 2] === '\n' ? 3 : 2 };
  }
  if (next === '\n' || next === '\u2028' || next === '\u2029') {
    return { value: '', length: 2 };
  }
  const simple = SIMPLE_ESCAPES[next];
  if (simple !== undefined) {
    return { value: simple, length: 2 };
  }
  if (next === 'x') {
    const hex = raw.slice(at + 2, at + 4);
    return /^[0-9a-fA-F]{2}$/.test(hex)
      ? { value: String.fromCharCode(parseInt(hex, 16)), length: 4 }
      : undefined;
  }
  if (next === 'u') {
    return decodeUnicodeEscape(raw, at);
  }
  if (next >= '0' && next <= '7') {
    const digits = /^[0-7]{1,3}/.exec(raw.slice(at + 1, at + 4))?.[0] ?? '0';
    const fitting = parseInt(digits, 8) > 255 ? digits.slice(0, 2) : digits;
    return { value: String.fromCharCode(parseInt(fitting, 8)), length: 1 + fitting.length };
  }
  const char = String.fromCodePoint(raw.codePointAt(at + 1) ?? 0);
  return { value: char, length: 1 + char.length };
}

function decodeUnicodeEscape(
  raw: string,
  at: number,
): { value: string; length: number } | undefined {
  const braced = /^\{([0-9a-fA-F]{1,6})\}/.exec(raw.slice(at + 2, at + 11));
  if (braced) {
    const code = parseInt(braced[1]!, 16);
    return code <= 0x10ffff
      ? { value: String.fromCodePoint(code), length: 2 + braced[0].length }
      : undefined;
  }
  const hex = raw.slice(at + 2, at + 6);
  return /^[0-9a-fA-F]{4}$/.test(hex)
    ? { value: String.fromCharCode(parseInt(hex, 16)), length: 6 }
    : undefined;
}
