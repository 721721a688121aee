/** Quoting of identifiers and literals for the SQL the engine generates. */

/** A double-quoted SQL identifier; any name, unicode or with quotes, survives. */
export function quoteIdent(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

/** A single-quoted SQL string literal. */
export function quoteString(text: string): string {
  return `'${text.replaceAll("'", "''")}'`;
}

/** A dotted, quoted name such as `"analytics"."clean_flights"`. */
export function qualified(...parts: string[]): string {
  return parts.map(quoteIdent).join('.');
}

/** A value that can be written into SQL as a literal. */
export type LiteralValue = string | number | bigint | boolean | null | Date;

/** The SQL literal for a JS value; numbers keep their exact text. */
export function sqlLiteral(value: LiteralValue): string {
  if (value === null) {
    return 'NULL';
  }
  if (typeof value === 'string') {
    return quoteString(value);
  }
  if (typeof value === 'boolean') {
    return value ? 'TRUE' : 'FALSE';
  }
  if (typeof value === 'bigint') {
    return value.toString();
  }
  if (value instanceof Date) {
    return `TIMESTAMPTZ ${quoteString(value.toISOString())}`;
  }
  if (!Number.isFinite(value)) {
    return `'${String(value)}'::DOUBLE`;
  }
  return String(value);
}
