/**
 * Debugger latencies on the flights example, each printed beside a baseline measured in the same
 * run: launch to the first stop, `next` to `stopped` beyond the step's own engine time, and the
 * first page of the 3-million-row silver output in Variables against a 3,376-row frame.
 */
import { DebugClient } from '@vscode/debugadapter-testsupport';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createSession } from '../engine/src/index.js';
import { loadPipeline } from '../engine/src/loader.js';
import type { StepGraphResult } from '../protocol/debugProtocol.js';
import { median } from './stats.js';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const PIPELINE = join(ROOT, 'examples', 'flights', 'flights.pipeline.ts');
const ADAPTER = join(ROOT, 'dist', 'debugAdapter.js');

/** One row of the debugger table: a measurement, its baseline and the goal. */
export interface LatencyRow {
  what: string;
  ms: number;
  baseline: string;
  baselineMs: number;
  goal: string;
}

/** Measures the debugger latencies once. */
export async function debugAdapterLatencies(): Promise<LatencyRow[]> {
  const dir = mkdtempSync(join(tmpdir(), 'stepwise-dap-bench-'));
  const client = new DebugClient('node', ADAPTER, 'stepwise');
  client.defaultTimeout = 120_000;
  await client.start();
  try {
    const loadStarted = performance.now();
    const { definition } = await loadPipeline(PIPELINE);
    const session = await createSession();
    session.close();
    const loadMs = performance.now() - loadStarted;
    void definition;

    await client.initializeRequest({
      adapterID: 'stepwise',
      linesStartAt1: true,
      columnsStartAt1: true,
      pathFormat: 'path',
    });
    const launchStarted = performance.now();
    const launched = client.launch({
      pipeline: PIPELINE,
      database: join(dir, 'warehouse.duckdb'),
      stopOnEntry: true,
    });
    await client.waitForEvent('initialized');
    const entry = client.waitForEvent('stopped');
    await client.configurationDoneRequest();
    await launched;
    await entry;
    const launchMs = performance.now() - launchStarted;

    const nextOverheads: number[] = [];
    const engineTimes: number[] = [];
    for (let i = 0; i < 3; i++) {
      const started = performance.now();
      const stopped = client.waitForEvent('stopped');
      await client.nextRequest({ threadId: 1 });
      await stopped;
      const wall = performance.now() - started;
      const graph = (await client.customRequest('stepwise/stepGraph')).body as StepGraphResult;
      const done = graph.steps.filter((s) => s.durationMs !== null);
      const engineMs = done[done.length - 1]!.durationMs!;
      nextOverheads.push(wall - engineMs);
      engineTimes.push(engineMs);
    }

    const bigPage = await firstPageMs(client, 'clean_flights');
    const smallPage = await firstPageMs(client, 'airports');
    return [
      {
        what: 'launch to first stop (stopOnEntry)',
        ms: launchMs,
        baseline: 'load pipeline + open DuckDB in-process',
        baselineMs: loadMs,
        goal: '< 1000 ms',
      },
      {
        what: '`next` to `stopped`, beyond engine time',
        ms: median(nextOverheads),
        baseline: 'engine time of those steps',
        baselineMs: median(engineTimes),
        goal: '< 20 ms',
      },
      {
        what: 'first page of 3M-row silver output',
        ms: bigPage,
        baseline: 'first page of 3,376-row airports',
        baselineMs: smallPage,
        goal: '< 100 ms',
      },
    ];
  } finally {
    await client.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Time to open a context DataFrame in Variables and read its first page of rows. */
async function firstPageMs(client: DebugClient, name: string): Promise<number> {
  const stack = await client.stackTraceRequest({ threadId: 1 });
  const scopes = await client.scopesRequest({ frameId: stack.body.stackFrames[0]!.id });
  const context = scopes.body.scopes.find((s) => s.name === 'Context')!;
  const started = performance.now();
  const frames = await client.variablesRequest({ variablesReference: context.variablesReference });
  const frame = frames.body.variables.find((v) => v.name === name)!;
  const children = await client.variablesRequest({ variablesReference: frame.variablesReference });
  const rows = children.body.variables.find((v) => v.name === 'rows')!;
  await client.variablesRequest({
    variablesReference: rows.variablesReference,
    start: 0,
    count: 100,
  });
  return performance.now() - started;
}
