/**
 * A session: one embedded DuckDB instance that holds a run's working data in memory, plus the
 * warehouse where step outputs are written. It is the TypeScript counterpart of a Spark session.
 */
import {
  DuckDBConnection,
  DuckDBInstance,
  type DuckDBResultReader,
  type DuckDBValue,
} from '@duckdb/node-api';
import { DataFrame } from './dataframe.js';
import { StepwiseError } from './errors.js';
import { sourceSQL, type ReadOptions } from './sources.js';
import { isSqlSource, SqlQuery, type CompiledSQL } from './sqlTemplate.js';
import { qualified, quoteIdent, quoteString, sqlLiteral, type LiteralValue } from './sqlText.js';
import { Warehouse } from './warehouse.js';

/** How a session is set up. */
export interface SessionOptions {
  /** Warehouse file for step outputs; outputs stay in memory when omitted. */
  database?: string;
  /** DuckDB worker threads; DuckDB's default (the core count) when omitted. */
  threads?: number;
  /** DuckDB memory limit such as `'4GB'`; DuckDB's default when omitted. */
  memoryLimit?: string;
  /** Session time zone, for example `'UTC'` or `'Asia/Singapore'`. */
  timeZone?: string;
  /** How long to wait for a busy warehouse file before failing. */
  lockTimeoutMs?: number;
}

/** A column of `createDataFrame`: a name, or a name with a DuckDB type. */
export type ColumnSpec = string | { name: string; type: string };

/** Schema of the session's working tables. */
export const WORK_SCHEMA = 'stepwise_work';

/** A DuckDB-backed session. */
export class Session {
  /** Readers that return lazy DataFrames over files. */
  readonly read = {
    csv: (path: string, options: ReadOptions = {}): DataFrame =>
      this.readFile('csv', path, options),
    parquet: (path: string, options: ReadOptions = {}): DataFrame =>
      this.readFile('parquet', path, options),
    json: (path: string, options: ReadOptions = {}): DataFrame =>
      this.readFile('json', path, options),
  };

  /** Where step outputs are written and read back. */
  readonly warehouse: Warehouse;
  private workTables = 0;
  private protectedDepth = 0;
  private closed = false;

  private constructor(
    private readonly instance: DuckDBInstance,
    /** The session's single connection; DuckDB runs its queries one at a time. */
    readonly connection: DuckDBConnection,
    readonly options: SessionOptions,
  ) {
    this.warehouse = new Warehouse(this, options.database, options.lockTimeoutMs);
  }

  /** Opens a session; see `SessionOptions`. */
  static async create(options: SessionOptions = {}): Promise<Session> {
    const config: Record<string, string> = { autoinstall_known_extensions: 'false' };
    if (options.threads !== undefined) {
      config.threads = String(options.threads);
    }
    if (options.memoryLimit !== undefined) {
      config.memory_limit = options.memoryLimit;
    }
    const instance = await DuckDBInstance.create(':memory:', config);
    let connection: DuckDBConnection | undefined;
    try {
      connection = await instance.connect();
      await connection.run(
        `CREATE SCHEMA ${quoteIdent(WORK_SCHEMA)};
         SET enable_progress_bar = true; SET enable_progress_bar_print = false;
         SET progress_bar_time = 0;`,
      );
      if (options.timeZone !== undefined) {
        await connection.run(`SET TimeZone = ${sqlLiteral(options.timeZone)}`);
      }
      return new Session(instance, connection, options);
    } catch (error) {
      connection?.closeSync();
      instance.closeSync();
      throw error;
    }
  }

  /** Runs SQL and reads the whole result. */
  async query(text: string, params: DuckDBValue[] = []): Promise<DuckDBResultReader> {
    this.assertOpen();
    return params.length > 0
      ? this.connection.runAndReadAll(text, params)
      : this.connection.runAndReadAll(text);
  }

  /** Runs SQL for its effect. */
  async run(text: string, params: DuckDBValue[] = []): Promise<void> {
    this.assertOpen();
    await (params.length > 0 ? this.connection.run(text, params) : this.connection.run(text));
  }

  /** A lazy DataFrame over a query: SQL text with `?` values, or a `sql` template. */
  sql(query: string | SqlQuery, params: unknown[] = []): DataFrame {
    if (query instanceof SqlQuery) {
      return new DataFrame(this, () => query.compile());
    }
    if (typeof query !== 'string') {
      throw new StepwiseError('usage', 'session.sql() takes SQL text or a sql`...` query.');
    }
    return new DataFrame(this, () =>
      Promise.resolve({ text: query, params: params as DuckDBValue[] }),
    );
  }

  /** A table of the warehouse (`'schema.table'` or `'table'`), read into the session. */
  table(name: string): DataFrame {
    const [schema, table] = name.includes('.') ? splitOnce(name) : [undefined, name];
    return new DataFrame(this, async () => {
      const loaded = await this.warehouse.loadTable({ schema: schema ?? 'main', table });
      if (!loaded) {
        throw new StepwiseError(
          'missing_dependency',
          `Table '${name}' does not exist in the warehouse${this.warehouseLabel()}. Run the step ` +
            'that writes it first.',
        );
      }
      return { text: `SELECT * FROM ${loaded.table}`, params: [] };
    });
  }

  /** A DataFrame of literal rows; `columns` gives names and, optionally, DuckDB types. */
  createDataFrame(rows: readonly unknown[], columns?: readonly ColumnSpec[]): DataFrame {
    return new DataFrame(this, () => Promise.resolve(valuesSQL(rows, columns)));
  }

