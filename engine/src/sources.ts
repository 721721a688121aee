/**
 * File sources for bronze steps, declared before any session exists (`read.parquet(path)` in a
 * pipeline file) and opened by the runner in its session.
 */
import { StepwiseError } from './errors.js';
import { quoteString, sqlLiteral, type LiteralValue } from './sqlText.js';

/** File formats DuckDB reads without extensions. */
export type SourceFormat = 'csv' | 'parquet' | 'json';

/** Reader options, passed to DuckDB's `read_csv`, `read_parquet` or `read_json`. */
export type ReadOptions = Record<string, LiteralValue | readonly string[]>;

/** A file to read, resolved relative to the pipeline file when loaded from one. */
export interface SourceSpec {
  readonly kind: 'stepwise-source';
  readonly format: SourceFormat;
  readonly path: string;
  readonly options: ReadOptions;
}

function spec(format: SourceFormat) {
  return (path: string, options: ReadOptions = {}): SourceSpec => {
    if (typeof path !== 'string' || path.trim() === '') {
      throw new StepwiseError(
        'invalid_config',
        `read.${format}(path): the path must be a non-empty string, got ${JSON.stringify(path)}.`,
        { field: 'path' },
      );
    }
    return { kind: 'stepwise-source', format, path, options };
  };
}

/** File sources for `definePipeline({ sources })`. */
export const read = {
  csv: spec('csv'),
  parquet: spec('parquet'),
  json: spec('json'),
};

/** True for what `read.*` returns. */
export function isSourceSpec(value: unknown): value is SourceSpec {
  return (
    typeof value === 'object' &&
    value !== null &&
    (value as { kind?: unknown }).kind === 'stepwise-source'
  );
}

/** The DuckDB table-function call that reads a source. */
export function sourceSQL(source: SourceSpec): string {
  const fn = { csv: 'read_csv', parquet: 'read_parquet', json: 'read_json' }[source.format];
  const args = [quoteString(source.path)];
  for (const [key, value] of Object.entries(source.options)) {
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(key)) {
      throw new StepwiseError(
        'invalid_config',
        `read.${source.format}: bad option name '${key}'.`,
        {
          field: key,
        },
      );
    }
    const literal = Array.isArray(value)
      ? `[${value.map((v) => quoteString(String(v))).join(', ')}]`
      : sqlLiteral(value as LiteralValue);
    args.push(`${key} = ${literal}`);
  }
  return `SELECT * FROM ${fn}(${args.join(', ')})`;
}
