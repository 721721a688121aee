// Unit tests for DataFrame: every operation returns a new lazy frame with the right rows and
// columns, actions read exact values, and no operation changes the frame it was called on.
import { mock, test } from 'node:test';
import assert from 'node:assert/strict';
import { withSession } from '../../test/helpers.js';
import type { DataFrame } from './dataframe.js';
import { isStepwiseError } from './errors.js';
import { F } from './functions.js';
import type { Session } from './session.js';

/** Four people, one without an age and one without a country. */
function people(session: Session): DataFrame {
  return session.createDataFrame(
    [
      [1, 'ann', 'nl', 30],
      [2, 'bob', 'de', null],
      [3, 'cid', 'nl', 25],
      [4, 'dee', null, 41],
    ],
    ['id', 'name', 'country', { name: 'age', type: 'INTEGER' }],
  );
}

/** The values of one column, in row order. */
async function values(frame: DataFrame, column = 'id'): Promise<unknown[]> {
  return (await frame.collect()).map((r) => r[column]);
}

void test('filter and where keep rows where a Column or SQL condition is true', async () => {
  await withSession(async (session) => {
    const df = people(session);
    assert.deepEqual(await values(df.filter(F.col('age').gt(26))), [1, 4]);
    assert.deepEqual(await values(df.where('age > 26')), [1, 4]);
    assert.deepEqual(
      await values(df.filter(F.col('country').eq('nl').and(F.col('age').lt(30)))),
      [3],
    );
    assert.deepEqual(await values(df.filter(F.col('age').isNull())), [2]);
  });
});

void test('select takes names, Columns, aliases and lists; an empty select is refused', async () => {
  await withSession(async (session) => {
    const df = people(session);
    const picked = df.select('name', F.col('age').plus(1).alias('next_age'), ['id']);
    assert.deepEqual(await picked.columns(), ['name', 'next_age', 'id']);
    assert.deepEqual((await picked.collect())[0], { name: 'ann', next_age: 31, id: 1 });
    assert.throws(() => df.select(), /DataFrame\.select\(\) needs at least one column/);
  });
});

void test('withColumn adds at the end or replaces in place; withColumnRenamed and drop', async () => {
  await withSession(async (session) => {
    const df = people(session);
    const added = df.withColumn('adult', F.col('age').ge(18));
    assert.deepEqual(await added.columns(), ['id', 'name', 'country', 'age', 'adult']);
    const replaced = df.withColumn('name', F.upper('name'));
    assert.deepEqual(await replaced.columns(), ['id', 'name', 'country', 'age']);
    assert.deepEqual(await values(replaced, 'name'), ['ANN', 'BOB', 'CID', 'DEE']);
    const renamed = df.withColumnRenamed('country', 'land').withColumnRenamed('nope', 'x');
    assert.deepEqual(await renamed.columns(), ['id', 'name', 'land', 'age']);
    assert.deepEqual(await df.drop('age', 'name', 'nope').columns(), ['id', 'country']);
    await assert.rejects(df.drop('id', 'name', 'country', 'age').collect(), /leaves no columns/);
  });
});

void test('groupBy().agg(), groupBy().count() and agg() over all rows', async () => {
  await withSession(async (session) => {
    const df = people(session);
    const byCountry = df
      .groupBy('country')
      .agg(F.count().alias('n'), F.avg('age').alias('avg_age'), F.max('name').alias('last'))
      .orderBy('country');
    assert.deepEqual(await byCountry.collect(), [
      { country: 'de', n: 1n, avg_age: null, last: 'bob' },
      { country: 'nl', n: 2n, avg_age: 27.5, last: 'cid' },
      { country: null, n: 1n, avg_age: 41, last: 'dee' },
    ]);
    const counted = df
      .groupBy(F.col('country').isNull().alias('unknown'))
      .count()
      .orderBy('unknown');
    assert.deepEqual(await counted.collect(), [
      { unknown: false, count: 3n },
      { unknown: true, count: 1n },
    ]);
    const total = await df
      .agg(F.sum('age').alias('s'), F.countDistinct('country').alias('c'))
      .collect();
    assert.deepEqual(total, [{ s: 96n, c: 2n }]);
  });
});