  /** Computes a DataFrame into a working table and returns a DataFrame over it. */
  async materialize(frame: DataFrame | SqlQuery, label = 'df'): Promise<DataFrame> {
    const { text, params } = await compileSource(frame);
    const table = this.newWorkTable(label);
    await this.run(`CREATE TABLE ${table} AS ${text}`, params);
    const reader = await this.query(`SELECT count(*) FROM ${table}`);
    return this.tableFrame(table, Number(reader.getRows()[0]![0]));
  }

  /** A view over a query in the working database; its rows are counted unless given. */
  async viewFrame(text: string, label: string, rowCount?: number): Promise<DataFrame> {
    const view = this.newWorkTable(label);
    await this.run(`CREATE VIEW ${view} AS ${text}`);
    if (rowCount !== undefined) {
      return this.tableFrame(view, rowCount);
    }
    const reader = await this.query(`SELECT count(*) FROM ${view}`);
    return this.tableFrame(view, Number(reader.getRows()[0]![0]));
  }

  /** A DataFrame over an existing table or view of the working database. */
  tableFrame(table: string, rowCount?: number): DataFrame {
    return new DataFrame(
      this,
      () => Promise.resolve({ text: `SELECT * FROM ${table}`, params: [] }),
      rowCount,
    );
  }

  /** A fresh, quoted name for a working table. */
  newWorkTable(label: string): string {
    this.workTables += 1;
    const safe = label.replace(/[^\p{L}\p{N}_]+/gu, '_').slice(0, 40);
    return qualified(WORK_SCHEMA, `${safe}_${this.workTables}`);
  }

  /** Runs SQL that an interrupt must not stop, such as ROLLBACK or DETACH after a failure. */
  async runProtected(text: string): Promise<void> {
    this.protectedDepth += 1;
    try {
      await this.run(text);
    } finally {
      this.protectedDepth -= 1;
    }
  }

  /** Stops the query that is running, if any; it fails with an interrupt error. */
  interrupt(): void {
    if (!this.closed && this.protectedDepth === 0) {
      this.connection.interrupt();
    }
  }

  /** Progress of the running query, 0–100, or undefined when DuckDB cannot tell. */
  progress(): number | undefined {
    const p = this.connection.progress.percentage;
    return p >= 0 ? p : undefined;
  }

  /** Closes the connection and the DuckDB instance. */
  close(): void {
    if (this.closed) {
      return;
    }
    this.closed = true;
    try {
      this.connection.closeSync();
    } finally {
      this.instance.closeSync();
    }
  }

  private readFile(
    format: 'csv' | 'parquet' | 'json',
    path: string,
    options: ReadOptions,
  ): DataFrame {
    const text = sourceSQL({ kind: 'stepwise-source', format, path, options });
    return new DataFrame(this, () => Promise.resolve({ text, params: [] }));
  }

  private warehouseLabel(): string {
    return this.options.database ? ` (${this.options.database})` : '';
  }

  private assertOpen(): void {
    if (this.closed) {
      throw new StepwiseError('usage', 'This session is closed; create a new one.');
    }
  }
}

/** Creates a session; see `SessionOptions`. */
export function createSession(options: SessionOptions = {}): Promise<Session> {
  return Session.create(options);
}

/** The SQL of a DataFrame or `sql` query. */
export async function compileSource(source: DataFrame | SqlQuery): Promise<CompiledSQL> {
  if (!isSqlSource(source)) {
    throw new StepwiseError('usage', 'Expected a DataFrame or a sql`...` query.');
  }
  return source.compile();
}

function splitOnce(name: string): [string, string] {
  const i = name.indexOf('.');
  return [name.slice(0, i), name.slice(i + 1)];
}

function valuesSQL(rows: readonly unknown[], columns?: readonly ColumnSpec[]): CompiledSQL {
  if (!Array.isArray(rows)) {
    throw new StepwiseError('usage', 'createDataFrame(rows, columns): rows must be an array.');
  }
  const objects = rows.length > 0 && !Array.isArray(rows[0]);
  const specs: ColumnSpec[] =
    columns !== undefined ? [...columns] : objects ? Object.keys(rows[0] as object) : [];
  if (specs.length === 0) {
    throw new StepwiseError(
      'usage',
      'createDataFrame(rows, columns): give the column names, e.g. ["id", "event", "value"].',
    );
  }
  const names = specs.map((c) => (typeof c === 'string' ? c : c.name));
  const types = specs.map((c) => (typeof c === 'string' ? undefined : c.type));
  const cast = (sql: string, i: number): string => (types[i] ? `CAST(${sql} AS ${types[i]})` : sql);
  if (rows.length === 0) {
    const list = names.map((n, i) => `${cast('NULL', i)} AS ${quoteIdent(n)}`);
    return { text: `SELECT ${list.join(', ')} WHERE FALSE`, params: [] };
  }
  const tuples = rows.map((row, r) => {
    const values = objects
      ? names.map((n) => (row as Record<string, unknown>)[n])
      : (row as unknown[]);
    if (!Array.isArray(values) || values.length !== names.length) {
      throw new StepwiseError(
        'usage',
        `createDataFrame: row ${r} has ${Array.isArray(values) ? values.length : 0} values but ` +
          `there are ${names.length} columns (${names.join(', ')}).`,
      );
    }
    return `(${values.map((v, i) => cast(literal(v), i)).join(', ')})`;
  });
  const alias = names.map(quoteIdent).join(', ');
  return { text: `SELECT * FROM (VALUES ${tuples.join(', ')}) AS t(${alias})`, params: [] };
}

function literal(value: unknown): string {
  if (value === null || value === undefined) {
    return 'NULL';
  }
  const type = typeof value;
  if (type === 'object' && !(value instanceof Date)) {
    return quoteString(
      JSON.stringify(value, (_, v: unknown) => (typeof v === 'bigint' ? v.toString() : v)),
    );
  }
  return sqlLiteral(value as LiteralValue);
}
