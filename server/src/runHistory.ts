/**
 * The last runs as the features ask for them: by pipeline file and step name. It knows which
 * warehouse each pipeline writes to, reads warehouses the first time they are needed, and reads
 * nothing while the workspace is untrusted (a warehouse file is workspace content too).
 */
import type { LastRun } from './historyReader.js';
import type { LastRuns } from './lastRuns.js';
import type { PipelineFile } from './pipelineFile.js';
import type { PipelineIndex } from './pipelineIndex.js';
import type { SettingsStore } from './settings.js';
import { warehouseFor } from './warehousePath.js';

/** Last runs per pipeline file and step. */
export class RunHistory {
  constructor(
    private readonly index: PipelineIndex,
    private readonly settings: SettingsStore,
    private readonly runs: LastRuns,
    private readonly trusted: () => boolean,
  ) {}

  /** The warehouse file a pipeline file's runs are recorded in. */
  warehouseOf(file: PipelineFile): string {
    return warehouseFor(file.path, this.settings.current.warehouse, this.index.folderOf(file.path));
  }

  /** The last run of a step when the pipeline in `file` ran, if it did and trust allows. */
  lastRun(file: PipelineFile, step: string): LastRun | undefined {
    if (!this.trusted()) {
      return undefined;
    }
    return this.runs.get(this.warehouseOf(file), file.path, step);
  }

  /** Reads the warehouses of these files unless they were read already. */
  async ensure(files: readonly PipelineFile[]): Promise<void> {
    if (this.trusted()) {
      await this.runs.ensure(files.map((f) => this.warehouseOf(f)));
    }
  }

  /** The warehouses of every known pipeline file. */
  warehouses(): string[] {
    return [...new Set(this.index.all().map((f) => this.warehouseOf(f)))];
  }

  /** Re-reads the given warehouses, or all in use; true when any last run changed. */
  async refresh(warehouses: readonly string[] = this.warehouses()): Promise<boolean> {
    if (!this.trusted()) {
      return false;
    }
    return this.runs.refresh(warehouses);
  }
}
