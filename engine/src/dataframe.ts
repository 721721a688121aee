/**
 * `DataFrame`: a lazy, immutable query. Every operation returns a new DataFrame whose SQL wraps
 * its parent's; nothing runs until an action (`count`, `collect`, `show`, ...) asks for data.
 */
import type { DuckDBValue } from '@duckdb/node-api';
import type { Table } from 'apache-arrow';
import { readerToArrow } from './arrow.js';
import { asColumn, Column } from './column.js';
import { StepwiseError } from './errors.js';
import type { Session } from './session.js';
import type { CompiledSQL } from './sqlTemplate.js';
import { quoteIdent } from './sqlText.js';
import { formatTable } from './textTable.js';

/** One row, by column name, with exact values (bigint, DuckDB decimal and time values). */
export type Row = Record<string, DuckDBValue>;

/** A column's name and DuckDB type. */
export interface Field {
  name: string;
  type: string;
}

/** How two DataFrames are joined. */
export type JoinType = 'inner' | 'left' | 'right' | 'full' | 'outer' | 'semi' | 'anti' | 'cross';

type ColumnArg = string | Column;

/** A lazy, immutable query over a session. */
export class DataFrame {
  private compiled: Promise<CompiledSQL> | undefined;
  private fields: Promise<Field[]> | undefined;

  constructor(
    readonly session: Session,
    private readonly build: () => Promise<CompiledSQL>,
    /** Set when the DataFrame is a materialized table whose row count is known. */
    readonly knownRowCount?: number,
  ) {}

  /** The SQL text and bound values of this query; built once. */
  compile(): Promise<CompiledSQL> {
    this.compiled ??= this.build();
    return this.compiled;
  }

  /** The SQL text of this query, with `?` where values are bound. */
  async toSQL(): Promise<string> {
    return (await this.compile()).text;
  }

  /** Rows where the condition is true. */
  filter(condition: Column | string): DataFrame {
    const cond = typeof condition === 'string' ? `(${condition})` : condition.sql;
    return this.wrap((from) => `SELECT * FROM ${from} WHERE ${cond}`);
  }

  /** Same as `filter`. */
  where(condition: Column | string): DataFrame {
    return this.filter(condition);
  }

  /** Some columns or expressions. */
  select(...columns: (ColumnArg | ColumnArg[])[]): DataFrame {
    const list = columns.flat().map((c) => asColumn(c).toSelectSQL());
    if (list.length === 0) {
      throw new StepwiseError('usage', 'DataFrame.select() needs at least one column.');
    }
    return this.wrap((from) => `SELECT ${list.join(', ')} FROM ${from}`);
  }

  /** A new or replaced column; a replaced column keeps its position. */
  withColumn(name: string, value: Column): DataFrame {
    return this.wrapAsync(async (from) => {
      const names = await this.columns();
      const expr = `${value.sql} AS ${quoteIdent(name)}`;
      const list = names.includes(name)
        ? names.map((n) => (n === name ? expr : quoteIdent(n)))
        : [...names.map(quoteIdent), expr];
      return `SELECT ${list.join(', ')} FROM ${from}`;
    });
  }

  /** The same rows with one column renamed; unknown names are ignored, as in Spark. */
  withColumnRenamed(existing: string, renamed: string): DataFrame {
    return this.wrapAsync(async (from) => {
      const names = await this.columns();
      const list = names.map((n) =>
        n === existing ? `${quoteIdent(n)} AS ${quoteIdent(renamed)}` : quoteIdent(n),
      );
      return `SELECT ${list.join(', ')} FROM ${from}`;
    });
  }

  /** The same rows without some columns; unknown names are ignored, as in Spark. */
  drop(...columns: string[]): DataFrame {
    return this.wrapAsync(async (from) => {
      const kept = (await this.columns()).filter((n) => !columns.includes(n));
      if (kept.length === 0) {
        throw new StepwiseError(
          'usage',
          `DataFrame.drop(): dropping ${columns.join(', ')} leaves no columns.`,
        );
      }
      return `SELECT ${kept.map(quoteIdent).join(', ')} FROM ${from}`;
    });
  }

  /** Groups rows for `agg`. */
  groupBy(...columns: (ColumnArg | ColumnArg[])[]): GroupedData {
    return new GroupedData(this, columns.flat().map(asColumn));
  }

