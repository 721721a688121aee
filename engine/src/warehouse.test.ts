// Unit tests for the file warehouse: writes are atomic even when the writer is killed or
// cancelled half way, a busy file is waited for and then reported, and the run history keeps one
// row per step per run.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { ChildScript, FIXTURES, resultOf, withSession, withTempDir } from '../../test/helpers.js';
import { PipelineConfig } from './config.js';
import { isStepwiseError } from './errors.js';
import type { RunEvent } from './events.js';
import { SimplePipelineRunner } from './runner.js';
import type { Session } from './session.js';
import { sql } from './sqlTemplate.js';
import { BronzeStep, SilverStep } from './steps.js';

const CONFIG = PipelineConfig.createDefault('analytics');

/** Bronze `raw` and silver `numbers`, whose table holds `n` for `n` below `params.rows` (10). */
function steps() {
  return [
    new BronzeStep({ name: 'raw', rules: { id: ['not_null'] } }),
    new SilverStep({
      name: 'numbers',
      sourceBronze: 'raw',
      transform: (_s, _raw, _p, params?: { rows?: number; hashed?: boolean }) =>
        params?.hashed
          ? sql`SELECT hash(range) AS n FROM range(${params.rows ?? 10})`
          : sql`SELECT range AS n FROM range(${params?.rows ?? 10})`,
      rules: { n: ['not_null'] },
    }),
  ];
}

const SOURCES = { raw: sql`SELECT 1 AS id` };

async function numbers(session: Session): Promise<number[]> {
  const rows = await session.table('analytics.numbers').orderBy('n').collect();
  return rows.map((r) => Number(r.n));
}

const FIRST_TEN = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9];

/** The size of a warehouse file with its write-ahead log. */
function bytes(database: string): number {
  return [database, `${database}.wal`]
    .filter((file) => existsSync(file))
    .reduce((total, file) => total + statSync(file).size, 0);
}

void test(
  'a writer killed in the middle of a write leaves the old table intact',
  { timeout: 120_000 },
  async () => {
    await withTempDir(async (dir) => {
      const database = join(dir, 'warehouse.duckdb');
      await withSession(
        async (session) => {
          const report = await new SimplePipelineRunner(session, CONFIG).runPipeline(steps(), {
            bronzeSources: SOURCES,
          });
          assert.equal(report.status, 'completed', report.errors.join('\n'));
        },
        { database },
      );

      const child = new ChildScript(join(FIXTURES, 'warehouse', 'overwriteSlowly.ts'), [database]);
      try {
        await child.waitForLine('WRITE_BEGAN');
        await child.kill('SIGKILL');
      } finally {
        await child.kill();
      }
      assert.equal(child.printed('WRITE_DONE'), false, 'the child was killed before it committed');

      await withSession(
        async (session) => {
          assert.deepEqual(await numbers(session), FIRST_TEN);
          const report = await new SimplePipelineRunner(session, CONFIG).runPipeline(steps(), {
            bronzeSources: SOURCES,
            stepParams: { numbers: { rows: 3 } },
          });
          assert.equal(report.status, 'completed', report.errors.join('\n'));
          assert.deepEqual(await numbers(session), [0, 1, 2]);
        },
        { database },
      );
    });
  },
);

void test(
  'a write cancelled by its AbortSignal half way leaves the old table intact',
  { timeout: 120_000 },
  async () => {
    await withTempDir(async (dir) => {
      const database = join(dir, 'warehouse.duckdb');
      await withSession(
        async (session) => {
          const runner = new SimplePipelineRunner(session, CONFIG);
          await runner.runPipeline(steps(), { bronzeSources: SOURCES });

          // Once validation is done the write starts; the file growing shows it is under way.
          const controller = new AbortController();
          let watch: NodeJS.Timeout | undefined;
          const onEvent = (event: RunEvent): void => {
            if (
              event.type === 'phaseFinished' &&
              event.phase === 'validate' &&
              event.step.name === 'numbers'
            ) {
              const before = bytes(database);
              watch = setInterval(() => {
                if (bytes(database) > before + 4 * 1024 * 1024) {
                  clearInterval(watch);
                  controller.abort();
                }
              }, 2);
            }
          };
          try {
            const report = await runner.runPipeline(steps(), {
              bronzeSources: SOURCES,
              stepParams: { numbers: { rows: 10_000_000, hashed: true } },
              signal: controller.signal,
              onEvent,
            });
            assert.equal(
              controller.signal.aborted,
              true,
              'the write grew the file before it ended',
            );
            assert.equal(resultOf(report, 'numbers').status, 'cancelled');
            assert.equal(resultOf(report, 'numbers').rowsWritten, 0);
          } finally {
            clearInterval(watch);
          }
          assert.deepEqual(await numbers(session), FIRST_TEN);

          const after = await runner.runPipeline(steps(), {
            bronzeSources: SOURCES,
            stepParams: { numbers: { rows: 4 } },
          });
          assert.equal(after.status, 'completed', after.errors.join('\n'));
          assert.deepEqual(await numbers(session), [0, 1, 2, 3]);
        },
        { database },
      );
    });
  },
);

