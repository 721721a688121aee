/**
 * For tests: where a piece of text sits in a document, computed by plain string search so that
 * the parser's positions can be checked against something independent of it.
 */
import type { Position, Range } from './sourceText.js';

/** The position where the `nth` (0-based) occurrence of `needle` starts; throws when absent. */
export function positionOf(text: string, needle: string, nth = 0): Position {
  let offset = -1;
  for (let i = 0; i <= nth; i++) {
    offset = text.indexOf(needle, offset + 1);
    if (offset < 0) {
      throw new Error(`'${needle}' occurs fewer than ${nth + 1} times in the text.`);
    }
  }
  const before = text.slice(0, offset).split(/\r\n|\r|\n/);
  const line = before.length - 1;
  return { line, character: before[line]!.length };
}

/** The range of the `nth` occurrence of a one-line `needle`. */
export function rangeOf(text: string, needle: string, nth = 0): Range {
  const start = positionOf(text, needle, nth);
  return { start, end: { line: start.line, character: start.character + needle.length } };
}

/** A range from its four numbers. */
export function range(line1: number, char1: number, line2: number, char2: number): Range {
  return { start: { line: line1, character: char1 }, end: { line: line2, character: char2 } };
}
