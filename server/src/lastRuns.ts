/**
 * The last run of each step, per warehouse, kept in memory. Reads never block a run: a warehouse
 * that a run holds is retried a few times with a short backoff, and when it stays busy the
 * previous results are kept. Failures are logged once per kind and never reach the user.
 */
import { isLockError, readLastRuns, type LastRun } from './historyReader.js';
import type { Logger } from './logger.js';

/** How hard to try a busy warehouse before keeping the previous results. */
export interface RetryPolicy {
  attempts: number;
  firstDelayMs: number;
}

const DEFAULT_RETRY: RetryPolicy = { attempts: 5, firstDelayMs: 20 };

/** Latest runs by warehouse file, then by pipeline path and step name. */
export class LastRuns {
  private readonly byWarehouse = new Map<string, Map<string, LastRun>>();
  private readonly fingerprints = new Map<string, string>();
  private readonly running = new Map<string, Promise<boolean>>();
  private readonly queued = new Map<string, Promise<boolean>>();
  private readonly reported = new Set<string>();

  constructor(
    private readonly logger: Logger,
    private readonly retry: RetryPolicy = DEFAULT_RETRY,
    private readonly read: (path: string) => Promise<LastRun[]> = readLastRuns,
  ) {}

  /** The last run of a step of a pipeline, from the results read so far. */
  get(warehouse: string, pipeline: string, step: string): LastRun | undefined {
    return this.byWarehouse.get(warehouse)?.get(key(pipeline, step));
  }

  /** Reads the warehouses that have not been read yet, and waits for reads under way. */
  async ensure(warehouses: Iterable<string>): Promise<void> {
    const reads = [...new Set(warehouses)].map((w): Promise<unknown> =>
      this.byWarehouse.has(w) ? (this.running.get(w) ?? Promise.resolve()) : this.refreshOne(w),
    );
    await Promise.all(reads);
  }

  /** Re-reads the given warehouses (every known one by default); true when anything changed. */
  async refresh(warehouses: Iterable<string> = this.byWarehouse.keys()): Promise<boolean> {
    const results = await Promise.all([...new Set(warehouses)].map((w) => this.refreshOne(w)));
    return results.some(Boolean);
  }

  /** One read at a time per warehouse; a request during a read runs once after it. */
  private refreshOne(warehouse: string): Promise<boolean> {
    const running = this.running.get(warehouse);
    if (running) {
      let next = this.queued.get(warehouse);
      if (!next) {
        next = running.then(() => {
          this.queued.delete(warehouse);
          return this.refreshOne(warehouse);
        });
        this.queued.set(warehouse, next);
      }
      return next;
    }
    const read = this.load(warehouse).finally(() => this.running.delete(warehouse));
    this.running.set(warehouse, read);
    return read;
  }

  private async load(warehouse: string): Promise<boolean> {
    const runs = await this.readWithRetry(warehouse);
    if (runs === undefined) {
      if (!this.byWarehouse.has(warehouse)) {
        this.byWarehouse.set(warehouse, new Map());
      }
      return false;
    }
    const fingerprint = JSON.stringify(runs);
    if (this.fingerprints.get(warehouse) === fingerprint && this.byWarehouse.has(warehouse)) {
      return false;
    }
    this.fingerprints.set(warehouse, fingerprint);
    this.byWarehouse.set(warehouse, new Map(runs.map((r) => [key(r.pipeline, r.step), r])));
    this.logger.debug(`Read ${runs.length} last step runs from ${warehouse}.`);
    return true;
  }

  /** The runs, or undefined when the warehouse stayed busy or could not be read. */
  private async readWithRetry(warehouse: string): Promise<LastRun[] | undefined> {
    let delay = this.retry.firstDelayMs;
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.read(warehouse);
      } catch (error) {
        if (!isLockError(error)) {
          this.reportOnce(
            warehouse,
            'unreadable',
            `Could not read the run history in ${warehouse}: ${String(error)}`,
          );
          return undefined;
        }
        if (attempt >= this.retry.attempts) {
          this.logger.debug(
            `The warehouse ${warehouse} stayed busy; keeping the last runs read before.`,
          );
          return undefined;
        }
      }
      await new Promise((resolve) => setTimeout(resolve, delay));
      delay *= 2;
    }
  }

  private reportOnce(warehouse: string, kind: string, message: string): void {
    const id = `${warehouse}\u0000${kind}`;
    if (!this.reported.has(id)) {
      this.reported.add(id);
      this.logger.warn(message);
    }
  }
}

function key(pipeline: string, step: string): string {
  return `${pipeline}\u0000${step}`;
}