void test(
  'a busy warehouse fails after lockTimeoutMs naming the file, or is waited for',
  { timeout: 120_000 },
  async () => {
    await withTempDir(async (dir) => {
      const database = join(dir, 'warehouse.duckdb');
      const child = new ChildScript(join(FIXTURES, 'warehouse', 'holdWarehouse.ts'), [database]);
      try {
        await child.waitForLine('HOLDING');

        await withSession(
          async (session) => {
            await assert.rejects(session.warehouse.lastResults(), (error: unknown) => {
              assert.ok(isStepwiseError(error, 'warehouse_busy'), String(error));
              assert.ok(error.message.includes(database), error.message);
              return true;
            });
            const started = Date.now();
            const report = await new SimplePipelineRunner(session, CONFIG).runPipeline(steps(), {
              bronzeSources: SOURCES,
            });
            // One waiting budget for the run, not one per read and write (three of them here).
            assert.ok(Date.now() - started < 2500, `the run waited ${Date.now() - started} ms`);
            const result = resultOf(report, 'numbers');
            assert.equal(result.status, 'failed');
            assert.match(result.error ?? '', /The warehouse .* is in use by another process/);
            assert.ok(result.error?.includes(database), result.error ?? '');
            assert.match(
              report.warnings.join('\n'),
              /Could not record step 'raw' in the run history/,
            );
          },
          { database, lockTimeoutMs: 1000 },
        );

        await withSession(
          async (session) => {
            const report = await new SimplePipelineRunner(session, CONFIG).runPipeline(steps(), {
              bronzeSources: SOURCES,
              onEvent: (event) => {
                if (
                  event.type === 'phaseFinished' &&
                  event.phase === 'write' &&
                  event.step.name === 'raw'
                ) {
                  child.send('release');
                }
              },
            });
            assert.equal(report.status, 'completed', report.errors.join('\n'));
            assert.deepEqual(report.warnings, []);
            assert.equal(child.printed('RELEASED'), true);
            assert.deepEqual(await numbers(session), FIRST_TEN);
          },
          { database, lockTimeoutMs: 60_000 },
        );
      } finally {
        await child.kill();
      }
    });
  },
);

void test('the run history keeps one row per step per run; lastResults gives the latest', async () => {
  await withTempDir(async (dir) => {
    const database = join(dir, 'warehouse.duckdb');
    const runIds: string[] = [];
    await withSession(
      async (session) => {
        const runner = new SimplePipelineRunner(session, CONFIG);
        const good = await runner.runPipeline(steps(), {
          bronzeSources: SOURCES,
          pipelineName: 'numbers.pipeline.ts',
        });
        const [bad] = await runner.runUntil('numbers', steps(), {
          bronzeSources: { raw: sql`SELECT NULL::INTEGER AS id` },
          pipelineName: 'numbers.pipeline.ts',
          mode: 'full_refresh',
        });
        runIds.push(good.runId, bad.runId);
        assert.notEqual(good.runId, bad.runId);
      },
      { database },
    );

    await withSession(
      async (session) => {
        const history = await session.warehouse.use((catalog) =>
          session
            .query(
              `SELECT run_id, mode, step, status, input_rows, output_rows, valid_rows,
                 invalid_rows, rows_written, error IS NULL AS ok
               FROM "${catalog}"._stepwise.run_history ORDER BY started_at`,
            )
            .then((reader) => reader.getRowObjectsJson()),
        );
        assert.deepEqual(history, [
          {
            run_id: runIds[0],
            mode: 'initial',
            step: 'raw',
            status: 'completed',
            input_rows: '1',
            output_rows: '1',
            valid_rows: '1',
            invalid_rows: '0',
            rows_written: '0',
            ok: true,
          },
          {
            run_id: runIds[0],
            mode: 'initial',
            step: 'numbers',
            status: 'completed',
            input_rows: '1',
            output_rows: '10',
            valid_rows: '10',
            invalid_rows: '0',
            rows_written: '10',
            ok: true,
          },
          {
            run_id: runIds[1],
            mode: 'full_refresh',
            step: 'raw',
            status: 'failed',
            input_rows: '1',
            output_rows: '1',
            valid_rows: '0',
            invalid_rows: '1',
            rows_written: '0',
            ok: false,
          },
          {
            run_id: runIds[1],
            mode: 'full_refresh',
            step: 'numbers',
            status: 'skipped',
            input_rows: '0',
            output_rows: '0',
            valid_rows: '0',
            invalid_rows: '0',
            rows_written: '0',
            ok: false,
          },
        ]);

        const last = await session.warehouse.lastResults('numbers.pipeline.ts');
        assert.deepEqual(
          last.map((r) => [r.runId, r.step, r.status]),
          [
            [runIds[1], 'raw', 'failed'],
            [runIds[1], 'numbers', 'skipped'],
          ],
        );
        assert.match(
          last[0]?.error ?? '',
          /0 of 1 rows are valid \(0\.00%\), below the bronze threshold of 95%/,
        );
        assert.deepEqual(await session.warehouse.lastResults('other.pipeline.ts'), []);
      },
      { database },
    );
  });
});
