/**
 * The warehouse: where step outputs, invalid rows and the run history live. A file warehouse is
 * attached only while it is read or written, so other processes (a terminal run, a paused
 * debugger) can take turns with it. Every write is one transaction: a table is either the old one
 * or the complete new one.
 */
import type { Json } from '@duckdb/node-api';
import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { errorMessage, StepwiseError } from './errors.js';
import type { Session } from './session.js';
import { qualified, quoteIdent, quoteString } from './sqlText.js';

/** A table in the warehouse. */
export interface TableRef {
  schema: string;
  table: string;
}

/** A column of a warehouse table. */
export interface TableColumn {
  name: string;
  type: string;
}

/** How a step's output is written. */
export interface WriteRequest {
  target: TableRef;
  /** Query over working tables that yields the valid rows. */
  validSQL: string;
  /** Query that yields the invalid rows with their failed rules, if the step has rules. */
  invalidSQL?: string;
  mode: 'overwrite' | 'append';
  /** Fail unless an existing table has the same column names and types. */
  requireSameSchema: boolean;
}

/** One row of the run history: what a step did in a run. */
export interface RunHistoryRow {
  runId: string;
  pipeline: string;
  mode: string;
  step: string;
  layer: string;
  status: string;
  startedAt: string;
  durationMs: number;
  inputRows: number;
  outputRows: number;
  validRows: number;
  invalidRows: number;
  validationRate: number;
  rowsWritten: number;
  outputTable: string | null;
  error: string | null;
  params: string | null;
  /** The step output's columns as JSON `[{name, type}]`. */
  outputSchema: string | null;
}

/** Schema of the warehouse's own tables. */
export const META_SCHEMA = '_stepwise';
const HISTORY = 'run_history';
const ATTACHED = 'stepwise_warehouse';
const LOCK_ERROR = /lock|being used by another process/i;

/** Suffix of the table that keeps a step's invalid rows. */
export const INVALID_SUFFIX = '__invalid';

/** A file warehouse, or the session's own memory when no file is given. */
export class Warehouse {
  /** Absolute path of the warehouse file, or undefined for an in-memory warehouse. */
  readonly path: string | undefined;
  private depth = 0;
  /** Called once each time an attach starts waiting for a file another process holds. */
  onWaiting: ((path: string, holderPid: string | undefined) => void) | undefined;
  /** Time spent waiting for a busy file since `resetWaiting`, bounded by the lock timeout. */
  private waitedMs = 0;

  constructor(
    private readonly session: Session,
    path: string | undefined,
    private readonly lockTimeoutMs = 15_000,
  ) {
    this.path = path === undefined || path === ':memory:' ? undefined : resolve(path);
  }

  /** Runs `work` with the warehouse available under the returned catalog name. */
  async use<T>(work: (catalog: string) => Promise<T>): Promise<T> {
    if (this.path === undefined) {
      return work('memory');
    }
    if (this.depth > 0) {
      this.depth += 1;
      try {
        return await work(ATTACHED);
      } finally {
        this.depth -= 1;
      }
    }
    await this.attach(this.path);
    this.depth = 1;
    try {
      return await work(ATTACHED);
    } finally {
      this.depth = 0;
      await this.session.runProtected(`DETACH ${quoteIdent(ATTACHED)}`);
    }
  }

  /**
   * Starts a new waiting budget: a run waits for a busy file at most `lockTimeoutMs` in all, not
   * that long for each of its reads and writes.
   */
  resetWaiting(): void {
    this.waitedMs = 0;
  }

  /** Columns of a table, or undefined when it does not exist. */
  async tableSchema(ref: TableRef): Promise<TableColumn[] | undefined> {
    return this.use((catalog) => this.columnsIn(catalog, ref));
  }

  /** Copies a table into the session's working data; undefined when it does not exist. */
  async loadTable(ref: TableRef): Promise<{ table: string; rowCount: number } | undefined> {
    return this.use(async (catalog) => {
      if (!(await this.columnsIn(catalog, ref))) {
        return undefined;
      }
      const work = this.session.newWorkTable(ref.table);
      await this.session.run(
        `CREATE TABLE ${work} AS SELECT * FROM ${qualified(catalog, ref.schema, ref.table)}`,
      );
      const reader = await this.session.query(`SELECT count(*) FROM ${work}`);
      return { table: work, rowCount: Number(reader.getRows()[0]![0]) };
    });
  }