void test('join on names, on a condition over l and r, and left, anti, semi and cross joins', async () => {
  await withSession(async (session) => {
    const df = people(session);
    const countries = session.createDataFrame(
      [
        ['nl', 'Netherlands'],
        ['fr', 'France'],
      ],
      ['country', 'label'],
    );
    const inner = df.join(countries, 'country').orderBy('id');
    assert.deepEqual(await inner.columns(), ['id', 'name', 'country', 'age', 'label']);
    assert.deepEqual(await values(inner), [1, 3]);
    assert.deepEqual(await values(df.join(countries, ['country'], 'left').orderBy('id'), 'label'), [
      'Netherlands',
      null,
      'Netherlands',
      null,
    ]);
    assert.deepEqual(await values(df.join(countries, 'country', 'anti').orderBy('id')), [2, 4]);
    assert.deepEqual(await values(df.join(countries, 'country', 'semi').orderBy('id')), [1, 3]);
    assert.equal(await df.join(countries, undefined, 'cross').count(), 8);

    const older = df.join(
      df,
      F.col('l.age')
        .lt(F.col('r.age'))
        .and(F.col('l.country').eq(F.col('r.country'))),
    );
    const rows = await older.collect();
    assert.equal(rows.length, 1);
    assert.deepEqual(Object.values(rows[0] ?? {}), [3, 'cid', 'nl', 25, 1, 'ann', 'nl', 30]);
  });
});

void test('union matches by position, unionByName by name, and differing names are explained', async () => {
  await withSession(async (session) => {
    const a = session.createDataFrame([[1, 'x']], ['id', 'v']);
    const b = session.createDataFrame([['y', 2]], ['v', 'id']);
    const c = session.createDataFrame([[3, 'z']], ['id', 'w']);
    assert.deepEqual(await a.union(a).unionAll(a).count(), 3);
    assert.deepEqual(await a.unionByName(b).collect(), [
      { id: 1, v: 'x' },
      { id: 2, v: 'y' },
    ]);
    await assert.rejects(
      a.unionByName(c).collect(),
      /unionByName: the columns differ \(only left: v; only right: w\)\. Pass \{ allowMissingColumns: true \}/,
    );
    assert.deepEqual(await a.unionByName(c, { allowMissingColumns: true }).collect(), [
      { id: 1, v: 'x', w: null },
      { id: 3, v: null, w: 'z' },
    ]);
  });
});

void test('distinct, dropDuplicates, orderBy with NULLs last, sort, limit and take', async () => {
  await withSession(async (session) => {
    const df = people(session);
    assert.equal(await df.union(df).distinct().count(), 4);
    assert.equal(await df.union(df).dropDuplicates().count(), 4);
    assert.deepEqual(await values(df.dropDuplicates(['country']).orderBy('country'), 'country'), [
      'de',
      'nl',
      null,
    ]);
    assert.deepEqual(await values(df.orderBy('age')), [3, 1, 4, 2]);
    assert.deepEqual(await values(df.orderBy(F.col('age').desc())), [4, 1, 3, 2]);
    assert.deepEqual(
      await values(df.sort(F.col('country').asc(), F.col('id').desc())),
      [2, 3, 1, 4],
    );
    assert.deepEqual(await values(df.orderBy('id').limit(2)), [1, 2]);
    assert.deepEqual(
      (await df.orderBy('id').take(1)).map((r) => r.name),
      ['ann'],
    );
    assert.throws(() => df.limit(-1), /expected a whole number >= 0, got -1/);
  });
});

