// Unit tests for the execution modes: validation_only validates and writes nothing, incremental
// appends silver rows past the watermark and overwrites gold, full_refresh keeps the schema and
// initial may change it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { frame, resultOf, withSession, withTempDir } from '../../test/helpers.js';
import { PipelineConfig } from './config.js';
import { F } from './functions.js';
import { PipelineMode } from './report.js';
import { SimplePipelineRunner } from './runner.js';
import type { Session } from './session.js';
import { BronzeStep, GoldStep, SilverStep } from './steps.js';

const CONFIG = PipelineConfig.createDefault('analytics').withThresholds({ silver: 50 });

/** Events with ids `from..to`, one a day from 2024-01-01, as TIMESTAMP. */
function events(session: Session, from: number, to: number) {
  const rows = [];
  for (let id = from; id <= to; id++) {
    rows.push([id, `2024-01-${String(id).padStart(2, '0')} 00:00:00`, id * 10]);
  }
  return session.createDataFrame(rows, [
    'id',
    { name: 'ts', type: 'TIMESTAMP' },
    { name: 'amount', type: 'INTEGER' },
  ]);
}

/** Bronze `events` (incremental on ts), silver `clean_events` (watermark ts), gold `totals`. */
function pipeline() {
  return [
    new BronzeStep({ name: 'events', rules: { id: ['not_null'] }, incrementalCol: 'ts' }),
    new SilverStep({
      name: 'clean_events',
      sourceBronze: 'events',
      watermarkCol: 'ts',
      transform: (_s, df, _p, params?: { withFlag?: boolean }) =>
        params?.withFlag ? df.withColumn('flag', F.lit(true)) : df,
      rules: { amount: [['gt', 0]] },
    }),
    new GoldStep({
      name: 'totals',
      sourceSilvers: ['clean_events'],
      transform: (_s, silvers) =>
        frame(silvers, 'clean_events').agg(F.count().alias('n'), F.sum('amount').alias('total')),
      rules: { n: ['positive'] },
    }),
  ];
}

async function ids(session: Session, table: string): Promise<number[]> {
  const rows = await session.table(table).orderBy('id').collect();
  return rows.map((r) => Number(r.id));
}

void test('validation_only runs transforms and validation but writes nothing', async () => {
  await withSession(async (session) => {
    const runner = new SimplePipelineRunner(session, CONFIG);
    const steps = pipeline();
    const source = session.createDataFrame(
      [
        [1, '2024-01-01', 10],
        [2, '2024-01-02', -5],
      ],
      ['id', { name: 'ts', type: 'TIMESTAMP' }, 'amount'],
    );
    const report = await runner.runPipeline(steps, {
      mode: PipelineMode.VALIDATION_ONLY,
      bronzeSources: { events: source },
    });
    assert.equal(report.status, 'completed', report.errors.join('\n'));
    assert.equal(report.mode, 'validation_only');
    const silver = resultOf(report, 'clean_events');
    assert.deepEqual([silver.validRows, silver.invalidRows, silver.rowsWritten], [1, 1, 0]);
    assert.deepEqual(silver.ruleFailures, { 'amount:gt_0': 1 });
    assert.equal(silver.writeMode, null);
    assert.equal(resultOf(report, 'totals').rowsWritten, 0);
    for (const table of ['clean_events', 'clean_events__invalid', 'totals']) {
      assert.equal(await session.warehouse.tableSchema({ schema: 'analytics', table }), undefined);
    }

    const failing = await new SimplePipelineRunner(
      session,
      CONFIG.withThresholds({ silver: 90 }),
    ).runPipeline(pipeline(), { mode: 'validation_only', bronzeSources: { events: source } });
    assert.equal(resultOf(failing, 'clean_events').status, 'failed');
    assert.match(failing.errors.join('\n'), /1 of 2 rows are valid \(50\.00%\)/);
  });
});

void test('incremental appends only bronze rows past the silver watermark and overwrites gold', async () => {
  await withTempDir(async (dir) => {
    await withSession(
      async (session) => {
        const runner = new SimplePipelineRunner(session, CONFIG);
        const first = await runner.runPipeline(pipeline(), {
          bronzeSources: { events: events(session, 1, 3) },
        });
        assert.equal(first.status, 'completed', first.errors.join('\n'));

        const seen: number[] = [];
        const report = await runner.runPipeline(pipeline(), {
          mode: PipelineMode.INCREMENTAL,
          bronzeSources: { events: events(session, 1, 5) },
          onEvent: async (e) => {
            if (
              e.type === 'phaseFinished' &&
              e.phase === 'transform' &&
              e.step.name === 'clean_events' &&
              e.output
            ) {
              seen.push(await e.output.count());
            }
          },
        });
        assert.equal(report.status, 'completed', report.errors.join('\n'));
        assert.deepEqual(seen, [2], 'the silver transform sees only the two new rows');
        const silver = resultOf(report, 'clean_events');
        assert.deepEqual([silver.writeMode, silver.rowsWritten], ['append', 2]);
        assert.deepEqual(await ids(session, 'analytics.clean_events'), [1, 2, 3, 4, 5]);
        const gold = resultOf(report, 'totals');
        assert.deepEqual([gold.writeMode, gold.inputRows, gold.rowsWritten], ['overwrite', 5, 1]);
        const totals = await session.table('analytics.totals').collect();
        assert.deepEqual(
          totals.map((r) => [Number(r.n), Number(r.total)]),
          [[5, 150]],
        );

        const again = await runner.runPipeline(pipeline(), {
          mode: 'incremental',
          bronzeSources: { events: events(session, 1, 5) },
        });
        assert.equal(resultOf(again, 'clean_events').rowsWritten, 0);
        assert.deepEqual(await ids(session, 'analytics.clean_events'), [1, 2, 3, 4, 5]);
      },
      { database: join(dir, 'warehouse.duckdb') },
    );
  });
});

