/**
 * The `sql` tagged template. An interpolated DataFrame becomes a subquery; every other value
 * becomes a bound parameter, never SQL text, so user values cannot change the query.
 */
import type { DuckDBValue } from '@duckdb/node-api';

/** SQL text with `?` placeholders and the values bound to them, in order. */
export interface CompiledSQL {
  text: string;
  params: DuckDBValue[];
}

/** Something that compiles to SQL; DataFrames do. */
export interface SqlSource {
  compile(): Promise<CompiledSQL>;
}

/** A query written with the `sql` template; the runner or a session turns it into a DataFrame. */
export class SqlQuery {
  constructor(
    readonly strings: readonly string[],
    readonly values: readonly unknown[],
  ) {}

  /** The query's text and bound values. */
  async compile(): Promise<CompiledSQL> {
    let text = this.strings[0]!;
    const params: DuckDBValue[] = [];
    for (let i = 0; i < this.values.length; i++) {
      const value = this.values[i];
      if (isSqlSource(value)) {
        const inner = await value.compile();
        text += `(${inner.text})`;
        params.push(...inner.params);
      } else if (value instanceof Date) {
        // DuckDB cannot infer a type for a JS Date; it is an instant, as in `sqlLiteral`.
        text += 'CAST(? AS TIMESTAMPTZ)';
        params.push(value.toISOString());
      } else {
        text += '?';
        params.push(value as DuckDBValue);
      }
      text += this.strings[i + 1]!;
    }
    return { text, params };
  }
}

/** Tags a template literal as a DuckDB query. */
export function sql(strings: TemplateStringsArray, ...values: unknown[]): SqlQuery {
  return new SqlQuery([...strings], values);
}

/** True for values that compile to SQL (DataFrames and `sql` queries). */
export function isSqlSource(value: unknown): value is SqlSource {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as { compile?: unknown }).compile === 'function'
  );
}
