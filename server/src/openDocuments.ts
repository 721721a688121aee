/**
 * Keeps the open pipeline buffers in step with the editor. Each change is applied in order and
 * also handed on as an offset edit, so lens anchors can move with the text.
 */
import { TextDocument } from 'vscode-languageserver-textdocument';
import type {
  DidChangeTextDocumentParams,
  DidCloseTextDocumentParams,
  DidOpenTextDocumentParams,
} from 'vscode-languageserver/node';
import type { PipelineIndex } from './pipelineIndex.js';
import type { TextEdit } from './stableSteps.js';
import { pathOf } from './uris.js';

/** An open buffer; `tracked` when it is a pipeline file and so in the index. */
interface OpenDocument {
  document: TextDocument;
  path: string;
  tracked: boolean;
}

/** The open `file:` buffers by URI; those that are pipeline files are also in the index. */
export class OpenDocuments {
  private readonly documents = new Map<string, OpenDocument>();

  constructor(private readonly index: PipelineIndex) {}

  /** A buffer was opened; it goes into the index when it is a pipeline file. */
  opened(params: DidOpenTextDocumentParams): void {
    const { uri, languageId, version, text } = params.textDocument;
    const path = pathOf(uri);
    if (path === undefined) {
      return;
    }
    const document = TextDocument.create(uri, languageId, version, text);
    const tracked = this.index.isPipelinePath(path);
    this.documents.set(uri, { document, path, tracked });
    if (tracked) {
      this.index.open(path, uri, text, version);
    }
  }

  /** A buffer changed, incrementally or as a whole. */
  changed(params: DidChangeTextDocumentParams): void {
    const open = this.documents.get(params.textDocument.uri);
    if (!open) {
      return;
    }
    const version = params.textDocument.version;
    const edits: TextEdit[] = [];
    let document = open.document;
    for (const change of params.contentChanges) {
      const before = document.getText();
      if ('range' in change) {
        const start = document.offsetAt(change.range.start);
        const end = document.offsetAt(change.range.end);
        edits.push({ start, end, length: change.text.length });
      } else {
        edits.push(wholeTextEdit(before, change.text));
      }
      document = TextDocument.update(document, [change], version);
    }
    open.document = document;
    if (open.tracked) {
      this.index.change(open.path, document.getText(), version, edits);
    }
  }

  /** A buffer was closed; the file on disk takes its place in the index. */
  async closed(params: DidCloseTextDocumentParams): Promise<void> {
    const open = this.documents.get(params.textDocument.uri);
    if (!open) {
      return;
    }
    this.documents.delete(params.textDocument.uri);
    if (open.tracked) {
      await this.index.close(open.path);
    }
  }

  /** Adds or removes buffers from the index after the pipeline file glob changed. */
  async reclassify(): Promise<void> {
    for (const [uri, open] of this.documents) {
      const tracked = this.index.isPipelinePath(open.path);
      if (tracked === open.tracked) {
        continue;
      }
      open.tracked = tracked;
      if (tracked) {
        const { document } = open;
        this.index.open(open.path, uri, document.getText(), document.version);
      } else {
        await this.index.close(open.path);
      }
    }
  }
}

/** The one edit that turns `before` into `after`: what lies between their common ends. */
function wholeTextEdit(before: string, after: string): TextEdit {
  let start = 0;
  const shorter = Math.min(before.length, after.length);
  while (start < shorter && before.charCodeAt(start) === after.charCodeAt(start)) {
    start += 1;
  }
  let tail = 0;
  while (
    tail < shorter - start &&
    before.charCodeAt(before.length - 1 - tail) === after.charCodeAt(after.length - 1 - tail)
  ) {
    tail += 1;
  }
  return { start, end: before.length - tail, length: after.length - tail - start };
}
