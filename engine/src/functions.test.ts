// Unit tests for F and Column: each function and operator compiles to DuckDB SQL with Spark's
// meaning, checked on real values.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { withSession } from '../../test/helpers.js';
import type { Column } from './column.js';
import type { DataFrame } from './dataframe.js';
import { F } from './functions.js';

const ROW = `SELECT '  Hello World  ' AS s, -2.5::DOUBLE AS n, 7 AS i, 2 AS two, NULL::INTEGER AS nul,
  DATE '2024-02-29' AS d, TIMESTAMP '2024-02-29 13:45:10' AS ts, 'NaN'::DOUBLE AS nan`;

/** Each expression evaluated on the one row, as DuckDB text ('NULL' for NULL). */
async function texts(row: DataFrame, cases: [string, Column, string][]): Promise<void> {
  const selected = row.select(cases.map(([label, column]) => column.cast('VARCHAR').alias(label)));
  const [values] = await selected.collect();
  assert.ok(values);
  for (const [label, , expected] of cases) {
    assert.equal(values[label] ?? 'NULL', expected, label);
  }
}

void test('F.when/otherwise, lit, expr and col', async () => {
  await withSession(async (session) => {
    const size = F.when(F.col('i').gt(10), 'huge').when(F.col('i').gt(5), 'big');
    await texts(session.sql(ROW), [
      ['when_otherwise', size.otherwise('small'), 'big'],
      ['when_no_match', F.when(F.col('i').lt(0), 1).otherwise(F.col('two')), '2'],
      ['when_without_otherwise', F.when(F.col('i').lt(0), 'neg'), 'NULL'],
      ['lit_number', F.lit(5), '5'],
      ['lit_text', F.lit("it's"), "it's"],
      ['lit_null', F.lit(null), 'NULL'],
      ['lit_bigint', F.lit(-8682357422280616451n), '-8682357422280616451'],
      ['expr', F.expr('i * two'), '14'],
      ['column', F.column('i'), '7'],
    ]);
  });
});

void test('string functions', async () => {
  await withSession(async (session) => {
    await texts(session.sql(ROW), [
      ['upper', F.upper(F.trim('s')), 'HELLO WORLD'],
      ['lower', F.lower(F.trim('s')), 'hello world'],
      ['trim', F.trim('s'), 'Hello World'],
      ['length', F.length('s'), '15'],
      ['concat', F.concat(F.lit('a'), F.col('i'), F.lit('b')), 'a7b'],
      ['concat_ws', F.concatWs('-', F.lit('a'), F.col('two')), 'a-2'],
      ['substring', F.substring(F.trim('s'), 7, 3), 'Wor'],
      ['regexp_replace', F.regexpReplace(F.trim('s'), 'o', '0'), 'Hell0 W0rld'],
      ['regexp_extract', F.regexpExtract('s', '(W\\w+)', 1), 'World'],
    ]);
  });
});

void test('math and null functions', async () => {
  await withSession(async (session) => {
    await texts(session.sql(ROW), [
      ['abs', F.abs('n'), '2.5'],
      ['round', F.round(F.lit(2.345), 2), '2.35'],
      ['floor', F.floor('n'), '-3.0'],
      ['ceil', F.ceil('n'), '-2.0'],
      ['sqrt', F.sqrt(F.lit(16)), '4.0'],
      ['greatest', F.greatest('i', 'two'), '7'],
      ['least', F.least('i', 'two'), '2'],
      ['coalesce_columns', F.coalesce('nul', 'two'), '2'],
      ['coalesce_literal', F.coalesce('nul', 3), '3'],
      ['isnull', F.isnull('nul'), 'true'],
      ['isnan', F.isnan('nan'), 'true'],
      ['nullif', F.nullif('two', 2), 'NULL'],
    ]);
  });
});

void test('date and time functions', async () => {
  await withSession(async (session) => {
    await texts(session.sql(ROW), [
      ['to_date', F.toDate('ts'), '2024-02-29'],
      ['to_timestamp', F.toTimestamp(F.lit('2024-01-02')), '2024-01-02 00:00:00'],
      ['year', F.year('d'), '2024'],
      ['month', F.month('d'), '2'],
      ['dayofmonth', F.dayofmonth('d'), '29'],
      ['dayofweek', F.dayofweek('d'), '4'],
      ['hour', F.hour('ts'), '13'],
      ['date_trunc', F.dateTrunc('month', 'ts'), '2024-02-01 00:00:00'],
      ['date_diff', F.dateDiff('day', 'd', F.toDate(F.lit('2024-03-10'))), '10'],
      ['date_format', F.dateFormat('ts', '%Y/%m/%d %H'), '2024/02/29 13'],
      ['today', F.currentDate().cast('VARCHAR').eq(F.expr('CAST(today() AS VARCHAR)')), 'true'],
      ['now', F.currentTimestamp().cast('VARCHAR').eq(F.expr('CAST(now() AS VARCHAR)')), 'true'],
    ]);
  });
});

