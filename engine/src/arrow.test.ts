// Unit tests for readerToArrow: exact round trips of DuckDB values into Arrow data and through IPC.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import {
  type Data,
  type Table,
  Type,
  TimeUnit,
  type Decimal,
  type Timestamp,
  tableFromIPC,
  tableToIPC,
} from 'apache-arrow';
import { readerToArrow } from './arrow.js';

async function withDb(fn: (conn: DuckDBConnection) => Promise<void>): Promise<void> {
  const instance = await DuckDBInstance.create(':memory:');
  const conn = await instance.connect();
  try {
    await fn(conn);
  } finally {
    conn.closeSync();
    instance.closeSync();
  }
}

async function arrow(conn: DuckDBConnection, sql: string): Promise<Table> {
  return readerToArrow(await conn.runAndReadAll(sql));
}

function data(table: Table, name: string): Data {
  const column = table.getChild(name);
  assert.ok(column, `column ${name}`);
  assert.equal(column.data.length, 1);
  return column.data[0]!;
}

/** Raw fixed-width value (exact bigint for 64-bit types), read from the buffer, not via get(). */
function raw(table: Table, name: string, row = 0): unknown {
  return (data(table, name).values as ArrayLike<unknown>)[row];
}

/** Unscaled decimal decoded independently from the four little-endian 32-bit words. */
function unscaled(table: Table, name: string, row = 0): bigint {
  const words = data(table, name).values as Uint32Array;
  let n = 0n;
  for (let k = 3; k >= 0; k--) {
    n = (n << 32n) | BigInt(words[row * 4 + k]!);
  }
  return BigInt.asIntN(128, n);
}

function decimalType(table: Table, name: string): Decimal {
  const type = data(table, name).type;
  assert.equal(type.typeId, Type.Decimal, `${name} is ${Type[type.typeId]}`);
  return type as Decimal;
}

const MAIN = `SELECT -8682357422280616451::BIGINT AS a, 9007199254740993::HUGEINT AS b,
  12345678901234567890.123::DECIMAL(38,3) AS c, 0.375::DOUBLE AS d, 1.15::DECIMAL(4,2) AS e`;

void test('BIGINT, HUGEINT, DECIMAL and DOUBLE convert exactly', async () => {
  await withDb(async (conn) => {
    const t = await arrow(conn, MAIN);
    assert.equal(t.numRows, 1);
    assert.equal(data(t, 'a').type.typeId, Type.Int);
    assert.equal(raw(t, 'a'), -8682357422280616451n);
    assert.equal(t.getChild('a')?.get(0), -8682357422280616451n);

    const b = decimalType(t, 'b');
    assert.deepEqual([b.precision, b.scale, b.bitWidth], [38, 0, 128]);
    assert.equal(unscaled(t, 'b'), 9007199254740993n);
    assert.equal(String(t.getChild('b')?.get(0)), '9007199254740993');

    const c = decimalType(t, 'c');
    assert.deepEqual([c.precision, c.scale, c.bitWidth], [38, 3, 128]);
    assert.equal(unscaled(t, 'c'), 12345678901234567890123n);
    assert.equal(String(t.getChild('c')?.get(0)), '12345678901234567890123');

    assert.equal(data(t, 'd').type.typeId, Type.Float);
    assert.equal(t.getChild('d')?.get(0), 0.375);

    const e = decimalType(t, 'e');
    assert.deepEqual([e.precision, e.scale], [4, 2]);
    assert.equal(unscaled(t, 'e'), 115n);
    assert.equal(String(t.getChild('e')?.get(0)), '115');
  });
});

void test('negative and extreme decimals and hugeints', async () => {
  await withDb(async (conn) => {
    const t = await arrow(
      conn,
      `SELECT -4.96::DECIMAL(5,2) AS f, -12345678901234567890.123::DECIMAL(38,3) AS g,
        -99999999999999999999999999999999999999::HUGEINT AS h,
        '-170141183460469231731687303715884105728'::HUGEINT AS hmin,
        340282366920938463463374607431768211455::UHUGEINT AS umax, 42::UHUGEINT AS usmall,
        18446744073709551615::UBIGINT AS ubig, 0.1::FLOAT AS fl, 'NaN'::DOUBLE AS nan`,
    );
    assert.equal(unscaled(t, 'f'), -496n);
    assert.equal(String(t.getChild('f')?.get(0)), '-496');
    assert.equal(unscaled(t, 'g'), -12345678901234567890123n);
    assert.equal(unscaled(t, 'h'), -99999999999999999999999999999999999999n);
    assert.equal(unscaled(t, 'usmall'), 42n);
    // More than 38 digits does not fit Decimal(38, 0): the column falls back to exact text.
    assert.equal(data(t, 'hmin').type.typeId, Type.Utf8);
    assert.equal(t.getChild('hmin')?.get(0), '-170141183460469231731687303715884105728');
    assert.equal(data(t, 'umax').type.typeId, Type.Utf8);
    assert.equal(t.getChild('umax')?.get(0), '340282366920938463463374607431768211455');
    assert.equal(raw(t, 'ubig'), 18446744073709551615n);
    assert.equal(t.getChild('fl')?.get(0), Math.fround(0.1));
    assert.ok(Number.isNaN(t.getChild('nan')?.get(0)));
  });
});

