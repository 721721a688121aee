// Converts a fully read DuckDB result into an Apache Arrow table without losing precision: 64-bit
// integers, decimals and timestamps are written straight into typed arrays as exact bigints, and
// types Arrow cannot hold exactly (INTERVAL, MAP, UUID, ...) become Utf8 columns of DuckDB's text.
import {
  DuckDBTypeId,
  type DuckDBArrayValue,
  type DuckDBBlobValue,
  type DuckDBDateValue,
  type DuckDBDecimalValue,
  type DuckDBListValue,
  type DuckDBResultReader,
  type DuckDBStructValue,
  type DuckDBTimeNSValue,
  type DuckDBTimeValue,
  type DuckDBTimestampMillisecondsValue,
  type DuckDBTimestampNanosecondsValue,
  type DuckDBTimestampSecondsValue,
  type DuckDBTimestampValue,
  type DuckDBType,
  type DuckDBValue,
} from '@duckdb/node-api';
import {
  Binary,
  Bool,
  type Data,
  type DataType,
  DateDay,
  Decimal,
  Field,
  FixedSizeList,
  Float32,
  Float64,
  Int16,
  Int32,
  Int64,
  Int8,
  List,
  Null,
  RecordBatch,
  Schema,
  Struct,
  Table,
  TimeMicrosecond,
  TimeNanosecond,
  Timestamp,
  TimeUnit,
  Uint16,
  Uint32,
  Uint64,
  Uint8,
  Utf8,
  makeData,
} from 'apache-arrow';
import { displayValue } from './values.js';

type Values = readonly DuckDBValue[];
type Present = Exclude<DuckDBValue, null>;
type Props = Parameters<typeof makeData>[0];

/** Largest magnitude (exclusive) a DECIMAL(38, 0) column may declare: 10^38. */
const LIMIT38 = 10n ** 38n;
const encoder = new TextEncoder();

/** Bit-packed mask, least significant bit first, with a bit set wherever `test` holds. */
function bits(values: Values, test: (value: DuckDBValue) => boolean): Uint8Array {
  const out = new Uint8Array((values.length + 7) >> 3);
  values.forEach((value, i) => {
    if (test(value)) {
      out[i >> 3]! |= 1 << (i & 7);
    }
  });
  return out;
}

/** Validity bitmap (bit set = present) and null count; no bitmap when nothing is null. */
function validity(values: Values): { nullBitmap?: Uint8Array; nullCount: number } {
  const nullCount = values.reduce<number>((n, value) => (value === null ? n + 1 : n), 0);
  return nullCount === 0
    ? { nullCount }
    : { nullBitmap: bits(values, (v) => v !== null), nullCount };
}

function make(type: DataType, values: Values, props: object): Data {
  return makeData({ type, length: values.length, ...validity(values), ...props } as Props);
}

/** Fixed-width column of the type's own typed array; null slots stay zero. */
function fixed(type: DataType, values: Values, read: (value: Present) => number | bigint): Data {
  const data: { [index: number]: number | bigint } = new type.ArrayType(values.length);
  values.forEach((value, i) => {
    if (value !== null) {
      data[i] = read(value);
    }
  });
  return make(type, values, { data });
}

const num = (v: Present): number => v as number;
const big = (v: Present): bigint => v as bigint;
const micros = (v: Present): bigint => (v as DuckDBTimestampValue | DuckDBTimeValue).micros;
const nanos = (v: Present): bigint =>
  (v as DuckDBTimestampNanosecondsValue | DuckDBTimeNSValue).nanos;
const millis = (v: Present): bigint => (v as DuckDBTimestampMillisecondsValue).millis;
const seconds = (v: Present): bigint => (v as DuckDBTimestampSecondsValue).seconds;
const days = (v: Present): number => (v as DuckDBDateValue).days;
const unscaled = (v: Present): bigint => (v as DuckDBDecimalValue).value;

/** 128-bit decimal column: each unscaled value as two's complement, low 64 bits first. */
function decimals(type: Decimal, values: Values, read: (value: Present) => bigint): Data {
  const words = new BigUint64Array(values.length * 2);
  values.forEach((value, i) => {
    if (value !== null) {
      const n = read(value);
      words[2 * i] = BigInt.asUintN(64, n);
      words[2 * i + 1] = BigInt.asUintN(64, n >> 64n);
    }
  });
  return make(type, values, { data: new Uint32Array(words.buffer) });
}

