/**
 * Child processes that run in their own process group, so that stopping one also stops everything
 * it started (code-server's extension hosts, language servers, debug adapters). Every group still
 * alive when this process exits, normally, on an uncaught error or on Ctrl-C, is killed.
 */
import { spawn, type ChildProcess, type SpawnOptions } from 'node:child_process';
import { once } from 'node:events';

const live = new Map<number, ProcessGroup>();
let hooked = false;
let signalAwaited = false;

/**
 * Resolves on Ctrl-C (SIGINT) or SIGTERM, for a program that ends by itself then; without a
 * caller of this, such a signal stops every group and exits.
 */
export function stopSignal(): Promise<NodeJS.Signals> {
  signalAwaited = true;
  return new Promise((resolve) => {
    process.once('SIGINT', () => resolve('SIGINT'));
    process.once('SIGTERM', () => resolve('SIGTERM'));
  });
}

/** A child process leading its own process group. */
export class ProcessGroup {
  private readonly exited: Promise<number | null>;

  private constructor(readonly child: ChildProcess) {
    this.exited = once(child, 'exit').then(([code]) => code as number | null);
  }

  /** Starts `command` as the leader of a new process group. */
  static spawn(command: string, args: string[], options: SpawnOptions): ProcessGroup {
    hookExit();
    const child = spawn(command, args, { ...options, detached: true });
    if (child.pid === undefined) {
      throw new Error(`could not start ${command}`);
    }
    const group = new ProcessGroup(child);
    live.set(child.pid, group);
    void group.exited.then(() => {
      if (!groupAlive(child.pid!)) {
        live.delete(child.pid!);
      }
    });
    return group;
  }

  /** The group id, which is the leader's pid. */
  get pgid(): number {
    return this.child.pid!;
  }

  /** Resolves with the leader's exit code once it has exited. */
  exit(): Promise<number | null> {
    return this.exited;
  }

  /**
   * Stops the whole group: SIGTERM, then SIGKILL for whatever is left after `graceMs`. Resolves
   * when no process of the group is left.
   */
  async stop(graceMs = 5000): Promise<void> {
    const pgid = this.pgid;
    signalGroup(pgid, 'SIGTERM');
    const deadline = Date.now() + graceMs;
    await Promise.race([this.exited, delayUntil(deadline)]);
    // Group members other than the leader (an extension host, say) may outlive it briefly;
    // waiting for the group to empty is waiting on a condition, checked every 50 ms.
    while (groupAlive(pgid) && Date.now() < deadline) {
      await delayUntil(Date.now() + 50);
    }
    if (groupAlive(pgid)) {
      signalGroup(pgid, 'SIGKILL');
      while (groupAlive(pgid)) {
        await delayUntil(Date.now() + 50);
      }
    }
    live.delete(pgid);
  }
}

function signalGroup(pgid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pgid, signal);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ESRCH') {
      throw error;
    }
  }
}

function groupAlive(pgid: number): boolean {
  try {
    process.kill(-pgid, 0);
    return true;
  } catch {
    return false;
  }
}

function delayUntil(deadline: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, Math.max(0, deadline - Date.now())));
}

function hookExit(): void {
  if (hooked) {
    return;
  }
  hooked = true;
  process.on('exit', () => {
    for (const pgid of live.keys()) {
      signalGroup(pgid, 'SIGKILL');
    }
  });
  const codes = { SIGINT: 130, SIGTERM: 143, SIGHUP: 129 } as const;
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    const handler = (): void => {
      // Stop every group as `stop` would. A program that awaits `stopSignal` ends on its own;
      // otherwise exit as a shell reports a signal (128 + its number). The exit handler above
      // kills whatever did not stop in time.
      void Promise.allSettled([...live.values()].map((group) => group.stop(3000))).then(() => {
        if (!signalAwaited) {
          process.exit(codes[signal]);
        }
      });
    };
    process.once(signal, handler);
  }
}