void test('temporal values keep exact units and zones', async () => {
  await withDb(async (conn) => {
    await conn.run(`SET TimeZone='Asia/Singapore'`);
    const t = await arrow(
      conn,
      `SELECT TIMESTAMPTZ '2024-10-01 00:00:00+08' AS tz,
        TIMESTAMP '1970-01-01 00:00:00.000001' AS ts, DATE '2024-02-29' AS d,
        TIMESTAMP_NS '2024-01-01 00:00:00.123456789' AS ns,
        TIMESTAMP_MS '2024-01-01 00:00:00.123' AS ms,
        TIMESTAMP_S '2024-01-01 00:00:01' AS s, TIME '12:34:56.789012' AS tm,
        TIMESTAMP '1969-12-31 23:59:59.999999' AS before_epoch`,
    );
    const tz = data(t, 'tz').type as Timestamp;
    assert.equal(tz.typeId, Type.Timestamp);
    assert.equal(tz.unit, TimeUnit.MICROSECOND);
    assert.equal(tz.timezone, 'UTC');
    assert.equal(raw(t, 'tz'), BigInt(Date.UTC(2024, 8, 30, 16)) * 1000n);

    const ts = data(t, 'ts').type as Timestamp;
    assert.equal(ts.unit, TimeUnit.MICROSECOND);
    assert.equal(ts.timezone ?? null, null);
    assert.equal(raw(t, 'ts'), 1n);
    assert.equal(raw(t, 'before_epoch'), -1n);

    assert.equal(data(t, 'd').type.typeId, Type.Date);
    assert.equal(raw(t, 'd'), Date.UTC(2024, 1, 29) / 86_400_000);
    assert.equal(t.getChild('d')?.get(0), Date.UTC(2024, 1, 29));

    assert.equal((data(t, 'ns').type as Timestamp).unit, TimeUnit.NANOSECOND);
    assert.equal(raw(t, 'ns'), 1704067200123456789n);
    assert.equal((data(t, 'ms').type as Timestamp).unit, TimeUnit.MILLISECOND);
    assert.equal(raw(t, 'ms'), 1704067200123n);
    assert.equal((data(t, 's').type as Timestamp).unit, TimeUnit.SECOND);
    assert.equal(raw(t, 's'), 1704067201n);
    assert.equal(data(t, 'tm').type.typeId, Type.Time);
    assert.equal(raw(t, 'tm'), 45296789012n);
  });
});

/** One expression per DuckDB type, with the Arrow type it must map to. */
const TYPES: [name: string, expr: string, arrow: string, cast?: string][] = [
  ['bool', 'true', 'Bool'],
  ['i8', '-7::TINYINT', 'Int8'],
  ['i16', '-300::SMALLINT', 'Int16'],
  ['i32', '-70000::INTEGER', 'Int32'],
  ['i64', '-8682357422280616451::BIGINT', 'Int64'],
  ['u8', '200::UTINYINT', 'Uint8'],
  ['u16', '60000::USMALLINT', 'Uint16'],
  ['u32', '4000000000::UINTEGER', 'Uint32'],
  ['u64', '18446744073709551615::UBIGINT', 'Uint64'],
  ['hi', '9007199254740993::HUGEINT', 'Decimal[38e0]'],
  ['uhi', '9007199254740993::UHUGEINT', 'Decimal[38e0]'],
  ['f32', '1.5::FLOAT', 'Float32'],
  ['f64', '0.375::DOUBLE', 'Float64'],
  ['dec', '-4.96::DECIMAL(5,2)', 'Decimal[5e+2]'],
  ['date', `DATE '2024-02-29'`, 'Date32<DAY>'],
  ['time', `TIME '12:34:56'`, 'Time64<MICROSECOND>'],
  ['ts', `TIMESTAMP '2024-01-01 00:00:00.000001'`, 'Timestamp<MICROSECOND>'],
  ['tstz', `TIMESTAMPTZ '2024-10-01 00:00:00+08'`, 'Timestamp<MICROSECOND, UTC>'],
  ['tsns', `TIMESTAMP_NS '2024-01-01 00:00:00.123456789'`, 'Timestamp<NANOSECOND>'],
  ['tsms', `TIMESTAMP_MS '2024-01-01 00:00:00.123'`, 'Timestamp<MILLISECOND>'],
  ['tss', `TIMESTAMP_S '2024-01-01 00:00:01'`, 'Timestamp<SECOND>'],
  ['str', `'größe ✓'`, 'Utf8'],
  ['blob', `'\\x00\\xFF'::BLOB`, 'Binary'],
  ['uuid', `'00000000-0000-0000-0000-000000000001'::UUID`, 'Utf8'],
  ['enum', `'b'::ENUM('a', 'b')`, 'Utf8'],
  ['json', `'{"a": 1}'::JSON`, 'Utf8'],
  ['ival', 'INTERVAL 1 DAY', 'Utf8'],
  ['list', '[1::BIGINT, NULL, -8682357422280616451]', 'List<Int64>'],
  ['arr', '[1.5, 2.25]', 'FixedSizeList[2]<Float64>', '::DOUBLE[2]'],
  ['st', `{'b': 1.15::DECIMAL(4,2), '1': 'x'}`, 'Struct<{b:Decimal[4e+2], 1:Utf8}>'],
  ['map', `MAP {'k': 1}`, 'Utf8'],
  ['timetz', `TIMETZ '12:00:00+05'`, 'Utf8'],
];

