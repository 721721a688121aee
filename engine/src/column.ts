/**
 * `Column`: an immutable SQL expression built from JS calls, as in Spark's column API. Columns
 * compile to DuckDB SQL text; literals are written as escaped SQL literals.
 */
import { quoteIdent, sqlLiteral, type LiteralValue } from './sqlText.js';

/** Anything that can stand where a column is expected: a Column or a literal value. */
export type ColumnLike = Column | LiteralValue;

/** Sort direction and null placement of an ordering column. */
export type SortOrder = 'ASC' | 'DESC';

/** A SQL expression with an optional output name and sort order. */
export class Column {
  constructor(
    /** The SQL text of the expression, without alias. */
    readonly sql: string,
    /** The output name given by `alias`, or the column name for `F.col`. */
    readonly name?: string,
    readonly order?: SortOrder,
    private readonly aliased = false,
  ) {}

  /** The SQL for a select list: the expression with its alias, if any. */
  toSelectSQL(): string {
    return this.aliased && this.name !== undefined
      ? `${this.sql} AS ${quoteIdent(this.name)}`
      : this.sql;
  }

  /** The SQL for an ORDER BY list. */
  toOrderSQL(): string {
    return `${this.sql} ${this.order ?? 'ASC'} NULLS LAST`;
  }

  /** The expression, named. */
  alias(name: string): Column {
    return new Column(this.sql, name, this.order, true);
  }

  /** Same as `alias`. */
  as(name: string): Column {
    return this.alias(name);
  }

  /** Ascending sort order. */
  asc(): Column {
    return new Column(this.sql, this.name, 'ASC');
  }

  /** Descending sort order. */
  desc(): Column {
    return new Column(this.sql, this.name, 'DESC');
  }

  /** A cast to a DuckDB type, for example `'DOUBLE'` or `'DECIMAL(18,2)'`. */
  cast(type: string): Column {
    return new Column(`CAST(${this.sql} AS ${type})`, this.name);
  }

  eq(other: ColumnLike): Column {
    return this.binary('=', other);
  }
  ne(other: ColumnLike): Column {
    return this.binary('<>', other);
  }
  gt(other: ColumnLike): Column {
    return this.binary('>', other);
  }
  ge(other: ColumnLike): Column {
    return this.binary('>=', other);
  }
  lt(other: ColumnLike): Column {
    return this.binary('<', other);
  }
  le(other: ColumnLike): Column {
    return this.binary('<=', other);
  }
  /** NULL-safe equality: true when both sides are NULL. */
  eqNullSafe(other: ColumnLike): Column {
    return this.binary('IS NOT DISTINCT FROM', other);
  }

  and(other: ColumnLike): Column {
    return this.binary('AND', other);
  }
  or(other: ColumnLike): Column {
    return this.binary('OR', other);
  }
  not(): Column {
    return new Column(`(NOT ${this.sql})`);
  }

  plus(other: ColumnLike): Column {
    return this.binary('+', other);
  }
  minus(other: ColumnLike): Column {
    return this.binary('-', other);
  }
  multiply(other: ColumnLike): Column {
    return this.binary('*', other);
  }
  /** Division; integer operands give a DOUBLE, as in Spark. */
  divide(other: ColumnLike): Column {
    return this.binary('/', other);
  }
  mod(other: ColumnLike): Column {
    return this.binary('%', other);
  }

  isNull(): Column {
    return new Column(`(${this.sql} IS NULL)`);
  }
  isNotNull(): Column {
    return new Column(`(${this.sql} IS NOT NULL)`);
  }
  /** Membership in a list of values; `isin([1, 2])` and `isin(1, 2)` are the same. */
  isin(...values: (ColumnLike | readonly ColumnLike[])[]): Column {
    const flat: ColumnLike[] = values.flat();
    if (flat.length === 0) {
      return new Column('FALSE');
    }
    return new Column(`(${this.sql} IN (${flat.map(toSQL).join(', ')}))`);
  }
  /** Inclusive range check. */
  between(low: ColumnLike, high: ColumnLike): Column {
    return new Column(`(${this.sql} BETWEEN ${toSQL(low)} AND ${toSQL(high)})`);
  }
  like(pattern: string): Column {
    return this.binary('LIKE', pattern);
  }
  ilike(pattern: string): Column {
    return this.binary('ILIKE', pattern);
  }
  rlike(pattern: string): Column {
    return new Column(`regexp_matches(${this.sql}, ${sqlLiteral(pattern)})`);
  }
  startswith(prefix: string): Column {
    return new Column(`starts_with(${this.sql}, ${sqlLiteral(prefix)})`);
  }
  endswith(suffix: string): Column {
    return new Column(`ends_with(${this.sql}, ${sqlLiteral(suffix)})`);
  }
  contains(text: string): Column {
    return new Column(`contains(${this.sql}, ${sqlLiteral(text)})`);
  }

  private binary(op: string, other: ColumnLike): Column {
    return new Column(`(${this.sql} ${op} ${toSQL(other)})`);
  }
}

/** The SQL text of a column or literal. */
export function toSQL(value: ColumnLike): string {
  return value instanceof Column ? value.sql : sqlLiteral(value);
}

/**
 * A column reference as Spark reads it: `'*'` is every column, `'l.id'` is column `id` of the
 * relation `l`, and a name in backticks (`` '`a.b`' ``) is taken literally.
 */
export function colRef(name: string): Column {
  if (name === '*') {
    return new Column('*');
  }
  const parts =
    name.startsWith('`') && name.endsWith('`') && name.length > 1
      ? [name.slice(1, -1).replaceAll('``', '`')]
      : name.split('.');
  return new Column(parts.map(quoteIdent).join('.'), parts[parts.length - 1]);
}

/** A column given by name or as a Column. */
export function asColumn(value: string | Column): Column {
  return typeof value === 'string' ? colRef(value) : value;
}