  /** The largest value of a column, as DuckDB text, or null when the table is empty or absent. */
  async maxValue(
    ref: TableRef,
    column: string,
  ): Promise<{ value: string | null; type: string } | undefined> {
    return this.use(async (catalog) => {
      const columns = await this.columnsIn(catalog, ref);
      const found = columns?.find((c) => c.name === column);
      if (!found) {
        return undefined;
      }
      const reader = await this.session.query(
        `SELECT CAST(max(${quoteIdent(column)}) AS VARCHAR) FROM ${qualified(catalog, ref.schema, ref.table)}`,
      );
      return { value: reader.getRows()[0]![0] as string | null, type: found.type };
    });
  }

  /** Writes valid (and invalid) rows in one transaction. */
  async write(request: WriteRequest): Promise<void> {
    return this.use(async (catalog) => {
      const { schema, table } = request.target;
      const target = qualified(catalog, schema, table);
      const invalidTarget = qualified(catalog, schema, table + INVALID_SUFFIX);
      const existing = await this.columnsIn(catalog, request.target);
      await this.session.run('BEGIN TRANSACTION');
      try {
        await this.session.run(`CREATE SCHEMA IF NOT EXISTS ${qualified(catalog, schema)}`);
        if (request.requireSameSchema && existing) {
          await this.checkSchema(request, existing);
        }
        if (request.mode === 'append' && existing) {
          await this.session.run(`INSERT INTO ${target} BY NAME ${request.validSQL}`);
        } else {
          await this.session.run(`CREATE OR REPLACE TABLE ${target} AS ${request.validSQL}`);
        }
        if (request.invalidSQL !== undefined) {
          const invalidExists = await this.columnsIn(catalog, {
            schema,
            table: table + INVALID_SUFFIX,
          });
          await this.session.run(
            request.mode === 'append' && invalidExists
              ? `INSERT INTO ${invalidTarget} BY NAME ${request.invalidSQL}`
              : `CREATE OR REPLACE TABLE ${invalidTarget} AS ${request.invalidSQL}`,
          );
        }
        await this.session.run('COMMIT');
      } catch (error) {
        await this.session.runProtected('ROLLBACK').catch(() => undefined);
        throw error;
      }
    });
  }

  /** Appends rows to the run history. */
  async appendHistory(rows: readonly RunHistoryRow[]): Promise<void> {
    if (rows.length === 0) {
      return;
    }
    await this.use(async (catalog) => {
      const table = await this.ensureHistory(catalog);
      const values = rows.map((r) => `(${historyValues(r)})`).join(',\n');
      await this.session.run(`INSERT INTO ${table} VALUES ${values}`);
    });
  }

  /** The latest history row of each step, optionally for one pipeline. */
  async lastResults(pipeline?: string): Promise<RunHistoryRow[]> {
    return this.use(async (catalog) => {
      const table = await this.ensureHistory(catalog);
      const where = pipeline === undefined ? '' : `WHERE pipeline = ${quoteString(pipeline)}`;
      const reader = await this.session.query(
        `SELECT * REPLACE (epoch_ms(started_at) AS started_at) FROM ${table} ${where}
         QUALIFY row_number() OVER (PARTITION BY pipeline, step ORDER BY started_at DESC) = 1
         ORDER BY started_at`,
      );
      return reader.getRowObjectsJson().map(historyRow);
    });
  }

  private async attach(path: string): Promise<void> {
    mkdirSync(dirname(path), { recursive: true });
    let wait = 25;
    for (;;) {
      const tried = Date.now();
      try {
        await this.session.run(`ATTACH ${quoteString(path)} AS ${quoteIdent(ATTACHED)}`);
        return;
      } catch (error) {
        const message = errorMessage(error);
        if (!LOCK_ERROR.test(message)) {
          throw new StepwiseError(
            'warehouse_failed',
            `Could not open the warehouse ${path}: ${message}`,
            { field: 'database' },
            { cause: error },
          );
        }
        if (this.waitedMs >= this.lockTimeoutMs) {
          const holder = /PID (\d+)/.exec(message)?.[1];
          throw new StepwiseError(
            'warehouse_busy',
            `The warehouse ${path} is in use by another process${holder ? ` (pid ${holder})` : ''}` +
              ` and stayed busy for ${(this.waitedMs / 1000).toFixed(1)} s. Wait for that run ` +
              'to finish and try again, or use another warehouse file with --database.',
            { field: 'database' },
            { cause: error },
          );
        }
        if (wait === 25) {
          this.onWaiting?.(path, /PID (\d+)/.exec(message)?.[1]);
        }
        await new Promise((r) => setTimeout(r, wait));
        this.waitedMs += Date.now() - tried;
        wait = Math.min(wait * 2, 400);
      }
    }
  }