/** Row 0 holds each TYPES expression, row 1 a NULL of the same type. */
function typesSql(where = ''): string {
  const columns = TYPES.map(
    ([name, expr, , cast]) => `(CASE WHEN i = 0 THEN ${expr} END)${cast ?? ''} AS ${name}`,
  );
  return `SELECT ${columns.join(', ')} FROM range(2) AS r(i) ${where} ORDER BY i`;
}

void test('every type maps to the documented Arrow type and keeps NULLs', async () => {
  await withDb(async (conn) => {
    const t = await arrow(conn, typesSql());
    assert.equal(t.numRows, 2);
    for (const [name, , expected] of TYPES) {
      const column = t.getChild(name);
      assert.ok(column);
      assert.equal(String(column.type), expected, name);
      assert.equal(column.nullCount, 1, name);
      assert.equal(column.isValid(0), true, name);
      assert.equal(column.isValid(1), false, name);
      assert.equal(column.get(1), null, name);
    }
    assert.deepEqual([...(t.getChild('blob')?.get(0) as Uint8Array)], [0, 255]);
    assert.equal(t.getChild('uuid')?.get(0), '00000000-0000-0000-0000-000000000001');
    assert.equal(t.getChild('enum')?.get(0), 'b');
    assert.equal(t.getChild('json')?.get(0), '{"a": 1}');
    assert.equal(t.getChild('ival')?.get(0), '1 day');
    assert.equal(t.getChild('map')?.get(0), `{'k': 1}`);
    assert.equal(t.getChild('timetz')?.get(0), '12:00:00+05');
    assert.equal(t.getChild('str')?.get(0), 'größe ✓');
    const list = t.getChild('list')?.get(0) as Iterable<unknown>;
    assert.deepEqual([...list], [1n, null, -8682357422280616451n]);
    const arr = t.getChild('arr')?.get(0) as Iterable<unknown>;
    assert.deepEqual([...arr], [1.5, 2.25]);
    const st = t.getChild('st')?.get(0) as { toJSON(): Record<string, unknown> };
    assert.equal(String(st.toJSON().b), '115');
    assert.equal(st.toJSON()['1'], 'x');
    assert.equal(t.schema.fields[0]!.metadata.get('duckdb.type'), 'BOOLEAN');
  });
});

void test('IPC stream round trip keeps types, values and NULLs', async () => {
  await withDb(async (conn) => {
    await conn.run(`SET TimeZone='Asia/Singapore'`);
    const before = await arrow(conn, typesSql());
    const after = tableFromIPC(tableToIPC(before, 'stream'));
    assert.equal(after.numRows, 2);
    assert.deepEqual(
      after.schema.fields.map((f) => [f.name, String(f.type), f.metadata.get('duckdb.type')]),
      before.schema.fields.map((f) => [f.name, String(f.type), f.metadata.get('duckdb.type')]),
    );
    for (const [name] of TYPES) {
      const a = before.getChild(name);
      const b = after.getChild(name);
      assert.ok(a && b);
      assert.deepEqual(b.isValid(1), false, name);
      assert.equal(String(b.get(0)), String(a.get(0)), name);
    }
    assert.equal(raw(after, 'i64'), -8682357422280616451n);
    assert.equal(raw(after, 'u64'), 18446744073709551615n);
    assert.equal(unscaled(after, 'hi'), 9007199254740993n);
    assert.equal(unscaled(after, 'dec'), -496n);
    assert.equal(raw(after, 'ts'), 1704067200000001n);
    assert.equal(raw(after, 'tstz'), BigInt(Date.UTC(2024, 8, 30, 16)) * 1000n);
    assert.equal((after.getChild('tstz')?.type as Timestamp).timezone, 'UTC');
    assert.equal(raw(after, 'tsns'), 1704067200123456789n);
  });
});