void test('full_refresh overwrites but refuses a changed schema, suggesting initial', async () => {
  await withTempDir(async (dir) => {
    await withSession(
      async (session) => {
        const runner = new SimplePipelineRunner(session, CONFIG);
        await runner.runPipeline(pipeline(), { bronzeSources: { events: events(session, 1, 3) } });

        const refreshed = await runner.runPipeline(pipeline(), {
          mode: PipelineMode.FULL_REFRESH,
          bronzeSources: { events: events(session, 2, 4) },
        });
        assert.equal(refreshed.status, 'completed', refreshed.errors.join('\n'));
        assert.equal(resultOf(refreshed, 'clean_events').writeMode, 'overwrite');
        assert.deepEqual(await ids(session, 'analytics.clean_events'), [2, 3, 4]);

        const changed = await runner.runPipeline(pipeline(), {
          mode: PipelineMode.FULL_REFRESH,
          bronzeSources: { events: events(session, 1, 5) },
          stepParams: { clean_events: { withFlag: true } },
        });
        const error = resultOf(changed, 'clean_events').error ?? '';
        assert.match(
          error,
          /Table analytics\.clean_events has columns \(id INTEGER, ts TIMESTAMP, amount INTEGER\)/,
        );
        assert.match(error, /flag BOOLEAN/);
        assert.match(
          error,
          /Only an initial run may change a table's schema: run with --mode initial/,
        );
        assert.equal(resultOf(changed, 'totals').status, 'skipped');
        assert.deepEqual(await ids(session, 'analytics.clean_events'), [2, 3, 4]);

        const incremental = await runner.runPipeline(pipeline(), {
          mode: PipelineMode.INCREMENTAL,
          bronzeSources: { events: events(session, 1, 5) },
          stepParams: { clean_events: { withFlag: true } },
        });
        assert.match(resultOf(incremental, 'clean_events').error ?? '', /--mode initial/);

        const initial = await runner.runPipeline(pipeline(), {
          mode: PipelineMode.INITIAL,
          bronzeSources: { events: events(session, 1, 5) },
          stepParams: { clean_events: { withFlag: true } },
        });
        assert.equal(initial.status, 'completed', initial.errors.join('\n'));
        assert.deepEqual(await session.table('analytics.clean_events').columns(), [
          'id',
          'ts',
          'amount',
          'flag',
        ]);
      },
      { database: join(dir, 'warehouse.duckdb') },
    );
  });
});

void test('an unknown mode rejects with the valid modes', async () => {
  await withSession(async (session) => {
    const runner = new SimplePipelineRunner(session, CONFIG);
    await assert.rejects(
      runner.runPipeline(pipeline(), { mode: 'incremantal' as PipelineMode }),
      /Unknown mode 'incremantal'\. Use one of: initial, incremental, full_refresh, validation_only\./,
    );
  });
});

void test('incremental refuses to append when the silver step has no watermark', async () => {
  await withSession(async (session) => {
    const runner = new SimplePipelineRunner(session, CONFIG);
    const steps = [
      new BronzeStep({ name: 'events', rules: { id: ['not_null'] } }),
      new SilverStep({
        name: 'clean_events',
        sourceBronze: 'events',
        transform: (_s, df) => df,
        rules: { amount: [['gt', 0]] },
      }),
    ];
    const options = { bronzeSources: { events: events(session, 1, 3) } };
    await runner.runPipeline(steps, options);
    const report = await runner.runPipeline(steps, { ...options, mode: PipelineMode.INCREMENTAL });
    const result = resultOf(report, 'clean_events');
    assert.equal(result.status, 'failed');
    assert.match(
      result.error ?? '',
      /no watermarkCol on silver step 'clean_events' and no incrementalCol on bronze step 'events'/,
    );
    assert.deepEqual(await ids(session, 'analytics.clean_events'), [1, 2, 3]);
  });
});
