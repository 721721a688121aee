// Unit tests for jsonValue, jsonReplacer and displayValue: exact texts for DuckDB values.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  DuckDBInstance,
  DuckDBTimestampTZValue,
  type DuckDBConnection,
  type DuckDBValue,
} from '@duckdb/node-api';
import { displayValue, jsonReplacer, jsonValue } from './values.js';

/** Runs one single-row query and returns its values by column name. */
async function row(sql: string, setup?: string): Promise<Record<string, DuckDBValue>> {
  const instance = await DuckDBInstance.create(':memory:');
  const conn: DuckDBConnection = await instance.connect();
  try {
    if (setup) {
      await conn.run(setup);
    }
    const reader = await conn.runAndReadAll(sql);
    const values = reader.getRows()[0]!;
    return Object.fromEntries(reader.columnNames().map((name, i) => [name, values[i]!]));
  } finally {
    conn.closeSync();
    instance.closeSync();
  }
}

const SQL = `SELECT -8682357422280616451::BIGINT AS a, 9007199254740993::HUGEINT AS b,
  12345678901234567890.123::DECIMAL(38,3) AS c, 0.375::DOUBLE AS d, 1.15::DECIMAL(4,2) AS e,
  -4.96::DECIMAL(5,2) AS f, DATE '2024-02-29' AS date, TIMESTAMPTZ '2024-10-01 00:00:00+08' AS tz,
  TIMESTAMP '1970-01-01 00:00:00.000001' AS ts, TIMESTAMP_NS '2024-01-01 00:00:00.123456789' AS ns,
  TIME '12:34:56.789' AS tm, INTERVAL 1 DAY + INTERVAL 2 MONTH AS ival,
  '00000000-0000-0000-0000-000000000001'::UUID AS uuid, '\\x00\\xFF'::BLOB AS blob,
  'NaN'::DOUBLE AS nan, '-infinity'::DOUBLE AS ninf, NULL::INTEGER AS nul, true AS yes,
  'it''s' AS str, 42 AS int, 'infinity'::TIMESTAMPTZ AS tzinf,
  [1::BIGINT, NULL, -8682357422280616451] AS list, ['a', NULL, 'it''s'] AS strs,
  {'x': 1.15::DECIMAL(4,2), 'y': [1, NULL], 'z': 'q'} AS st, MAP {'k': 1, 'j': NULL} AS map,
  [TIMESTAMPTZ '2024-10-01 00:00:00+08'] AS tzlist, union_value(num := 2::BIGINT) AS un`;

void test('jsonValue gives exact JSON-safe values', async () => {
  const v = await row(SQL, `SET TimeZone='Asia/Singapore'`);
  const expected: Record<string, unknown> = {
    a: '-8682357422280616451',
    b: '9007199254740993',
    c: '12345678901234567890.123',
    d: 0.375,
    e: '1.15',
    f: '-4.96',
    date: '2024-02-29',
    tz: '2024-09-30 16:00:00+00',
    ts: '1970-01-01 00:00:00.000001',
    ns: '2024-01-01 00:00:00.123456789',
    tm: '12:34:56.789',
    ival: '2 months 1 day',
    uuid: '00000000-0000-0000-0000-000000000001',
    blob: '\\x00\\xFF',
    nan: 'NaN',
    ninf: '-Infinity',
    nul: null,
    yes: true,
    str: "it's",
    int: 42,
    tzinf: 'infinity',
    list: ['1', null, '-8682357422280616451'],
    strs: ['a', null, "it's"],
    st: { x: '1.15', y: [1, null], z: 'q' },
    map: [
      { key: 'k', value: 1 },
      { key: 'j', value: null },
    ],
    tzlist: ['2024-09-30 16:00:00+00'],
    un: '2',
  };
  for (const [name, want] of Object.entries(expected)) {
    assert.deepEqual(jsonValue(v[name]!), want, name);
  }
  const all = Object.fromEntries(Object.entries(v).map(([k, x]) => [k, jsonValue(x)]));
  assert.deepEqual(JSON.parse(JSON.stringify(all)), expected);
});

void test('jsonValue keeps struct fields named like Object.prototype members as data', async () => {
  const { st } = await row(`SELECT {'constructor': 1, 'toString': 'x'} AS st`);
  const value = jsonValue(st!) as Record<string, unknown>;
  assert.deepEqual(Object.keys(value), ['constructor', 'toString']);
  assert.equal(JSON.stringify(value), '{"constructor":1,"toString":"x"}');
});

void test('jsonReplacer serializes bigints as decimal strings', () => {
  const report = { rows: 9007199254740993n, nested: [{ min: -8682357422280616451n }], n: 1 };
  assert.throws(() => JSON.stringify(report), /BigInt/);
  assert.equal(
    JSON.stringify(report, jsonReplacer),
    '{"rows":"9007199254740993","nested":[{"min":"-8682357422280616451"}],"n":1}',
  );
});

void test('displayValue gives exact, readable text', async () => {
  const v = await row(SQL, `SET TimeZone='Asia/Singapore'`);
  const expected: Record<string, string> = {
    a: '-8682357422280616451',
    b: '9007199254740993',
    c: '12345678901234567890.123',
    d: '0.375',
    e: '1.15',
    f: '-4.96',
    date: '2024-02-29',
    tz: '2024-09-30 16:00:00+00',
    ts: '1970-01-01 00:00:00.000001',
    ns: '2024-01-01 00:00:00.123456789',
    ival: '2 months 1 day',
    blob: '\\x00\\xFF',
    nan: 'NaN',
    nul: 'NULL',
    yes: 'true',
    str: "it's",
    list: '[1, NULL, -8682357422280616451]',
    strs: "['a', NULL, 'it''s']",
    st: "{'x': 1.15, 'y': [1, NULL], 'z': 'q'}",
    map: "{'k': 1, 'j': NULL}",
    tzlist: '[2024-09-30 16:00:00+00]',
    un: '2',
  };
  for (const [name, want] of Object.entries(expected)) {
    assert.equal(displayValue(v[name]!), want, name);
  }
});

void test('TIMESTAMPTZ text does not depend on the process time zone', async () => {
  const { tz } = await row(`SELECT TIMESTAMPTZ '2024-10-01 00:00:00+08' AS tz`);
  const saved = DuckDBTimestampTZValue.timezoneOffsetInMinutes;
  DuckDBTimestampTZValue.timezoneOffsetInMinutes = 480;
  try {
    assert.equal(String(tz), '2024-10-01 00:00:00+08');
    assert.equal(displayValue(tz!), '2024-09-30 16:00:00+00');
    assert.equal(jsonValue(tz!), '2024-09-30 16:00:00+00');
  } finally {
    DuckDBTimestampTZValue.timezoneOffsetInMinutes = saved;
  }
});