  private async columnsIn(catalog: string, ref: TableRef): Promise<TableColumn[] | undefined> {
    const reader = await this.session.query(
      `SELECT column_name, data_type FROM duckdb_columns()
       WHERE database_name = ? AND schema_name = ? AND table_name = ? ORDER BY column_index`,
      [catalog, ref.schema, ref.table],
    );
    const rows = reader.getRows();
    return rows.length === 0
      ? undefined
      : rows.map((r) => ({ name: String(r[0]), type: String(r[1]) }));
  }

  private async checkSchema(request: WriteRequest, existing: TableColumn[]): Promise<void> {
    const reader = await this.session.query(`DESCRIBE ${request.validSQL}`);
    const incoming = reader.getRows().map((r) => ({ name: String(r[0]), type: String(r[1]) }));
    const describe = (cols: TableColumn[]): string =>
      cols.map((c) => `${c.name} ${c.type}`).join(', ');
    const key = (c: TableColumn): string => `${c.name}\u0000${c.type}`;
    const old = new Set(existing.map(key));
    const now = new Set(incoming.map(key));
    const same = old.size === now.size && [...old].every((k) => now.has(k));
    if (!same) {
      const { schema, table } = request.target;
      throw new StepwiseError(
        'schema_mismatch',
        `Table ${schema}.${table} has columns (${describe(existing)}) but the step now produces ` +
          `(${describe(incoming)}). Only an initial run may change a table's schema: run with ` +
          "--mode initial (mode: 'initial').",
        { field: 'mode' },
      );
    }
  }

  private async ensureHistory(catalog: string): Promise<string> {
    const table = qualified(catalog, META_SCHEMA, HISTORY);
    await this.session.run(
      `CREATE SCHEMA IF NOT EXISTS ${qualified(catalog, META_SCHEMA)};
       CREATE TABLE IF NOT EXISTS ${table} (
         run_id VARCHAR, pipeline VARCHAR, mode VARCHAR, step VARCHAR, layer VARCHAR,
         status VARCHAR, started_at TIMESTAMPTZ, duration_ms DOUBLE, input_rows BIGINT,
         output_rows BIGINT, valid_rows BIGINT, invalid_rows BIGINT, validation_rate DOUBLE,
         rows_written BIGINT, output_table VARCHAR, error VARCHAR, params VARCHAR,
         output_schema VARCHAR)`,
    );
    return table;
  }
}

function text(value: string | null): string {
  return value === null ? 'NULL' : quoteString(value);
}

function historyValues(r: RunHistoryRow): string {
  return [
    text(r.runId),
    text(r.pipeline),
    text(r.mode),
    text(r.step),
    text(r.layer),
    text(r.status),
    `${quoteString(r.startedAt)}::TIMESTAMPTZ`,
    String(r.durationMs),
    String(r.inputRows),
    String(r.outputRows),
    String(r.validRows),
    String(r.invalidRows),
    String(r.validationRate),
    String(r.rowsWritten),
    text(r.outputTable),
    text(r.error),
    text(r.params),
    text(r.outputSchema),
  ].join(', ');
}

function historyRow(row: Record<string, Json>): RunHistoryRow {
  const str = (k: string): string => {
    const value = row[k];
    return typeof value === 'string'
      ? value
      : value === null || value === undefined
        ? ''
        : JSON.stringify(value);
  };
  const num = (k: string): number => Number(row[k] ?? 0);
  const opt = (k: string): string | null => (row[k] === null ? null : str(k));
  return {
    runId: str('run_id'),
    pipeline: str('pipeline'),
    mode: str('mode'),
    step: str('step'),
    layer: str('layer'),
    status: str('status'),
    startedAt: new Date(num('started_at')).toISOString(),
    durationMs: num('duration_ms'),
    inputRows: num('input_rows'),
    outputRows: num('output_rows'),
    validRows: num('valid_rows'),
    invalidRows: num('invalid_rows'),
    validationRate: num('validation_rate'),
    rowsWritten: num('rows_written'),
    outputTable: opt('output_table'),
    error: opt('error'),
    params: opt('params'),
    outputSchema: opt('output_schema'),
  };
}
