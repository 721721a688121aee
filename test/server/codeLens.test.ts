/**
 * CodeLens through the protocol: four action lenses per step with their commands, the last run's
 * summary from the run history (after a real run and after history rows are written), settings
 * that turn lenses off, untrusted workspaces, and a warehouse that another process holds.
 */
import { DuckDBInstance } from '@duckdb/node-api';
import assert from 'node:assert/strict';
import { readFileSync, rmSync } from 'node:fs';
import { after, before, describe, test } from 'node:test';
import type { CodeLens } from 'vscode-languageserver-protocol';
import {
  LENS_COMMANDS,
  MANAGE_TRUST_COMMAND,
  RUNS_CHANGED_NOTIFICATION,
  TRUST_CHANGED_NOTIFICATION,
} from '../../protocol/languageProtocol.js';
import { fixture, FIXTURES, LspClient, positionOf } from './lspClient.js';
import { appendRuns, runPipeline, tempWarehouse } from './runs.js';

const PIPELINE = fixture('flights_like');
const TEXT = readFileSync(PIPELINE, 'utf8');
const STEPS = ['flights', 'airports', 'clean_flights', 'delay_by_origin', 'delay_by_city'];
const ACTIONS = ['Run until here', 'Run step', 'Rerun with params…', 'Debug until here'];

/** The line of a step's `new ...Step({`, the line before its name in this fixture. */
function headerLine(step: string): number {
  return positionOf(TEXT, `name: '${step}'`).line - 1;
}

/**
 * Opens the warehouse for writing as a run would. The server may be in the middle of a read of a
 * few milliseconds; a run's own attach retries the same way, and gives up after two seconds here.
 */
async function openWhenFree(path: string): Promise<DuckDBInstance> {
  const deadline = Date.now() + 2_000;
  for (let wait = 5; ; wait *= 2) {
    try {
      return await DuckDBInstance.create(path);
    } catch (error) {
      if (!/lock/i.test(String(error)) || Date.now() > deadline) {
        throw error;
      }
    }
    await new Promise((resolve) => setTimeout(resolve, wait));
  }
}

/** Lens titles grouped by line, for compact comparisons. */
function titlesByLine(lenses: CodeLens[]): Map<number, string[]> {
  const lines = new Map<number, string[]>();
  for (const lens of lenses) {
    assert.equal(lens.range.start.line, lens.range.end.line);
    const titles = lines.get(lens.range.start.line) ?? [];
    titles.push(lens.command?.title ?? '(no command)');
    lines.set(lens.range.start.line, titles);
  }
  return lines;
}

