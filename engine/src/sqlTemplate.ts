/**
 * The `sql` tagged template. An interpolated DataFrame becomes a subquery; every other value
 * becomes a bound parameter, never SQL text, so user values cannot change the query.
 */
import type { DuckDBValue } from '@duckdb/node-api';
import { StepwiseError } from './errors.js';

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
      } else if (Array.isArray(value)) {
        // A JS array becomes a DuckDB list of bound values, e.g. `origin = ANY(${codes})`.
        text += `[${value.map(() => '?').join(', ')}]`;
        value.forEach((item, k) => params.push(this.bindable(item, i, `[${k}]`)));
      } else {
        text += '?';
        params.push(this.bindable(value, i, ''));
      }
      text += this.strings[i + 1]!;
    }
    return { text, params };
  }

  /** The value as a bound parameter, or a clear error naming where it sits in the query. */
  private bindable(value: unknown, index: number, suffix: string): DuckDBValue {
    if (value === null || BINDABLE.has(typeof value)) {
      return value as DuckDBValue;
    }
    const before = this.strings[index]!.replace(/\s+/g, ' ').trim().slice(-40);
    const what = value === undefined ? 'undefined' : `a ${typeof value}`;
    const hint =
      value === undefined
        ? ' A param without a default? Give the param a default value in the transform.'
        : ' Interpolate strings, numbers, bigints, booleans, null, Dates, arrays of those, ' +
          'DataFrames or sql`...` queries.';
    throw new StepwiseError(
      'usage',
      `sql template: value ${index + 1}${suffix} (after "${before}") is ${what}, which cannot ` +
        `be bound.${hint}`,
    );
  }
}

/** Names of the value types a `sql` template can bind. */
const BINDABLE = new Set(['string', 'number', 'bigint', 'boolean']);
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
