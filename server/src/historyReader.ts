/**
 * Reads the latest run of each step from a warehouse file's run history. The file is opened
 * read-only and only for the one query, so a run in another process is never kept waiting long.
 */
import { DuckDBInstance } from '@duckdb/node-api';
import { existsSync } from 'node:fs';

/** A column of a step's output, as the run history records it. */
export interface OutputColumn {
  name: string;
  type: string;
}

/** The latest run of one step of one pipeline. */
export interface LastRun {
  /** Absolute path of the pipeline file that ran. */
  pipeline: string;
  step: string;
  layer: string;
  /** `completed`, `failed`, `skipped` or `cancelled`. */
  status: string;
  /** When the step started, as an ISO timestamp. */
  startedAt: string;
  durationMs: number;
  outputRows: number;
  validRows: number;
  invalidRows: number;
  validationRate: number;
  error: string | null;
  /** The output's columns; undefined when the run did not record them. */
  outputSchema: OutputColumn[] | undefined;
}

/** True for the errors DuckDB raises while another process holds the file. */
export function isLockError(error: unknown): boolean {
  const message = error instanceof Error ? error.message : String(error);
  return /lock|being used by another process/i.test(message);
}

const HISTORY_QUERY = `
  SELECT pipeline, step, layer, status, CAST(epoch_ms(started_at) AS DOUBLE) AS started_ms,
         duration_ms, output_rows, valid_rows, invalid_rows, validation_rate, error, output_schema
  FROM _stepwise.run_history
  QUALIFY row_number() OVER (PARTITION BY pipeline, step ORDER BY started_at DESC) = 1`;

/** The latest run of every step in a warehouse file; empty when the file or history is absent. */
export async function readLastRuns(path: string): Promise<LastRun[]> {
  if (!existsSync(path)) {
    return [];
  }
  const instance = await DuckDBInstance.create(path, {
    access_mode: 'READ_ONLY',
    threads: '1',
    autoinstall_known_extensions: 'false',
    autoload_known_extensions: 'false',
  });
  try {
    const connection = await instance.connect();
    try {
      const tables = await connection.runAndReadAll(
        `SELECT count(*) FROM duckdb_tables()
         WHERE schema_name = '_stepwise' AND table_name = 'run_history'`,
      );
      if (Number(tables.getRows()[0]?.[0] ?? 0) === 0) {
        return [];
      }
      const reader = await connection.runAndReadAll(HISTORY_QUERY);
      return reader.getRowObjectsJS().map(toLastRun);
    } finally {
      connection.closeSync();
    }
  } finally {
    instance.closeSync();
  }
}

function toLastRun(row: Record<string, unknown>): LastRun {
  const text = (key: string): string => (typeof row[key] === 'string' ? row[key] : '');
  const num = (key: string): number => Number(row[key] ?? 0);
  const error = row.error;
  return {
    pipeline: text('pipeline'),
    step: text('step'),
    layer: text('layer'),
    status: text('status'),
    startedAt: new Date(num('started_ms')).toISOString(),
    durationMs: num('duration_ms'),
    outputRows: num('output_rows'),
    validRows: num('valid_rows'),
    invalidRows: num('invalid_rows'),
    validationRate: num('validation_rate'),
    error: typeof error === 'string' ? error : null,
    outputSchema: parseSchema(row.output_schema),
  };
}

/** The `[{name, type}]` JSON of `output_schema`, or undefined when absent or malformed. */
function parseSchema(value: unknown): OutputColumn[] | undefined {
  if (typeof value !== 'string') {
    return undefined;
  }
  try {
    const parsed: unknown = JSON.parse(value);
    if (!Array.isArray(parsed)) {
      return undefined;
    }
    return parsed.flatMap((c: { name?: unknown; type?: unknown }) =>
      typeof c === 'object' && c !== null && typeof c.name === 'string'
        ? [{ name: c.name, type: typeof c.type === 'string' ? c.type : '' }]
        : [],
    );
  } catch {
    return undefined;
  }
}
