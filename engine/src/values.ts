// Exact renderings of raw DuckDB values: a JSON-safe form for reports, a JSON.stringify replacer
// for bigints, and display text for text tables (also used for Arrow's text fallback columns).
import {
  DuckDBArrayValue,
  DuckDBListValue,
  DuckDBMapValue,
  DuckDBStructValue,
  DuckDBTimestampTZValue,
  DuckDBTimestampValue,
  DuckDBUnionValue,
  DuckDBVariantValue,
  type DuckDBValue,
} from '@duckdb/node-api';

/**
 * TIMESTAMPTZ as UTC text ('2024-09-30 16:00:00+00'). The library's own `toString()` uses the
 * offset of the process's local zone at load time, which would make output machine-dependent.
 */
function utcText(value: DuckDBTimestampTZValue): string {
  const text = new DuckDBTimestampValue(value.micros).toString();
  return value.isFinite ? `${text}+00` : text;
}

/** SQL string literal quoting, as DuckDB prints strings nested inside lists/structs/maps. */
function quoted(text: string): string {
  return `'${text.replaceAll("'", "''")}'`;
}

/** Exact JSON-safe form: bigints, decimals, temporals as text; nested values as arrays/objects. */
export function jsonValue(value: DuckDBValue): unknown {
  if (value === null || typeof value === 'boolean' || typeof value === 'string') {
    return value;
  }
  if (typeof value === 'number') {
    return Number.isFinite(value) ? value : String(value);
  }
  if (typeof value === 'bigint') {
    return value.toString();
  }
  if (value instanceof DuckDBListValue || value instanceof DuckDBArrayValue) {
    return value.items.map(jsonValue);
  }
  if (value instanceof DuckDBStructValue) {
    // fromEntries defines own properties, so a field named '__proto__' stays a plain field.
    return Object.fromEntries(Object.entries(value.entries).map(([k, v]) => [k, jsonValue(v)]));
  }
  if (value instanceof DuckDBMapValue) {
    return value.entries.map((entry) => ({
      key: jsonValue(entry.key),
      value: jsonValue(entry.value),
    }));
  }
  if (value instanceof DuckDBUnionValue || value instanceof DuckDBVariantValue) {
    return jsonValue(value.value);
  }
  if (value instanceof DuckDBTimestampTZValue) {
    return utcText(value);
  }
  return String(value);
}

/** `JSON.stringify` replacer that writes every bigint as its decimal string instead of throwing. */
export function jsonReplacer(_key: string, value: unknown): unknown {
  return typeof value === 'bigint' ? value.toString() : value;
}

function text(value: DuckDBValue, nested: boolean): string {
  if (value === null) {
    return 'NULL';
  }
  if (typeof value === 'string') {
    return nested ? quoted(value) : value;
  }
  if (value instanceof DuckDBListValue || value instanceof DuckDBArrayValue) {
    return `[${value.items.map((item) => text(item, true)).join(', ')}]`;
  }
  if (value instanceof DuckDBStructValue) {
    const parts = Object.entries(value.entries).map(([k, v]) => `${quoted(k)}: ${text(v, true)}`);
    return `{${parts.join(', ')}}`;
  }
  if (value instanceof DuckDBMapValue) {
    const parts = value.entries.map((e) => `${text(e.key, true)}: ${text(e.value, true)}`);
    return `{${parts.join(', ')}}`;
  }
  if (value instanceof DuckDBUnionValue || value instanceof DuckDBVariantValue) {
    return text(value.value, nested);
  }
  if (value instanceof DuckDBTimestampTZValue) {
    return utcText(value);
  }
  return String(value);
}

/** Exact display text: 'NULL', strings as-is, nested values DuckDB-style ([1, 'a'], {'k': v}). */
export function displayValue(value: DuckDBValue): string {
  return text(value, false);
}