  /** Aggregates over all rows. */
  agg(...aggregates: Column[]): DataFrame {
    return new GroupedData(this, []).agg(...aggregates);
  }

  /**
   * Joins another DataFrame. `on` is a column name or list of names present on both sides (they
   * appear once in the result), or a condition over `l` and `r` (`F.col('l.id').eq(F.col('r.id'))`).
   */
  join(other: DataFrame, on?: string | string[] | Column, how: JoinType = 'inner'): DataFrame {
    const kind = joinKeyword(how);
    return this.combine(other, (left, right) => {
      if (how === 'cross' || on === undefined) {
        return `SELECT * FROM ${left} AS l CROSS JOIN ${right} AS r`;
      }
      if (on instanceof Column) {
        return `SELECT * FROM ${left} AS l ${kind} JOIN ${right} AS r ON ${on.sql}`;
      }
      const keys = (Array.isArray(on) ? on : [on]).map(quoteIdent).join(', ');
      return `SELECT * FROM ${left} AS l ${kind} JOIN ${right} AS r USING (${keys})`;
    });
  }

  /** Rows of both, matched by position. */
  union(other: DataFrame): DataFrame {
    return this.combine(other, (a, b) => `SELECT * FROM ${a} UNION ALL SELECT * FROM ${b}`);
  }

  /** Same as `union`. */
  unionAll(other: DataFrame): DataFrame {
    return this.union(other);
  }

  /** Rows of both, matched by column name; missing columns are NULL when allowed. */
  unionByName(other: DataFrame, options: { allowMissingColumns?: boolean } = {}): DataFrame {
    return this.combine(other, async (a, b) => {
      if (!options.allowMissingColumns) {
        const [mine, theirs] = await Promise.all([this.columns(), other.columns()]);
        const missing = mine.filter((c) => !theirs.includes(c));
        const extra = theirs.filter((c) => !mine.includes(c));
        if (missing.length > 0 || extra.length > 0) {
          throw new StepwiseError(
            'usage',
            `unionByName: the columns differ (only left: ${missing.join(', ') || 'none'}; only ` +
              `right: ${extra.join(', ') || 'none'}). Pass { allowMissingColumns: true } to fill ` +
              `them with NULL.`,
          );
        }
      }
      return `SELECT * FROM ${a} UNION ALL BY NAME SELECT * FROM ${b}`;
    });
  }

  /** Distinct rows. */
  distinct(): DataFrame {
    return this.wrap((from) => `SELECT DISTINCT * FROM ${from}`);
  }

  /** One row per distinct value of the given columns (of all columns when none are given). */
  dropDuplicates(columns: string[] = []): DataFrame {
    if (columns.length === 0) {
      return this.distinct();
    }
    const keys = columns.map(quoteIdent).join(', ');
    return this.wrap((from) => `SELECT DISTINCT ON (${keys}) * FROM ${from} ORDER BY ${keys}`);
  }

  /** Rows sorted; use `F.col(x).desc()` for descending order. NULLs sort last. */
  orderBy(...columns: (ColumnArg | ColumnArg[])[]): DataFrame {
    const list = columns.flat().map((c) => asColumn(c).toOrderSQL());
    return this.wrap((from) => `SELECT * FROM ${from} ORDER BY ${list.join(', ')}`);
  }

  /** Same as `orderBy`. */
  sort(...columns: (ColumnArg | ColumnArg[])[]): DataFrame {
    return this.orderBy(...columns);
  }

  /** At most `n` rows. */
  limit(n: number): DataFrame {
    if (!Number.isInteger(n) || n < 0) {
      throw new StepwiseError(
        'usage',
        `DataFrame.limit(): expected a whole number >= 0, got ${n}.`,
      );
    }
    return this.wrap((from) => `SELECT * FROM ${from} LIMIT ${n}`);
  }

  /** The number of rows. */
  async count(): Promise<number> {
    if (this.knownRowCount !== undefined) {
      return this.knownRowCount;
    }
    const { text, params } = await this.compile();
    const reader = await this.session.query(`SELECT count(*) FROM (${text})`, params);
    return Number(reader.getRows()[0]![0]);
  }

