/**
 * Every pipeline file the server knows: the workspace folders' files on disk and the open
 * buffers, whose unsaved text wins. It also resolves which pipeline files a file imports, so steps
 * defined in one file can be used, found and renamed from another.
 */
import { readFile } from 'node:fs/promises';
import { dirname, relative, resolve, sep } from 'node:path';
import { DEFAULT_SETTINGS } from '../../protocol/languageProtocol.js';
import { globToRegExp } from './glob.js';
import { PipelineFile } from './pipelineFile.js';
import type { TextEdit } from './stableSteps.js';
import { uriOf } from './uris.js';

/** Called with the paths of files whose text changed, appeared or went away. */
export type IndexListener = (paths: string[]) => void;

/** The pipeline files of the workspace and the open buffers. */
export class PipelineIndex {
  private readonly files = new Map<string, PipelineFile>();
  private readonly listeners: IndexListener[] = [];
  private readonly pending = new Set<Promise<unknown>>();
  private folders: string[] = [];
  private pattern = globToRegExp(DEFAULT_SETTINGS.pipelineFiles);

  /** Sets the workspace folders and the glob that picks pipeline files in them. */
  configure(folders: readonly string[], glob: string): void {
    this.folders = [...folders];
    this.pattern = globToRegExp(glob);
  }

  /** Runs `listener` after every change of the set of files or of their text. */
  onDidChange(listener: IndexListener): void {
    this.listeners.push(listener);
  }

  /** True when the glob picks the path, relative to its workspace folder (or as it is). */
  isPipelinePath(path: string): boolean {
    const folder = this.folderOf(path);
    const rel = folder === undefined ? path : relative(folder, path);
    return this.pattern.test(rel.split(sep).join('/'));
  }

  /** The workspace folder that holds a path, the innermost when folders nest. */
  folderOf(path: string): string | undefined {
    let best: string | undefined;
    for (const folder of this.folders) {
      const inside =
        path === folder || path.startsWith(folder.endsWith(sep) ? folder : folder + sep);
      if (inside && (best === undefined || folder.length > best.length)) {
        best = folder;
      }
    }
    return best;
  }

  /** Settles when the disk reads under way have been applied, so answers see their files. */
  async settled(): Promise<void> {
    while (this.pending.size > 0) {
      await Promise.all(this.pending);
    }
  }

  /** The file at an absolute path, if it is a known pipeline file. */
  get(path: string): PipelineFile | undefined {
    return this.files.get(path);
  }

  /** Every known pipeline file. */
  all(): PipelineFile[] {
    return [...this.files.values()];
  }

  /** Replaces the files read from disk with `paths`; open buffers stay as they are. */
  loadFromDisk(paths: readonly string[]): Promise<void> {
    return this.track(this.load(paths));
  }

  private async load(paths: readonly string[]): Promise<void> {
    const wanted = new Set(paths);
    const changed: string[] = [];
    for (const [path, file] of this.files) {
      if (!file.isOpen && !wanted.has(path)) {
        this.files.delete(path);
        changed.push(path);
      }
    }
    for (const path of paths) {
      if ((await this.readDisk(path)) === 'changed') {
        changed.push(path);
      }
    }
    this.emit(changed);
  }

  /** Re-reads one file from disk after it changed there, unless the editor has it open. */
  diskChanged(path: string): Promise<void> {
    return this.track(this.reread(path));
  }

  private async reread(path: string): Promise<void> {
    if (this.files.get(path)?.isOpen) {
      return;
    }
    if (!this.isPipelinePath(path)) {
      return;
    }
    const read = await this.readDisk(path);
    const gone = read === 'unreadable' && !this.files.get(path)?.isOpen;
    if (read === 'changed' || (gone && this.files.delete(path))) {
      this.emit([path]);
    }
  }

  /** Forgets a file deleted on disk, unless the editor has it open. */
  diskDeleted(path: string): void {
    const file = this.files.get(path);
    if (file && !file.isOpen) {
      this.files.delete(path);
      this.emit([path]);
    }
  }

  /** A buffer opened in the editor. */
  open(path: string, uri: string, text: string, version: number): PipelineFile {
    const file = new PipelineFile(path, uri, text, version);
    this.files.set(path, file);
    this.emit([path]);
    return file;
  }

  /** An open buffer's new text after edits. */
  change(path: string, text: string, version: number, edits: readonly TextEdit[]): void {
    const file = this.files.get(path);
    if (!file) {
      return;
    }
    file.update(text, version, edits);
    this.emit([path]);
  }

  /** A buffer closed: the file on disk takes its place, if it is still a pipeline file there. */
  close(path: string): Promise<void> {
    return this.track(this.replaceWithDisk(path));
  }

  private async replaceWithDisk(path: string): Promise<void> {
    const file = this.files.get(path);
    // The buffer stays in place while the disk is read, so requests meanwhile still find it.
    const text = this.isPipelinePath(path) ? await readText(path) : undefined;
    if (this.files.get(path) !== file) {
      return;
    }
    if (text === undefined) {
      this.files.delete(path);
    } else {
      this.files.set(path, new PipelineFile(path, file?.uri ?? uriOf(path), text, undefined));
    }
    this.emit([path]);
  }

  /** The pipeline files a file imports, directly or through other pipeline files. */
  importsOf(file: PipelineFile): PipelineFile[] {
    const seen = new Set<string>([file.path]);
    const result: PipelineFile[] = [];
    const walk = (current: PipelineFile): void => {
      for (const specifier of current.importSpecifiers) {
        const target = this.resolveImport(current.path, specifier);
        if (target && !seen.has(target.path)) {
          seen.add(target.path);
          result.push(target);
          walk(target);
        }
      }
    };
    walk(file);
    return result;
  }

  /** The files that import `file`, directly or not. */
  importersOf(file: PipelineFile): PipelineFile[] {
    return this.all().filter((f) => f !== file && this.importsOf(f).includes(file));
  }

  /** The pipeline file a relative import names, trying the extensions TypeScript would. */
  private resolveImport(from: string, specifier: string): PipelineFile | undefined {
    if (!specifier.startsWith('.')) {
      return undefined;
    }
    const base = resolve(dirname(from), specifier);
    const candidates = [
      base,
      base.replace(/\.js$/, '.ts'),
      base.replace(/\.mjs$/, '.mts'),
      `${base}.ts`,
      `${base}.mts`,
      `${base}.js`,
      `${base}.mjs`,
    ];
    for (const candidate of candidates) {
      const file = this.files.get(candidate);
      if (file) {
        return file;
      }
    }
    return undefined;
  }

  /** Reads a file from disk into the index, unless the editor has it open. */
  private async readDisk(path: string): Promise<'changed' | 'unchanged' | 'unreadable'> {
    const text = await readText(path);
    if (text === undefined) {
      return 'unreadable';
    }
    const existing = this.files.get(path);
    if (existing?.isOpen || existing?.text === text) {
      return 'unchanged';
    }
    this.files.set(path, new PipelineFile(path, existing?.uri ?? uriOf(path), text, undefined));
    return 'changed';
  }

  private track<T>(work: Promise<T>): Promise<T> {
    this.pending.add(work);
    const done = (): void => void this.pending.delete(work);
    work.then(done, done);
    return work;
  }

  private emit(paths: string[]): void {
    if (paths.length === 0) {
      return;
    }
    for (const listener of this.listeners) {
      listener(paths);
    }
  }
}

/** A file's text, or undefined when it cannot be read. */
async function readText(path: string): Promise<string | undefined> {
  try {
    return await readFile(path, 'utf8');
  } catch {
    return undefined;
  }
}