void describe('code lenses', () => {
  let client: LspClient;
  let uri: string;
  const { folder, warehouse } = tempWarehouse();

  before(async () => {
    client = await LspClient.start({
      folders: [FIXTURES],
      settings: { warehouse },
      args: ['--log-level=debug'],
    });
    uri = await client.open(PIPELINE);
  });
  after(async () => {
    await client.stop();
    rmSync(folder, { recursive: true, force: true });
  });

  void test('four lenses above each step, with the step commands and [uri, step]', async () => {
    const lenses = await client.codeLens(uri);
    assert.equal(lenses.length, STEPS.length * 4);
    assert.deepEqual(
      [...titlesByLine(lenses)],
      STEPS.map((step) => [headerLine(step), ACTIONS]),
    );
    const commands = [
      LENS_COMMANDS.runUntil,
      LENS_COMMANDS.runStep,
      LENS_COMMANDS.rerunWithParams,
      LENS_COMMANDS.debugUntil,
    ];
    lenses.forEach((lens, i) => {
      const step = STEPS[Math.floor(i / 4)]!;
      assert.equal(lens.command?.command, commands[i % 4]);
      assert.deepEqual(lens.command?.arguments, [uri, step]);
      assert.equal(lens.range.start.character, 4);
    });
  });

  void test('a real run adds its summary lens, after stepwise/runsChanged', async () => {
    const report = await runPipeline(PIPELINE, warehouse);
    assert.equal(report.status, 'completed');
    const seen = client.lensRefreshCount;
    await client.notify(RUNS_CHANGED_NOTIFICATION, { uri });
    await client.lensRefreshAfter(seen);

    const lenses = await client.codeLens(uri);
    assert.equal(lenses.length, STEPS.length * 5);
    const summaries = lenses.filter((l) => l.command?.command === LENS_COMMANDS.showLastRun);
    assert.deepEqual(
      summaries.map((l) => [l.range.start.line, l.command?.arguments]),
      STEPS.map((step) => [headerLine(step), [uri, step]]),
    );
    const titles = summaries.map((l) => l.command?.title ?? '');
    assert.match(titles[0]!, /^✓ 1,000 rows · 100% valid · \d+ ms$/);
    assert.match(titles[2]!, /^✓ 1,000 rows · 99\.9% valid · \d+ ms$/);
    assert.match(titles[3]!, /^✓ 2 rows · 100% valid · \d+ ms$/);
  });

  void test('failed and skipped runs, read when the warehouse changes on disk', async () => {
    const seen = client.lensRefreshCount;
    // No notification: the server must notice the warehouse file changing by itself.
    await appendRuns(warehouse, PIPELINE, [
      {
        step: 'clean_flights',
        status: 'failed',
        durationMs: 1234,
        error:
          "Step 'clean_flights' (/work/flights.pipeline.ts:39) failed: the transform threw: " +
          'division by zero (at /work/flights.pipeline.ts:52:9)\n    at transform (flights.ts:3)',
      },
      { step: 'delay_by_origin', status: 'skipped' },
    ]);
    await client.lensRefreshAfter(seen);

    const titles = titlesByLine(await client.codeLens(uri));
    assert.deepEqual(titles.get(headerLine('clean_flights')), [
      ...ACTIONS,
      // The step's own name and place are dropped: the lens already stands on that step.
      '✗ failed: the transform threw: division by zero (at /work/flights.pipeline.ts:52:9)',
    ]);
    assert.deepEqual(titles.get(headerLine('delay_by_origin')), [...ACTIONS, '– skipped']);
  });

  void test('a warehouse held by a writer keeps the last results and is never held', async () => {
    const before = await client.codeLens(uri);
    const holder = await openWhenFree(warehouse);
    try {
      const seen = client.logs.length;
      await client.notify(RUNS_CHANGED_NOTIFICATION, {});
      await client.log(/stayed busy; keeping the last runs/, seen);
      // Lenses still answer, with what was read before the writer took the file.
      assert.deepEqual(await client.codeLens(uri), before);
    } finally {
      holder.closeSync();
    }
    // The server holds the file only while it reads: a writer gets it again.
    await client.notify(RUNS_CHANGED_NOTIFICATION, {});
    await client.codeLens(uri);
    (await openWhenFree(warehouse)).closeSync();
  });

  void test('settings turn lenses off, one by one or all at once', async () => {
    let seen = client.lensRefreshCount;
    await client.changeSettings({ warehouse, codeLens: { runStep: false, lastRun: false } });
    seen = await client.lensRefreshAfter(seen);
    const some = titlesByLine(await client.codeLens(uri));
    assert.deepEqual(some.get(headerLine('flights')), [
      'Run until here',
      'Rerun with params…',
      'Debug until here',
    ]);

    await client.changeSettings({ warehouse, codeLens: { enabled: false } });
    seen = await client.lensRefreshAfter(seen);
    assert.deepEqual(await client.codeLens(uri), []);

    await client.changeSettings({ warehouse });
    await client.lensRefreshAfter(seen);
    assert.equal((await client.codeLens(uri)).length, STEPS.length * 5);
  });
});

void describe('code lenses in an untrusted workspace', () => {
  let client: LspClient;
  let uri: string;
  const { folder, warehouse } = tempWarehouse();

  before(async () => {
    client = await LspClient.start({
      folders: [FIXTURES],
      settings: { warehouse },
      trusted: false,
    });
    uri = await client.open(PIPELINE);
  });
  after(async () => {
    await client.stop();
    rmSync(folder, { recursive: true, force: true });
  });

  void test('one inert lens per step that leads to the trust editor', async () => {
    const lenses = await client.codeLens(uri);
    assert.deepEqual(
      lenses.map((l) => [l.range.start.line, l.command]),
      STEPS.map((step) => [
        headerLine(step),
        { title: 'Stepwise: trust this workspace to run pipelines', command: MANAGE_TRUST_COMMAND },
      ]),
    );
  });

  void test('granting trust brings the step lenses back', async () => {
    const seen = client.lensRefreshCount;
    await client.notify(TRUST_CHANGED_NOTIFICATION, { trusted: true });
    await client.lensRefreshAfter(seen);
    assert.equal((await client.codeLens(uri)).length, STEPS.length * 4);
  });
});
