// Values from the field cases: exact numbers, time zones with nanoseconds, and quoted or unicode
// column names survive a step, its rules, the warehouse and the text table unchanged.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import type { DuckDBListValue } from '@duckdb/node-api';
import {
  BronzeStep,
  F,
  PipelineConfig,
  SilverStep,
  SimplePipelineRunner,
  sql,
  type Row,
  type Session,
  type SqlQuery,
} from '../engine/src/index.js';
import { frame, resultOf, withSession, withTempDir } from './helpers.js';

const CONFIG = PipelineConfig.createDefault('analytics');

/** Runs a bronze step over one row and a silver step `values_out` whose output is `query`. */
async function runQueryStep(session: Session, query: SqlQuery) {
  const steps = [
    new BronzeStep({ name: 'seed' }),
    new SilverStep({ name: 'values_out', sourceBronze: 'seed', transform: () => query }),
  ];
  const [report, context] = await new SimplePipelineRunner(session, CONFIG).runUntil(
    'values_out',
    steps,
    { bronzeSources: { seed: sql`SELECT 1 AS one` } },
  );
  assert.equal(report.status, 'completed', report.errors.join('\n'));
  return frame(context, 'values_out');
}

const NUMBERS = sql`SELECT -8682357422280616451::BIGINT AS a, 9007199254740993::HUGEINT AS b,
  12345678901234567890.123::DECIMAL(38,3) AS c, 0.375::DOUBLE AS d, 1.15::DECIMAL(4,2) AS e`;

function assertExactNumbers(row: Row | undefined): void {
  assert.ok(row);
  assert.equal(row.a, -8682357422280616451n);
  assert.equal(row.b, 9007199254740993n);
  assert.equal(String(row.c), '12345678901234567890.123');
  assert.equal(row.d, 0.375);
  assert.equal(String(row.e), '1.15');
}

const NUMBERS_TABLE = [
  '+----------------------+------------------+--------------------------+-------+------+',
  '| a                    | b                | c                        | d     | e    |',
  '+----------------------+------------------+--------------------------+-------+------+',
  '| -8682357422280616451 | 9007199254740993 | 12345678901234567890.123 | 0.375 | 1.15 |',
  '+----------------------+------------------+--------------------------+-------+------+',
].join('\n');

void test('case 1: a step output keeps exact BIGINT, HUGEINT, DECIMAL and DOUBLE values', async () => {
  await withSession(async (session) => {
    const output = await runQueryStep(session, NUMBERS);
    assertExactNumbers((await output.collect())[0]);
    assert.equal(await output.showString(), NUMBERS_TABLE);
    assert.deepEqual(await output.schema(), [
      { name: 'a', type: 'BIGINT' },
      { name: 'b', type: 'HUGEINT' },
      { name: 'c', type: 'DECIMAL(38,3)' },
      { name: 'd', type: 'DOUBLE' },
      { name: 'e', type: 'DECIMAL(4,2)' },
    ]);
  });
});

void test('case 1: exact values survive a round trip through the warehouse', async () => {
  await withTempDir(async (dir) => {
    for (const database of [undefined, join(dir, 'exact.duckdb')]) {
      await withSession(
        async (session) => {
          await runQueryStep(session, NUMBERS);
          const table = session.table('analytics.values_out');
          assertExactNumbers((await table.collect())[0]);
          assert.equal(await table.showString(), NUMBERS_TABLE);
        },
        database ? { database } : {},
      );
    }
  });
});

void test('case 2: in Asia/Singapore a naive timestamp stays naive and nanoseconds are kept', async () => {
  const query = sql`SELECT TIMESTAMPTZ '2024-10-01 00:00:00+08' AS tz,
    TIMESTAMP '1970-01-01 00:00:00' AS naive, DATE '2024-02-29' AS d,
    TIMESTAMP_NS '2024-01-01 00:00:00.123456789' AS ns`;
  const expected = [
    '+------------------------+---------------------+------------+-------------------------------+',
    '| tz                     | naive               | d          | ns                            |',
    '+------------------------+---------------------+------------+-------------------------------+',
    '| 2024-10-01 00:00:00+08 | 1970-01-01 00:00:00 | 2024-02-29 | 2024-01-01 00:00:00.123456789 |',
    '+------------------------+---------------------+------------+-------------------------------+',
  ].join('\n');
  await withSession(
    async (session) => {
      const output = await runQueryStep(session, query);
      assert.equal(await output.showString(), expected);
      const [row] = await output.collect();
      assert.ok(row);
      assert.equal(String(row.naive), '1970-01-01 00:00:00');
      assert.equal(String(row.d), '2024-02-29');
      assert.equal(String(row.ns), '2024-01-01 00:00:00.123456789');
      assert.equal((row.tz as { micros: bigint }).micros, 1727712000000000n);
      assert.deepEqual(
        (await output.schema()).map((f) => f.type),
        ['TIMESTAMP WITH TIME ZONE', 'TIMESTAMP', 'DATE', 'TIMESTAMP_NS'],
      );
      assert.equal(await session.table('analytics.values_out').showString(), expected);
    },
    { timeZone: 'Asia/Singapore' },
  );
});

void test('quoted, unicode and keyword column names survive rules, writes, reads and display', async () => {
  const columns = ['größe ✓', 'a "quoted" name', 'select', 'a.b'];
  await withSession(async (session) => {
    const source = session.createDataFrame(
      [
        [1, 'x', 'k', 10],
        [null, 'y', 'l', 20],
        [3, 'z', '', 30],
      ],
      columns,
    );
    const steps = [
      new BronzeStep({ name: 'raw_größe', rules: { select: ['not_null'] } }),
      new SilverStep({
        name: 'größe_check',
        sourceBronze: 'raw_größe',
        tableName: 'Größen "Tabelle"',
        transform: (_s, df) => df.filter(F.col('`a.b`').gt(5)),
        rules: {
          'größe ✓': ['not_null'],
          'a "quoted" name': [['in', ['x', 'y']]],
          select: ['not_empty'],
          'a.b': [F.col('`a.b`').lt(100)],
        },
      }),
    ];
    const config = CONFIG.withThresholds({ silver: 0 });
    const [report, context] = await new SimplePipelineRunner(session, config).runUntil(
      'größe_check',
      steps,
      { bronzeSources: { raw_größe: source } },
    );
    const result = resultOf(report, 'größe_check');
    assert.equal(result.status, 'completed', report.errors.join('\n'));
    assert.deepEqual(result.ruleFailures, {
      'größe ✓:not_null': 1,
      'a "quoted" name:in(x,y)': 1,
      'select:not_empty': 1,
      'a.b:a.b < 100': 0,
    });
    assert.deepEqual(await frame(context, 'größe_check').columns(), columns);

    const table = session.table('analytics.Größen "Tabelle"');
    assert.deepEqual(await table.columns(), columns);
    assert.equal(
      await table.showString(),
      [
        '+---------+-----------------+--------+-----+',
        '| größe ✓ | a "quoted" name | select | a.b |',
        '+---------+-----------------+--------+-----+',
        '|       1 | x               | k      |  10 |',
        '+---------+-----------------+--------+-----+',
      ].join('\n'),
    );
    const invalid = await session
      .table('analytics.Größen "Tabelle"__invalid')
      .orderBy(F.col('`a.b`'))
      .collect();
    assert.deepEqual(
      invalid.map((r) => (r._failed_rules as DuckDBListValue).items),
      [['größe ✓:not_null'], ['a "quoted" name:in(x,y)', 'select:not_empty']],
    );
  });
});