void test('aggregate functions', async () => {
  await withSession(async (session) => {
    const df = session.sql('SELECT * FROM (VALUES (1), (2), (2), (5), (NULL)) t(x)');
    const [row] = await df
      .agg(
        F.count().alias('rows'),
        F.count('x').alias('values'),
        F.countDistinct('x').alias('distinct'),
        F.approxCountDistinct('x').alias('approx'),
        F.sum('x').alias('sum'),
        F.avg('x').alias('avg'),
        F.mean('x').alias('mean'),
        F.min('x').alias('min'),
        F.max('x').alias('max'),
        F.median('x').alias('median'),
        F.variance('x').alias('variance'),
        F.stddev('x').alias('stddev'),
        F.percentile('x', 0.5).alias('p50'),
        F.collectList('x').alias('list'),
      )
      .collect();
    assert.ok(row);
    assert.ok(Math.abs(Number(row.variance) - 3) < 1e-9);
    assert.ok(Math.abs(Number(row.stddev) - Math.sqrt(3)) < 1e-9);
    assert.deepEqual(
      { ...row, list: String(row.list), variance: 3, stddev: 'checked' },
      {
        rows: 5n,
        values: 4n,
        distinct: 3n,
        approx: 3n,
        sum: 10n,
        avg: 2.5,
        mean: 2.5,
        min: 1,
        max: 5,
        median: 2,
        variance: 3,
        stddev: 'checked',
        p50: 2,
        list: '[1, 2, 2, 5, NULL]',
      },
    );
    const single = await session
      .sql('SELECT 4 AS x')
      .agg(F.first('x').alias('f'), F.last('x').alias('l'))
      .collect();
    assert.deepEqual(single, [{ f: 4, l: 4 }]);
  });
});

void test('Column comparison, boolean and arithmetic operators', async () => {
  const c = F.col('i');
  await withSession(async (session) => {
    await texts(session.sql(ROW), [
      ['eq', c.eq(7), 'true'],
      ['ne', c.ne(7), 'false'],
      ['gt', c.gt(F.col('two')), 'true'],
      ['ge', c.ge(7), 'true'],
      ['lt', c.lt(7), 'false'],
      ['le', c.le(6), 'false'],
      ['eq_null', F.col('nul').eq(F.lit(null)), 'NULL'],
      ['eq_null_safe', F.col('nul').eqNullSafe(F.lit(null)), 'true'],
      ['and', c.gt(1).and(c.lt(9)), 'true'],
      ['or', c.gt(9).or(c.eq(7)), 'true'],
      ['not', c.gt(1).not(), 'false'],
      ['plus', c.plus(1), '8'],
      ['minus', c.minus(F.col('two')), '5'],
      ['multiply', c.multiply(2), '14'],
      ['divide', c.divide(2), '3.5'],
      ['mod', c.mod(4), '3'],
      ['is_null', F.col('nul').isNull(), 'true'],
      ['is_not_null', F.col('nul').isNotNull(), 'false'],
      ['cast', F.col('n').cast('INTEGER'), '-2'],
    ]);
  });
});

void test('Column membership and pattern operators', async () => {
  const c = F.col('i');
  const s = F.trim('s');
  await withSession(async (session) => {
    await texts(session.sql(ROW), [
      ['isin_list', c.isin([1, 7]), 'true'],
      ['isin_args', c.isin(1, 2), 'false'],
      ['isin_empty', c.isin([]), 'false'],
      ['between', c.between(7, 9), 'true'],
      ['between_columns', c.between(F.col('two'), 6), 'false'],
      ['like', s.like('Hello%'), 'true'],
      ['ilike', s.ilike('hello%'), 'true'],
      ['rlike', s.rlike('W.rld$'), 'true'],
      ['startswith', s.startswith('Hell'), 'true'],
      ['endswith', s.endswith('World'), 'true'],
      ['contains', s.contains('lo W'), 'true'],
    ]);
  });
});

void test('currentDate and currentTimestamp are not shadowed by columns of the same name', async () => {
  await withSession(async (session) => {
    const df = session.sql(
      "SELECT DATE '2000-01-01' AS current_date, TIMESTAMPTZ '2000-01-01 00:00:00+00' AS current_timestamp",
    );
    const [row] = await df
      .select(F.currentDate().alias('today'), F.currentTimestamp().alias('now'))
      .collect();
    assert.notEqual(String(row?.today), '2000-01-01');
    assert.ok(row?.now !== undefined && !String(row.now).startsWith('2000-01-01'));
  });
});

void test('alias and as name an output column; asc and desc set the sort order', async () => {
  await withSession(async (session) => {
    const df = session.sql('SELECT * FROM (VALUES (2, NULL), (1, 5), (3, 4)) t(a, b)');
    assert.deepEqual(await df.select(F.col('a').alias('x'), F.col('b').as('y')).columns(), [
      'x',
      'y',
    ]);
    const byB = await df.orderBy(F.col('b').desc()).collect();
    assert.deepEqual(
      byB.map((r) => r.a),
      [1, 3, 2],
    );
    const byA = await df.orderBy(F.col('a').asc()).collect();
    assert.deepEqual(
      byA.map((r) => r.a),
      [1, 2, 3],
    );
  });
});