/** Variable-width column (Utf8 or Binary) from the bytes of each present value. */
function variable(
  type: Utf8 | Binary,
  values: Values,
  bytes: (value: Present) => Uint8Array,
): Data {
  const parts = values.map((value) => (value === null ? null : bytes(value)));
  const offsets = new Int32Array(values.length + 1);
  let total = 0;
  parts.forEach((part, i) => {
    total += part?.length ?? 0;
    if (total > 0x7fffffff) {
      throw new RangeError('Arrow conversion: column text exceeds 2 GiB');
    }
    offsets[i + 1] = total;
  });
  const data = new Uint8Array(total);
  parts.forEach((part, i) => {
    if (part) {
      data.set(part, offsets[i]);
    }
  });
  return make(type, values, { valueOffsets: offsets, data });
}

/** Utf8 column holding the exact DuckDB text of each value (see `displayValue`). */
function text(values: Values): Data {
  return variable(new Utf8(), values, (value) => encoder.encode(displayValue(value)));
}

/** HUGEINT/UHUGEINT as exact Decimal(38, 0), or text when a value exceeds 38 digits. */
function hugeints(values: Values): Data {
  const fits = values.every((v) => v === null || (big(v) < LIMIT38 && big(v) > -LIMIT38));
  return fits ? decimals(new Decimal(0, 38, 128), values, big) : text(values);
}

function list(itemType: DuckDBType, values: Values): Data {
  const valueOffsets = new Int32Array(values.length + 1);
  const items: DuckDBValue[] = [];
  values.forEach((value, i) => {
    for (const item of value === null ? [] : (value as DuckDBListValue).items) {
      items.push(item);
    }
    valueOffsets[i + 1] = items.length;
  });
  const child = column(itemType, items);
  return make(new List(new Field('item', child.type, true)), values, { valueOffsets, child });
}

function fixedList(itemType: DuckDBType, size: number, values: Values): Data {
  const items: DuckDBValue[] = [];
  for (const value of values) {
    const row =
      value === null ? new Array<null>(size).fill(null) : (value as DuckDBArrayValue).items;
    for (const item of row) {
      items.push(item);
    }
  }
  const child = column(itemType, items);
  return make(new FixedSizeList(size, new Field('item', child.type, true)), values, { child });
}

function struct(names: readonly string[], types: readonly DuckDBType[], values: Values): Data {
  if (new Set(names).size !== names.length) {
    // Unnamed structs (row(1, 2)) repeat '' as a name; their values cannot be split by name.
    return text(values);
  }
  const children = names.map((name, k) =>
    column(
      types[k]!,
      values.map((value) =>
        value === null ? null : ((value as DuckDBStructValue).entries[name] ?? null),
      ),
    ),
  );
  const fields = children.map((child, k) => new Field(names[k]!, child.type, true));
  return make(new Struct(fields), values, { children });
}