  /** All rows, with exact values. Use `limit` first on big data. */
  async collect(): Promise<Row[]> {
    const { text, params } = await this.compile();
    const reader = await this.session.query(text, params);
    const names = reader.deduplicatedColumnNames();
    return reader.getRows().map((row) => Object.fromEntries(names.map((n, i) => [n, row[i]!])));
  }

  /** The first `n` rows. */
  async take(n: number): Promise<Row[]> {
    return this.limit(n).collect();
  }

  /** Column names in order. */
  async columns(): Promise<string[]> {
    return (await this.schema()).map((f) => f.name);
  }

  /** Column names and DuckDB types, read without running the query. */
  schema(): Promise<Field[]> {
    this.fields ??= this.compile().then(async ({ text, params }) => {
      const reader = await this.session.query(`DESCRIBE ${text}`, params);
      return reader.getRows().map((r) => ({ name: String(r[0]), type: String(r[1]) }));
    });
    return this.fields;
  }

  /** The first `n` rows as a text table; values are shown exactly as DuckDB prints them. */
  async showString(n = 20): Promise<string> {
    const { text, params } = await this.compile();
    const reader = await this.session.query(
      `SELECT CAST(COLUMNS(*) AS VARCHAR) FROM (${text}) LIMIT ${n + 1}`,
      params,
    );
    const rows = reader.getRows().map((r) => r.map((v) => (v === null ? 'NULL' : String(v))));
    const more = rows.length > n;
    const table = formatTable(reader.columnNames(), rows.slice(0, n));
    return more ? `${table}\nonly showing top ${n} rows` : table;
  }

  /** Prints the first `n` rows. */
  async show(n = 20): Promise<void> {
    process.stdout.write(`${await this.showString(n)}\n`);
  }

  /** The rows as an Arrow table, with exact types (Int64, Decimal128, Timestamp µs with zone). */
  async toArrow(): Promise<Table> {
    const { text, params } = await this.compile();
    return readerToArrow(await this.session.query(text, params));
  }

  /** A column of this DataFrame by name. */
  col(name: string): Column {
    return new Column(quoteIdent(name), name);
  }

  private wrap(make: (from: string) => string): DataFrame {
    return this.wrapAsync((from) => Promise.resolve(make(from)));
  }

  private wrapAsync(make: (from: string) => Promise<string>): DataFrame {
    return new DataFrame(this.session, async () => {
      const inner = await this.compile();
      return { text: await make(`(${inner.text})`), params: inner.params };
    });
  }

  private combine(
    other: DataFrame,
    make: (left: string, right: string) => string | Promise<string>,
  ): DataFrame {
    if (other.session !== this.session) {
      throw new StepwiseError('usage', 'Cannot combine DataFrames from two different sessions.');
    }
    return new DataFrame(this.session, async () => {
      const [a, b] = await Promise.all([this.compile(), other.compile()]);
      return { text: await make(`(${a.text})`, `(${b.text})`), params: [...a.params, ...b.params] };
    });
  }
}

/** Rows grouped by some columns, waiting for aggregates. */
export class GroupedData {
  constructor(
    private readonly frame: DataFrame,
    private readonly keys: Column[],
  ) {}

  /** One row per group with the given aggregates. */
  agg(...aggregates: (Column | Column[])[]): DataFrame {
    const aggs = aggregates.flat();
    const select = [...this.keys.map((k) => k.toSelectSQL()), ...aggs.map((a) => a.toSelectSQL())];
    const group = this.keys.length > 0 ? ` GROUP BY ${this.keys.map((k) => k.sql).join(', ')}` : '';
    return new DataFrame(this.frame.session, async () => {
      const inner = await this.frame.compile();
      return {
        text: `SELECT ${select.join(', ')} FROM (${inner.text})${group}`,
        params: inner.params,
      };
    });
  }

  /** Rows per group, in a column named `count`. */
  count(): DataFrame {
    return this.agg(new Column('count(*)').alias('count'));
  }
}

function joinKeyword(how: JoinType): string {
  switch (how) {
    case 'inner':
      return 'INNER';
    case 'left':
      return 'LEFT';
    case 'right':
      return 'RIGHT';
    case 'full':
    case 'outer':
      return 'FULL OUTER';
    case 'semi':
      return 'SEMI';
    case 'anti':
      return 'ANTI';
    case 'cross':
      return 'CROSS';
  }
}
