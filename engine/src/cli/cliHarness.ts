/**
 * Test support for the CLI tests: runs the built `dist/cli.js` as a child process, waits on what
 * it prints, and reads the warehouse it leaves behind with a fresh DuckDB instance.
 */
import { DuckDBInstance } from '@duckdb/node-api';
import assert from 'node:assert/strict';
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root; the CLI runs with it as working folder. */
export const REPO = fileURLToPath(new URL('../../../', import.meta.url));

/** The bundled CLI under test. */
export const CLI = join(REPO, 'dist', 'cli.js');

/** A pipeline file of `test/fixtures/pipelines`. */
export function fixture(name: string): string {
  return join(REPO, 'test', 'fixtures', 'pipelines', `${name}.pipeline.ts`);
}

/** How a CLI process ended and everything it printed. */
export interface CliResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** A running CLI process. */
export class CliProcess {
  readonly child: ChildProcessWithoutNullStreams;
  stdout = '';
  stderr = '';
  private readonly done: Promise<CliResult>;
  private readonly listeners = new Set<() => void>();

  constructor(args: readonly string[]) {
    assert.ok(existsSync(CLI), `${CLI} is missing; run 'npm run build' before these tests.`);
    this.child = spawn(process.execPath, [CLI, ...args], {
      cwd: REPO,
      env: { ...process.env, NO_COLOR: '1' },
      stdio: 'pipe',
    });
    this.child.stdin.end();
    this.child.stdout.setEncoding('utf8');
    this.child.stderr.setEncoding('utf8');
    this.child.stdout.on('data', (chunk: string) => {
      this.stdout += chunk;
    });
    this.child.stderr.on('data', (chunk: string) => {
      this.stderr += chunk;
      this.listeners.forEach((notify) => notify());
    });
    // 'close' comes after both output streams have ended, so nothing printed is missed.
    this.done = new Promise((resolve, reject) => {
      this.child.once('error', reject);
      this.child.once('close', (code, signal) => {
        this.listeners.forEach((notify) => notify());
        resolve({ code, signal, stdout: this.stdout, stderr: this.stderr });
      });
    });
  }

  /** Resolves once stderr matches `pattern`; rejects when the process ends without it. */
  waitForStderr(pattern: RegExp): Promise<void> {
    return new Promise((resolve, reject) => {
      const check = (): void => {
        if (pattern.test(this.stderr)) {
          this.listeners.delete(check);
          resolve();
        } else if (this.child.exitCode !== null || this.child.signalCode !== null) {
          this.listeners.delete(check);
          reject(new Error(`The CLI ended before printing ${pattern}. stderr:\n${this.stderr}`));
        }
      };
      this.listeners.add(check);
      check();
    });
  }

  /** Resolves when the process has ended and its output is complete. */
  result(): Promise<CliResult> {
    return this.done;
  }

  /** Stops the process if it still runs; for test cleanup. */
  async stop(): Promise<void> {
    if (this.child.exitCode === null && this.child.signalCode === null) {
      this.child.kill('SIGKILL');
    }
    await this.done.catch(() => undefined);
  }
}

/** Runs the CLI to its end. */
export function runCli(args: readonly string[]): Promise<CliResult> {
  return new CliProcess(args).result();
}

/** `stepwise run <pipeline>` with space-separated flags (`'--until clean --json'`). */
export function runPipeline(
  pipeline: string,
  flags: string,
  database?: string,
): Promise<CliResult> {
  return runCli(['run', pipeline, ...words(flags), ...(database ? ['--database', database] : [])]);
}

/** Splits flags written as one string; no quoting, so values must not contain spaces. */
export function words(flags: string): string[] {
  return flags.split(' ').filter((w) => w !== '');
}

/** A new empty folder under the system temp folder; remove it with `removeDir`. */
export function makeTempDir(): Promise<string> {
  return mkdtemp(join(tmpdir(), 'stepwise-cli-'));
}

/** Removes a folder made by `makeTempDir`. */
export function removeDir(dir: string): Promise<void> {
  return rm(dir, { recursive: true, force: true });
}

/** Rows of a query over a warehouse file, opened read-only after the CLI has exited. */
export async function queryWarehouse(
  path: string,
  sql: string,
): Promise<Record<string, unknown>[]> {
  const instance = await DuckDBInstance.create(path, { access_mode: 'READ_ONLY' });
  try {
    const connection = await instance.connect();
    try {
      const reader = await connection.runAndReadAll(sql);
      return reader.getRowObjectsJson();
    } finally {
      connection.closeSync();
    }
  } finally {
    instance.closeSync();
  }
}

/** The cells of the text-table row whose first cell is `first`, trimmed. */
export function tableRow(text: string, first: string): string[] | undefined {
  for (const line of text.split('\n')) {
    const cells = line
      .split('|')
      .slice(1, -1)
      .map((c) => c.trim());
    if (cells[0] === first) {
      return cells;
    }
  }
  return undefined;
}

/** Cells `from` to `to` of that row joined with ' | ', for one-line comparisons. */
export function rowText(text: string, first: string, from = 0, to = Infinity): string | undefined {
  return tableRow(text, first)?.slice(from, to).join(' | ');
}