/** Arrow data for one DuckDB column (recursively for LIST, ARRAY and STRUCT). */
function column(type: DuckDBType, values: Values): Data {
  switch (type.typeId) {
    case DuckDBTypeId.BOOLEAN:
      return make(new Bool(), values, { data: bits(values, (v) => v === true) });
    case DuckDBTypeId.TINYINT:
      return fixed(new Int8(), values, num);
    case DuckDBTypeId.SMALLINT:
      return fixed(new Int16(), values, num);
    case DuckDBTypeId.INTEGER:
      return fixed(new Int32(), values, num);
    case DuckDBTypeId.BIGINT:
      return fixed(new Int64(), values, big);
    case DuckDBTypeId.UTINYINT:
      return fixed(new Uint8(), values, num);
    case DuckDBTypeId.USMALLINT:
      return fixed(new Uint16(), values, num);
    case DuckDBTypeId.UINTEGER:
      return fixed(new Uint32(), values, num);
    case DuckDBTypeId.UBIGINT:
      return fixed(new Uint64(), values, big);
    case DuckDBTypeId.FLOAT:
      return fixed(new Float32(), values, num);
    case DuckDBTypeId.DOUBLE:
      return fixed(new Float64(), values, num);
    case DuckDBTypeId.HUGEINT:
    case DuckDBTypeId.UHUGEINT:
      return hugeints(values);
    case DuckDBTypeId.DECIMAL:
      return decimals(new Decimal(type.scale, type.width, 128), values, unscaled);
    case DuckDBTypeId.DATE:
      return fixed(new DateDay(), values, days);
    case DuckDBTypeId.TIME:
      return fixed(new TimeMicrosecond(), values, micros);
    case DuckDBTypeId.TIME_NS:
      return fixed(new TimeNanosecond(), values, nanos);
    case DuckDBTypeId.TIMESTAMP:
      return fixed(new Timestamp(TimeUnit.MICROSECOND), values, micros);
    case DuckDBTypeId.TIMESTAMP_TZ:
      return fixed(new Timestamp(TimeUnit.MICROSECOND, 'UTC'), values, micros);
    case DuckDBTypeId.TIMESTAMP_S:
      return fixed(new Timestamp(TimeUnit.SECOND), values, seconds);
    case DuckDBTypeId.TIMESTAMP_MS:
      return fixed(new Timestamp(TimeUnit.MILLISECOND), values, millis);
    case DuckDBTypeId.TIMESTAMP_NS:
      return fixed(new Timestamp(TimeUnit.NANOSECOND), values, nanos);
    case DuckDBTypeId.BLOB:
      return variable(new Binary(), values, (v) => (v as DuckDBBlobValue).bytes);
    case DuckDBTypeId.LIST:
      return list(type.valueType, values);
    case DuckDBTypeId.ARRAY:
      return fixedList(type.valueType, type.length, values);
    case DuckDBTypeId.STRUCT:
      return struct(type.entryNames, type.entryTypes, values);
    case DuckDBTypeId.SQLNULL:
      return makeData({ type: new Null(), length: values.length });
    case DuckDBTypeId.VARCHAR:
    case DuckDBTypeId.ENUM:
    case DuckDBTypeId.UUID:
    case DuckDBTypeId.INTERVAL:
    case DuckDBTypeId.MAP:
    case DuckDBTypeId.UNION:
    case DuckDBTypeId.BIT:
    case DuckDBTypeId.TIME_TZ:
    case DuckDBTypeId.BIGNUM:
    case DuckDBTypeId.GEOMETRY:
    case DuckDBTypeId.VARIANT:
    case DuckDBTypeId.ANY:
    case DuckDBTypeId.STRING_LITERAL:
    case DuckDBTypeId.INTEGER_LITERAL:
      break;
  }
  return text(values);
}

/**
 * Converts a fully read result (`runAndReadAll`) into an Arrow table, losslessly.
 *
 * Mapping: BOOLEAN→Bool; (U)TINYINT..(U)BIGINT→(Ui|I)nt8..64 (64-bit as bigint);
 * HUGEINT/UHUGEINT→Decimal(38, 0), or Utf8 text if any value has more than 38 digits;
 * FLOAT/DOUBLE→Float32/64; DECIMAL(w, s)→Decimal128(precision w, scale s); DATE→DateDay;
 * TIME→TimeMicrosecond; TIME_NS→TimeNanosecond; TIMESTAMP→Timestamp[us];
 * TIMESTAMPTZ→Timestamp[us, 'UTC']; TIMESTAMP_S/_MS/_NS→Timestamp[s/ms/ns]; BLOB→Binary;
 * LIST→List; ARRAY→FixedSizeList; STRUCT→Struct; everything else (VARCHAR, ENUM, JSON, UUID,
 * INTERVAL, MAP, UNION, TIMETZ, ...)→Utf8 of DuckDB's text. Fields carry the DuckDB type in
 * metadata under 'duckdb.type'.
 *
 * Reading back: Arrow JS `get()` on a Decimal returns the UNSCALED integer (a BN; `String(bn)`
 * is '115' for 1.15 at scale 2), and `get()` on 64-bit timestamps returns lossy JS millisecond
 * numbers; read `vector.data[k].values` for the exact bigints.
 */
export function readerToArrow(reader: DuckDBResultReader): Table {
  const names = reader.columnNames();
  const types = reader.columnTypes();
  const columns = reader.getColumns();
  const data = types.map((type, i) => column(type, columns[i] ?? []));
  const fields = data.map(
    (d, i) => new Field(names[i]!, d.type, true, new Map([['duckdb.type', String(types[i])]])),
  );
  const schema = new Schema(fields);
  const batch = makeData({
    type: new Struct(fields),
    length: reader.currentRowCount,
    children: data,
  });
  return new Table(schema, [new RecordBatch(schema, batch)]);
}
