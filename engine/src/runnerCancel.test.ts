// Unit tests for cancelling a run with an AbortSignal: the running query stops within a second,
// the step is 'cancelled', later steps are skipped and the warehouse keeps its old tables.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { resultOf, withSession } from '../../test/helpers.js';
import { PipelineConfig } from './config.js';
import { SimplePipelineRunner } from './runner.js';
import type { Session } from './session.js';
import { sql } from './sqlTemplate.js';
import { BronzeStep, GoldStep, SilverStep } from './steps.js';

const CONFIG = PipelineConfig.createDefault('analytics');

/** A silver step `counted` that counts a huge range when `params.slow`, else outputs `n`. */
function steps() {
  return [
    new BronzeStep({ name: 'raw', rules: { id: ['not_null'] } }),
    new SilverStep({
      name: 'counted',
      sourceBronze: 'raw',
      transform: (_s, _raw, _p, params?: { slow?: boolean; n?: number }) =>
        params?.slow
          ? sql`SELECT count(*) AS n FROM range(100000000000)`
          : sql`SELECT ${params?.n ?? 42}::BIGINT AS n`,
      rules: { n: ['not_null'] },
    }),
    new GoldStep({
      name: 'summary',
      sourceSilvers: ['counted'],
      transform: (_s, silvers) => sql`SELECT * FROM ${silvers.counted}`,
    }),
  ];
}

const SOURCES = { raw: sql`SELECT 1 AS id` };

async function tableValues(session: Session, table: string): Promise<number[]> {
  return (await session.table(table).collect()).map((r) => Number(r.n));
}

void test(
  'aborting a running query stops it within a second and keeps the old table',
  { timeout: 60_000 },
  async () => {
    await withSession(async (session) => {
      const runner = new SimplePipelineRunner(session, CONFIG);
      const first = await runner.runPipeline(steps(), { bronzeSources: SOURCES });
      assert.equal(first.status, 'completed', first.errors.join('\n'));
      assert.deepEqual(await tableValues(session, 'analytics.counted'), [42]);

      // The signal aborts on its own once the slow query runs; the run must end soon after.
      const signal = AbortSignal.timeout(500);
      let abortedAt = 0;
      signal.addEventListener('abort', () => {
        abortedAt = performance.now();
      });
      const report = await runner.runPipeline(steps(), {
        bronzeSources: SOURCES,
        stepParams: { counted: { slow: true } },
        signal,
      });
      const elapsed = performance.now() - abortedAt;
      assert.ok(abortedAt > 0, 'the signal aborted during the run');
      assert.ok(elapsed < 3000, `the run ended ${elapsed.toFixed(0)} ms after the abort`);
      assert.equal(report.status, 'failed');
      assert.equal(resultOf(report, 'raw').status, 'completed');
      const counted = resultOf(report, 'counted');
      assert.equal(counted.status, 'cancelled');
      assert.equal(counted.error, "Step 'counted' was cancelled.");
      assert.equal(counted.rowsWritten, 0);
      assert.equal(resultOf(report, 'summary').status, 'skipped');
      assert.deepEqual(await tableValues(session, 'analytics.counted'), [42]);
      assert.deepEqual(await tableValues(session, 'analytics.summary'), [42]);
    });
  },
);

void test('an abort that arrives between queries still prevents the write', async () => {
  await withSession(async (session) => {
    const runner = new SimplePipelineRunner(session, CONFIG);
    await runner.runPipeline(steps(), { bronzeSources: SOURCES });

    const controller = new AbortController();
    const report = await runner.runPipeline(steps(), {
      bronzeSources: SOURCES,
      stepParams: { counted: { n: 7 } },
      signal: controller.signal,
      onEvent: (event) => {
        if (
          event.type === 'phaseFinished' &&
          event.phase === 'validate' &&
          event.step.name === 'counted'
        ) {
          controller.abort();
        }
      },
    });
    assert.equal(report.status, 'failed');
    assert.equal(resultOf(report, 'counted').status, 'cancelled');
    assert.equal(resultOf(report, 'counted').rowsWritten, 0);
    assert.equal(resultOf(report, 'summary').status, 'skipped');
    assert.deepEqual(await tableValues(session, 'analytics.counted'), [42]);
  });
});

void test('a run whose signal is already aborted skips every step and writes nothing', async () => {
  await withSession(async (session) => {
    const report = await new SimplePipelineRunner(session, CONFIG).runPipeline(steps(), {
      bronzeSources: SOURCES,
      signal: AbortSignal.abort(),
    });
    assert.equal(report.status, 'failed', 'a cancelled run did not complete');
    assert.deepEqual(
      report.stepOrder.map((name) => [name, resultOf(report, name).status]),
      [
        ['raw', 'skipped'],
        ['counted', 'skipped'],
        ['summary', 'skipped'],
      ],
    );
    assert.equal(resultOf(report, 'raw').error, 'Skipped because the run was cancelled.');
    assert.equal(
      await session.warehouse.tableSchema({ schema: 'analytics', table: 'counted' }),
      undefined,
    );
  });
});