void test('column names are kept exactly, duplicates included', async () => {
  await withDb(async (conn) => {
    const t = await arrow(
      conn,
      `SELECT 1 AS "größe ✓", 2 AS "a ""quoted"" name", 3 AS "with space", 4 AS x, 5 AS x`,
    );
    assert.deepEqual(
      t.schema.fields.map((f) => f.name),
      ['größe ✓', 'a "quoted" name', 'with space', 'x', 'x'],
    );
    assert.equal(t.getChild('größe ✓')?.get(0), 1);
    assert.equal(t.getChild('a "quoted" name')?.get(0), 2);
    assert.deepEqual([t.getChildAt(3)?.get(0), t.getChildAt(4)?.get(0)], [4, 5]);
    const back = tableFromIPC(tableToIPC(t, 'stream'));
    assert.deepEqual(
      back.schema.fields.map((f) => f.name),
      ['größe ✓', 'a "quoted" name', 'with space', 'x', 'x'],
    );
  });
});

void test('zero rows give a zero-row table with the full schema', async () => {
  await withDb(async (conn) => {
    const t = await arrow(conn, typesSql('WHERE false'));
    assert.equal(t.numRows, 0);
    assert.deepEqual(
      t.schema.fields.map((f) => [f.name, String(f.type)]),
      TYPES.map(([name, , type]) => [name, type]),
    );
    const back = tableFromIPC(tableToIPC(t, 'stream'));
    assert.equal(back.numRows, 0);
    assert.deepEqual(
      back.schema.fields.map((f) => String(f.type)),
      TYPES.map(([, , type]) => type),
    );
  });
});

void test('multi-chunk results keep every value and NULL position', async () => {
  await withDb(async (conn) => {
    const t = await arrow(
      conn,
      `SELECT CASE WHEN i % 3 = 0 THEN NULL ELSE i * 1000000000007 END AS a,
        CASE WHEN i % 4 = 1 THEN NULL ELSE (i / 7)::DECIMAL(10,3) END AS d,
        CASE WHEN i % 5 = 0 THEN NULL ELSE i % 2 = 0 END AS b,
        CASE WHEN i % 2 = 0 THEN NULL ELSE 'v' || i END AS s
       FROM range(5000) AS r(i) ORDER BY i`,
    );
    assert.equal(t.numRows, 5000);
    const [a, d, b, s] = ['a', 'd', 'b', 's'].map((name) => t.getChild(name));
    for (let i = 0; i < 5000; i++) {
      const n = BigInt(i);
      assert.equal(a?.get(i), i % 3 === 0 ? null : n * 1000000000007n, `a ${i}`);
      assert.equal(d?.isValid(i), i % 4 !== 1, `d ${i}`);
      if (i % 4 !== 1) {
        // i / 7 rounded half away from zero to 3 decimals, as DuckDB casts.
        assert.equal(unscaled(t, 'd', i), (n * 2000n + 7n) / 14n, `d ${i}`);
      }
      assert.equal(b?.get(i), i % 5 === 0 ? null : i % 2 === 0, `b ${i}`);
      assert.equal(s?.get(i), i % 2 === 0 ? null : `v${i}`, `s ${i}`);
    }
  });
});

void test('nested NULLs and unnamed structs', async () => {
  await withDb(async (conn) => {
    const t = await arrow(
      conn,
      `SELECT * FROM (VALUES ([[1, NULL], NULL]::INTEGER[][], {'x': NULL::BIGINT}), (NULL, NULL))
       AS v(l, s)`,
    );
    const l = t.getChild('l');
    assert.equal(String(l?.type), 'List<List<Int32>>');
    assert.equal(l?.get(1), null);
    const first = l?.get(0) as { get(i: number): Iterable<unknown> | null; length: number };
    assert.equal(first.length, 2);
    assert.deepEqual([...(first.get(0) ?? [])], [1, null]);
    assert.equal(first.get(1), null);
    const s = t.getChild('s');
    assert.equal(s?.isValid(0), true);
    assert.equal(s?.isValid(1), false);
    assert.equal((s?.get(0) as { toJSON(): { x: unknown } }).toJSON().x, null);

    // node-api keys struct values by name, so row(...) entries (all named '') cannot be split.
    const u = await arrow(conn, `SELECT row(1, 'a') AS r`);
    assert.equal(u.getChild('r')?.type.typeId, Type.Utf8);
  });
});
