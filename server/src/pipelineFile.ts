/**
 * One pipeline file as the server sees it: its text (an open buffer's unsaved text, or the file on
 * disk), parsed on demand with the engine's step finder, and the stable lens anchors of its steps.
 */
import ts from 'typescript';
import {
  analyzePipelineSource,
  type PipelineSource,
  type Position,
  type StepDefinition,
} from '../../engine/src/source/stepDefinitions.js';
import { LineIndex } from '../../engine/src/source/lineIndex.js';
import { StableSteps, type StepAnchor, type TextEdit } from './stableSteps.js';

/** A pipeline file's current text and what was found in it. */
export class PipelineFile {
  private parsed: PipelineSource | undefined;
  private lineIndex: LineIndex | undefined;
  private specifiers: string[] | undefined;
  private anchorCache: StepAnchor[] | undefined;
  private readonly stable = new StableSteps();

  constructor(
    /** Absolute path of the file. */
    readonly path: string,
    /** The URI to use in messages: the client's own for open buffers. */
    public uri: string,
    private content: string,
    /** The buffer's version while open in the editor; undefined for text read from disk. */
    public version: number | undefined,
  ) {}

  /** The current text: the buffer's while open, else the file's on disk. */
  get text(): string {
    return this.content;
  }

  /** True while the editor has the file open. */
  get isOpen(): boolean {
    return this.version !== undefined;
  }

  /** The steps and `sql` templates of the current text, parsed once per text. */
  get source(): PipelineSource {
    this.parsed ??= analyzePipelineSource(this.content, this.path);
    return this.parsed;
  }

  /** The step definitions of the current text, in document order. */
  get steps(): StepDefinition[] {
    return this.source.steps;
  }

  /** Module specifiers of the file's imports and re-exports, read without a full parse. */
  get importSpecifiers(): string[] {
    this.specifiers ??= ts
      .preProcessFile(this.content, true, false)
      .importedFiles.map((f) => f.fileName);
    return this.specifiers;
  }

  /** Where the step lenses go: steps of this text, kept steady while a step is half typed. */
  get anchors(): StepAnchor[] {
    this.anchorCache ??= this.stable.anchors(this.steps, (step) =>
      step.nameRange ? this.offsetAt(step.nameRange.end) : step.offset,
    );
    return this.anchorCache;
  }

  /** Replaces the text after edits in the editor; `edits` are in order, each on the text before. */
  update(text: string, version: number | undefined, edits: readonly TextEdit[]): void {
    for (const edit of edits) {
      this.stable.applyEdit(edit);
    }
    this.content = text;
    this.version = version;
    this.parsed = undefined;
    this.lineIndex = undefined;
    this.specifiers = undefined;
    this.anchorCache = undefined;
  }

  /** The position of a document offset, with LF, CR LF and CR as line ends. */
  positionAt(offset: number): Position {
    this.lineIndex ??= new LineIndex(this.content);
    return this.lineIndex.positionAt(offset);
  }

  /** The document offset of a position, clamped to its line. */
  offsetAt(position: Position): number {
    this.lineIndex ??= new LineIndex(this.content);
    return this.lineIndex.offsetAt(position);
  }
}
