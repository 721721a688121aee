/**
 * Watches the folders of warehouse files, so last runs are re-read when a run in a terminal or
 * another editor writes the history. A folder that does not exist yet is waited for by watching
 * the nearest folder above it that does.
 */
import { existsSync, watch, type FSWatcher } from 'node:fs';
import { basename, dirname } from 'node:path';

/** Calls back, after a quiet moment, with a warehouse whose files changed on disk. */
export class WarehouseWatcher {
  private readonly watchers = new Map<string, FSWatcher>();
  private readonly timers = new Map<string, NodeJS.Timeout>();
  /** Each warehouse and the folder watched for it. */
  private assigned = new Map<string, string>();

  constructor(
    private readonly onChange: (warehouse: string) => void,
    private readonly quietMs = 200,
  ) {}

  /** Watches exactly these warehouses from now on. */
  watch(warehouses: Iterable<string>): void {
    this.assigned = new Map([...warehouses].map((w) => [w, watchedFolder(w)]));
    const wanted = new Set(this.assigned.values());
    for (const [folder, watcher] of this.watchers) {
      if (!wanted.has(folder)) {
        watcher.close();
        this.watchers.delete(folder);
      }
    }
    for (const folder of wanted) {
      if (!this.watchers.has(folder)) {
        this.start(folder);
      }
    }
  }

  /** Stops every watcher and pending callback. */
  close(): void {
    for (const watcher of this.watchers.values()) {
      watcher.close();
    }
    this.watchers.clear();
    for (const timer of this.timers.values()) {
      clearTimeout(timer);
    }
    this.timers.clear();
  }

  private start(folder: string): void {
    try {
      const watcher = watch(folder, { persistent: false }, (_event, file) => {
        this.changed(folder, typeof file === 'string' ? file : undefined);
      });
      watcher.on('error', () => {
        watcher.close();
        this.watchers.delete(folder);
      });
      this.watchers.set(folder, watcher);
    } catch {
      // The folder went away between the check and the watch; the next `watch` call retries.
    }
  }

  private changed(folder: string, file: string | undefined): void {
    for (const [warehouse, watched] of this.assigned) {
      if (watched !== folder) {
        continue;
      }
      if (dirname(warehouse) === folder) {
        if (file === undefined || file.startsWith(basename(warehouse))) {
          this.schedule(warehouse);
        }
      } else if (watchedFolder(warehouse) !== folder) {
        // An ancestor was watched while the warehouse's folder was missing; now it exists.
        this.watch(this.assigned.keys());
        this.schedule(warehouse);
      }
    }
  }

  private schedule(warehouse: string): void {
    clearTimeout(this.timers.get(warehouse));
    const timer = setTimeout(() => {
      this.timers.delete(warehouse);
      this.onChange(warehouse);
    }, this.quietMs);
    timer.unref();
    this.timers.set(warehouse, timer);
  }
}

/** The warehouse's folder, or the nearest existing folder above it. */
function watchedFolder(warehouse: string): string {
  let folder = dirname(warehouse);
  while (!existsSync(folder)) {
    const parent = dirname(folder);
    if (parent === folder) {
      break;
    }
    folder = parent;
  }
  return folder;
}
