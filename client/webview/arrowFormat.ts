/**
 * Exact text for Arrow values in the data viewer: 64-bit integers, 128-bit decimals and
 * microsecond or nanosecond timestamps are formatted from their raw integers, never through a
 * floating-point number.
 */
import { DataType, type Field, type Table, type Vector } from 'apache-arrow';

/** The cell text of row `row` of column `index`; `NULL` for nulls. */
export function cellText(table: Table, index: number, row: number): string {
  const vector = table.getChildAt(index);
  const field = table.schema.fields[index];
  if (!vector || !field || !vector.isValid(row)) {
    return 'NULL';
  }
  return format(field, vector, row);
}

function format(field: Field, vector: Vector, row: number): string {
  const type = field.type;
  if (DataType.isDecimal(type)) {
    return decimalText(vector, row, type.scale);
  }
  if (DataType.isTimestamp(type)) {
    return timestampText(
      rawBigInt(vector, row),
      type.unit,
      type.timezone !== null && type.timezone !== undefined,
    );
  }
  if (DataType.isDate(type)) {
    const days = vector.data[0]?.values[row] as number;
    return new Date(days * 86_400_000).toISOString().slice(0, 10);
  }
  const value: unknown = vector.get(row);
  if (typeof value === 'bigint') {
    return value.toString();
  }
  if (typeof value === 'object' && value !== null) {
    return JSON.stringify(value, (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v));
  }
  return String(value);
}

function chunkOf(
  vector: Vector,
  row: number,
): { values: ArrayLike<number | bigint>; index: number } {
  let index = row;
  for (const data of vector.data) {
    if (index < data.length) {
      return { values: data.values as ArrayLike<number | bigint>, index: index + data.offset };
    }
    index -= data.length;
  }
  throw new RangeError(`row ${row} is outside the column`);
}

function rawBigInt(vector: Vector, row: number): bigint {
  const { values, index } = chunkOf(vector, row);
  return BigInt(values[index]!);
}

function decimalText(vector: Vector, row: number, scale: number): string {
  const { values, index } = chunkOf(vector, row);
  const words = values as Uint32Array;
  let unscaled = 0n;
  for (let k = 3; k >= 0; k--) {
    unscaled = (unscaled << 32n) | BigInt(words[index * 4 + k]!);
  }
  if (unscaled >= 1n << 127n) {
    unscaled -= 1n << 128n;
  }
  const negative = unscaled < 0n;
  const digits = (negative ? -unscaled : unscaled).toString().padStart(scale + 1, '0');
  const text = scale > 0 ? `${digits.slice(0, -scale)}.${digits.slice(-scale)}` : digits;
  return negative ? `-${text}` : text;
}

const PER_SECOND = [1n, 1_000n, 1_000_000n, 1_000_000_000n];

function timestampText(raw: bigint, unit: number, zoned: boolean): string {
  const perSecond = PER_SECOND[unit] ?? 1_000_000n;
  let seconds = raw / perSecond;
  let fraction = raw % perSecond;
  if (fraction < 0n) {
    fraction += perSecond;
    seconds -= 1n;
  }
  const base = new Date(Number(seconds) * 1000).toISOString().slice(0, 19).replace('T', ' ');
  const width = perSecond.toString().length - 1;
  const frac =
    fraction === 0n ? '' : `.${fraction.toString().padStart(width, '0').replace(/0+$/, '')}`;
  return `${base}${frac}${zoned ? '+00' : ''}`;
}