void test('count, collect, columns and schema read exact values and types', async () => {
  await withSession(async (session) => {
    const df = session.sql(
      "SELECT 9007199254740993::BIGINT AS big, 1.10::DECIMAL(5,2) AS price, DATE '2024-02-29' AS day",
    );
    assert.equal(await df.count(), 1);
    const [row] = await df.collect();
    assert.equal(row?.big, 9007199254740993n);
    assert.equal(String(row?.price), '1.10');
    assert.equal(String(row?.day), '2024-02-29');
    assert.deepEqual(await df.columns(), ['big', 'price', 'day']);
    assert.deepEqual(await df.schema(), [
      { name: 'big', type: 'BIGINT' },
      { name: 'price', type: 'DECIMAL(5,2)' },
      { name: 'day', type: 'DATE' },
    ]);
  });
});

void test('showString and show print a text table with NULL and a note on hidden rows', async () => {
  await withSession(async (session) => {
    const df = people(session).orderBy('id');
    const expected = [
      '+----+------+---------+------+',
      '| id | name | country | age  |',
      '+----+------+---------+------+',
      '|  1 | ann  | nl      |   30 |',
      '|  2 | bob  | de      | NULL |',
      '+----+------+---------+------+',
      'only showing top 2 rows',
    ].join('\n');
    assert.equal(await df.showString(2), expected);
    assert.equal((await df.showString()).split('\n').length, 8);

    const written: string[] = [];
    const write = mock.method(
      process.stdout,
      'write',
      (chunk: unknown) => written.push(String(chunk)) > 0,
    );
    try {
      await df.show(2);
    } finally {
      write.mock.restore();
    }
    assert.equal(written.join(''), `${expected}\n`);
  });
});

void test('toArrow gives an Arrow table and toSQL the query text with placeholders', async () => {
  await withSession(async (session) => {
    const df = people(session).filter(F.col('age').gt(26)).orderBy('id');
    const table = await df.toArrow();
    assert.equal(table.numRows, 2);
    assert.deepEqual(
      table.schema.fields.map((f) => f.name),
      ['id', 'name', 'country', 'age'],
    );
    assert.deepEqual(table.getChild('name')?.toArray(), ['ann', 'dee']);
    const text = await df.toSQL();
    assert.match(
      text,
      /^SELECT \* FROM \(SELECT \* FROM \(.*\) WHERE \("age" > 26\)\) ORDER BY "id" ASC NULLS LAST$/,
    );
    const bound = session.sql('SELECT * FROM range(10) t(i) WHERE i < ?', [3]);
    assert.equal(
      await bound.filter('i > 0').toSQL(),
      'SELECT * FROM (SELECT * FROM range(10) t(i) WHERE i < ?) WHERE (i > 0)',
    );
    assert.equal(await bound.filter('i > 0').count(), 2);
  });
});

void test('no operation changes the DataFrame it is called on', async () => {
  await withSession(async (session) => {
    const df = people(session);
    const sqlBefore = await df.toSQL();
    const rowsBefore = await df.collect();
    const other = session.createDataFrame([[9, 'zed', 'be', 50]], ['id', 'name', 'country', 'age']);
    const derived = [
      df.filter('age > 1'),
      df.select('id'),
      df.withColumn('x', F.lit(1)),
      df.withColumn('age', F.lit(0)),
      df.withColumnRenamed('id', 'key'),
      df.drop('name'),
      df.groupBy('country').count(),
      df.join(other, 'id', 'left'),
      df.union(other),
      df.unionByName(other),
      df.distinct(),
      df.dropDuplicates(['country']),
      df.orderBy(F.col('id').desc()),
      df.limit(1),
    ];
    for (const frame of derived) {
      await frame.collect();
    }
    assert.equal(await df.toSQL(), sqlBefore);
    assert.deepEqual(await df.collect(), rowsBefore);
    assert.deepEqual(await df.columns(), ['id', 'name', 'country', 'age']);
    assert.equal(await df.count(), 4);
  });
});

void test('DataFrames of two sessions cannot be combined', async () => {
  await withSession(async (first) => {
    await withSession(async (second) => {
      const mine = people(first);
      assert.throws(
        () => mine.union(people(second)),
        (e: unknown) => isStepwiseError(e, 'usage') && /two different sessions/.test(e.message),
      );
      assert.equal(await mine.count(), 4);
    });
  });
});
