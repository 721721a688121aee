/**
 * Publishes the diagnostics of open pipeline files: graph problems, rules on columns the last run
 * did not produce, and SQL that DuckDB cannot parse. Work starts after a short quiet moment, so
 * typing does not re-check on every keystroke, and a result for a text that has since changed is
 * dropped rather than published.
 */
import type { Diagnostic } from 'vscode-languageserver/node';
import type { ServerContext } from './context.js';
import { graphDiagnostics } from './graphDiagnostics.js';
import type { PipelineFile } from './pipelineFile.js';
import { ruleColumnDiagnostics } from './ruleColumnDiagnostics.js';
import { sqlDiagnostics } from './sqlDiagnostics.js';
import type { SqlParser } from './sqlParser.js';

/** How long typing must pause before diagnostics are computed. */
export const DIAGNOSTICS_DELAY_MS = 150;

/** Schedules, computes and publishes diagnostics per open file. */
export class DiagnosticsPublisher {
  private readonly timers = new Map<string, NodeJS.Timeout>();
  /** URIs that have diagnostics in the client, by path, so closing a file can clear them. */
  private readonly published = new Map<string, string>();

  constructor(
    private readonly context: ServerContext,
    private readonly parser: SqlParser,
    private readonly delayMs = DIAGNOSTICS_DELAY_MS,
  ) {}

  /** Re-checks the files at `paths` and the open files that import them. */
  filesChanged(paths: readonly string[]): void {
    const { index } = this.context;
    const affected = new Set<string>(paths);
    for (const path of paths) {
      const file = index.get(path);
      if (file) {
        for (const importer of index.importersOf(file)) {
          affected.add(importer.path);
        }
      }
    }
    for (const path of affected) {
      this.schedule(path);
    }
  }

  /** Re-checks every open file, after settings, trust or last runs changed. */
  all(): void {
    for (const file of this.context.index.all()) {
      if (file.isOpen) {
        this.schedule(file.path);
      }
    }
  }

  /** Cancels pending work. */
  dispose(): void {
    for (const timer of this.timers.values()) {
      clearTimeout(timer);
    }
    this.timers.clear();
  }

  private schedule(path: string): void {
    clearTimeout(this.timers.get(path));
    const timer = setTimeout(() => {
      this.timers.delete(path);
      void this.publish(path);
    }, this.delayMs);
    this.timers.set(path, timer);
  }

  private async publish(path: string): Promise<void> {
    const { connection, index, logger } = this.context;
    await this.context.ready;
    const file = index.get(path);
    if (!file?.isOpen) {
      const uri = this.published.get(path);
      if (uri !== undefined) {
        this.published.delete(path);
        await connection.sendDiagnostics({ uri, diagnostics: [] });
      }
      return;
    }
    const version = file.version;
    let diagnostics: Diagnostic[];
    try {
      diagnostics = await this.compute(file);
    } catch (error) {
      logger.error(
        `Could not check ${path}: ${error instanceof Error ? error.stack : String(error)}`,
      );
      return;
    }
    if (index.get(path) !== file || file.version !== version) {
      return;
    }
    this.published.set(path, file.uri);
    await connection.sendDiagnostics({ uri: file.uri, version, diagnostics });
  }

  private async compute(file: PipelineFile): Promise<Diagnostic[]> {
    const { index, history } = this.context;
    const graph = graphDiagnostics(index, file);
    await history.ensure([file]);
    const rules = ruleColumnDiagnostics(file, history);
    const sql = await sqlDiagnostics(file, this.parser);
    return [...graph, ...rules, ...sql].sort(
      (a, b) =>
        a.range.start.line - b.range.start.line ||
        a.range.start.character - b.range.start.character,
    );
  }
}
