// Unit tests for the sql tagged template: DataFrames become subqueries, every other value a bound
// parameter, so hostile strings are data and never SQL.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { withSession } from '../../test/helpers.js';
import { F } from './functions.js';
import { sql, SqlQuery } from './sqlTemplate.js';

void test('an interpolated DataFrame becomes a subquery with its own bound values', async () => {
  await withSession(async (session) => {
    const inner = session
      .sql(sql`SELECT * FROM range(10) t(i) WHERE i > ${2}`)
      .filter(F.col('i').lt(8));
    const outer = sql`SELECT count(*) AS n, min(i) AS lo FROM ${inner} WHERE i <> ${5}`;
    const compiled = await outer.compile();
    assert.equal(
      compiled.text,
      'SELECT count(*) AS n, min(i) AS lo FROM (SELECT * FROM (SELECT * FROM range(10) t(i) WHERE i > ?) WHERE ("i" < 8)) WHERE i <> ?',
    );
    assert.deepEqual(compiled.params, [2, 5]);
    assert.deepEqual(await session.sql(outer).collect(), [{ n: 4n, lo: 3n }]);
  });
});

void test('an interpolated sql query nests as a subquery too', async () => {
  await withSession(async (session) => {
    const evens = sql`SELECT i FROM range(${6}) t(i) WHERE i % 2 = 0`;
    const frame = session.sql(sql`SELECT sum(i) AS s FROM ${evens}`);
    assert.deepEqual(await frame.collect(), [{ s: 6n }]);
  });
});

void test('a hostile string is a bound value: the right rows come back and the table survives', async () => {
  const hostile = "x'; DROP TABLE t; --";
  await withSession(async (session) => {
    await session.run(
      `CREATE TABLE t AS SELECT * FROM (VALUES (1, 'x'), (2, 'x''; DROP TABLE t; --'), (3, 'y')) v(id, name)`,
    );
    const query = sql`SELECT id FROM t WHERE name = ${hostile} OR name = ${'y'} ORDER BY id`;
    const compiled = await query.compile();
    assert.equal(compiled.text, 'SELECT id FROM t WHERE name = ? OR name = ? ORDER BY id');
    assert.equal(compiled.text.includes('DROP'), false);
    assert.deepEqual(await session.sql(query).collect(), [{ id: 2 }, { id: 3 }]);
    assert.deepEqual(await session.sql('SELECT count(*) AS n FROM t').collect(), [{ n: 3n }]);
  });
});

void test('numbers, bigints, booleans, NULL and dates are bound with their values', async () => {
  await withSession(async (session) => {
    const when = new Date('2024-10-01T00:00:00+08:00');
    const frame = session.sql(
      sql`SELECT ${1.5} AS d, ${-8682357422280616451n} AS b, ${true} AS t, ${null} AS n,
        ${when} = TIMESTAMPTZ '2024-09-30 16:00:00+00' AS same_instant`,
    );
    const [row] = await frame.collect();
    assert.deepEqual(row, {
      d: 1.5,
      b: -8682357422280616451n,
      t: true,
      n: null,
      same_instant: true,
    });
  });
});

void test('a template without values is plain text, and sql returns an SqlQuery', async () => {
  const query = sql`SELECT 1`;
  assert.ok(query instanceof SqlQuery);
  assert.deepEqual(await query.compile(), { text: 'SELECT 1', params: [] });
});

void test('an array becomes a list of bound values; undefined is refused with its place', async () => {
  await withSession(async (session) => {
    const codes = ['ATL', "O'HARE"];
    const rows = await session
      .sql(
        sql`SELECT x FROM (VALUES ('ATL'), ('LAX'), ('O''HARE')) t(x) WHERE x = ANY(${codes}) ORDER BY x`,
      )
      .collect();
    assert.deepEqual(
      rows.map((r) => r.x),
      ['ATL', "O'HARE"],
    );
    const missing: number | undefined = undefined;
    await assert.rejects(
      session.sql(sql`SELECT * FROM range(10) t(i) WHERE i > ${missing}`).count(),
      /value 1 \(after "SELECT \* FROM range\(10\) t\(i\) WHERE i >"\) is undefined.*default/,
    );
  });
});
