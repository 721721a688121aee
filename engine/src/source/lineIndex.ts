/** Converts between document offsets and LSP-style positions, with LF, CR LF and CR line ends. */

/** A 0-based line and UTF-16 character, as in LSP. */
export interface Position {
  line: number;
  character: number;
}

/** The line starts of a text, for offset and position conversions. */
export class LineIndex {
  private readonly starts: number[];

  constructor(private readonly text: string) {
    this.starts = [0];
    for (let i = 0; i < text.length; i++) {
      const code = text.charCodeAt(i);
      if (code === 13) {
        if (text.charCodeAt(i + 1) === 10) {
          i += 1;
        }
        this.starts.push(i + 1);
      } else if (code === 10) {
        this.starts.push(i + 1);
      }
    }
  }

  /** The position of a document offset. */
  positionAt(offset: number): Position {
    let lo = 0;
    let hi = this.starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.starts[mid]! <= offset) {
        lo = mid;
      } else {
        hi = mid - 1;
      }
    }
    return { line: lo, character: offset - this.starts[lo]! };
  }

  /** The document offset of a position, clamped to its line. */
  offsetAt(position: Position): number {
    const line = Math.min(Math.max(position.line, 0), this.starts.length - 1);
    const start = this.starts[line]!;
    const next = this.starts[line + 1] ?? this.text.length;
    return Math.min(start + Math.max(position.character, 0), next);
  }
}
