/**
 * Shared test helpers: sessions that are always closed, the guide's event data, temporary
 * directories and child Node processes that tests wait on by the lines they print.
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import assert from 'node:assert/strict';
import {
  createSession,
  type Context,
  type DataFrame,
  type PipelineReport,
  type Session,
  type SessionOptions,
  type StepResult,
  findStepResult,
} from '../engine/src/index.js';

/** The repository root, where `node --import tsx` resolves. */
export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');

/** The folder of fixture files. */
export const FIXTURES = join(ROOT, 'test', 'fixtures');

/** Runs `work` with a fresh session and closes the session afterwards, whatever happens. */
export async function withSession<T>(
  work: (session: Session) => Promise<T>,
  options: SessionOptions = {},
): Promise<T> {
  const session = await createSession(options);
  try {
    return await work(session);
  } finally {
    session.close();
  }
}

/** Runs `work` with a new temporary directory, removed afterwards. */
export async function withTempDir<T>(work: (dir: string) => Promise<T>): Promise<T> {
  const dir = await mkdtemp(join(tmpdir(), 'stepwise-test-'));
  try {
    return await work(dir);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** The guide's columns `(id, event, value)`. */
export const EVENT_COLUMNS = ['id', 'event', 'value'];

/** The guide's three source rows. */
export const EVENT_ROWS = [
  ['1', 'event1', 10],
  ['2', 'event2', 20],
  ['3', 'event3', 30],
];

/** The four rows of the guide's "Complete Examples". */
export const EVENT_ROWS_4 = [...EVENT_ROWS, ['4', 'event4', 40]];

/** The guide's `source_df`. */
export function eventSource(session: Session, rows: unknown[][] = EVENT_ROWS): DataFrame {
  return session.createDataFrame(rows, EVENT_COLUMNS);
}

/** The result of a step, failing the test when the report has none. */
export function resultOf(report: PipelineReport, name: string): StepResult {
  const result = findStepResult(report, name);
  assert.ok(
    result,
    `the report has no result for '${name}' (it has ${report.stepOrder.join(', ')})`,
  );
  return result;
}

/** A step's output in a context, failing the test when it is missing. */
export function frame(context: Context, name: string): DataFrame {
  const found = context[name];
  assert.ok(found, `the context has no '${name}' (it has ${Object.keys(context).join(', ')})`);
  return found;
}

/** The values of one column over all rows, in row order, as text. */
export async function columnText(frame: DataFrame, column: string): Promise<string[]> {
  const rows = await frame.collect();
  return rows.map((row) => String(row[column]));
}

/** A child Node process running a TypeScript fixture script, read line by line. */
export class ChildScript {
  private readonly lines: string[] = [];
  private readonly waiters: { text: string; resolve: () => void; reject: (e: Error) => void }[] =
    [];
  private stderr = '';
  private exited: { code: number | null; signal: NodeJS.Signals | null } | undefined;
  readonly process: ChildProcessWithoutNullStreams;

  constructor(script: string, args: string[]) {
    this.process = spawn(process.execPath, ['--import', 'tsx', script, ...args], {
      cwd: ROOT,
      stdio: 'pipe',
    });
    let buffered = '';
    this.process.stdout.setEncoding('utf8');
    this.process.stdout.on('data', (chunk: string) => {
      buffered += chunk;
      const parts = buffered.split('\n');
      buffered = parts.pop() ?? '';
      for (const line of parts) {
        this.lines.push(line.trim());
      }
      this.settle();
    });
    this.process.stderr.setEncoding('utf8');
    this.process.stderr.on('data', (chunk: string) => {
      this.stderr += chunk;
    });
    this.process.on('exit', (code, signal) => {
      this.exited = { code, signal };
      this.settle();
    });
  }

  /** Resolves when the child has printed a line equal to `text`; rejects if it exits first. */
  waitForLine(text: string): Promise<void> {
    return new Promise((resolve, reject) => {
      this.waiters.push({ text, resolve, reject });
      this.settle();
    });
  }

  /** Whether the child has printed a line equal to `text`. */
  printed(text: string): boolean {
    return this.lines.includes(text);
  }

  /** Sends one line to the child's stdin. */
  send(line: string): void {
    this.process.stdin.write(`${line}\n`);
  }

  /** Resolves with the exit status once the child has exited. */
  exit(): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
    if (this.exited) {
      return Promise.resolve(this.exited);
    }
    return new Promise((resolve) => {
      this.process.once('exit', (code, signal) => resolve({ code, signal }));
    });
  }

  /** Kills the child if it still runs and waits for it to exit. */
  async kill(signal: NodeJS.Signals = 'SIGKILL'): Promise<void> {
    if (!this.exited) {
      this.process.kill(signal);
      await this.exit();
    }
  }

  private settle(): void {
    for (const waiter of [...this.waiters]) {
      if (this.lines.includes(waiter.text)) {
        waiter.resolve();
      } else if (this.exited) {
        waiter.reject(
          new Error(
            `The child exited (${this.exited.code ?? this.exited.signal}) before printing ` +
              `'${waiter.text}'. Output: ${this.lines.join(' | ')}. Errors: ${this.stderr}`,
          ),
        );
      } else {
        continue;
      }
      this.waiters.splice(this.waiters.indexOf(waiter), 1);
    }
  }
}
