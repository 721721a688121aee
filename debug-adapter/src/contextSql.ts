/**
 * SQL over the debug context: every step output is a view named after its step (and its invalid
 * rows `<step>__invalid`), so the Debug Console, Watch, breakpoint conditions and log points can
 * query them with DuckDB SQL.
 */
import { StatementType } from '@duckdb/node-api';
import type { Context, DataFrame, Session } from '../../engine/src/index.js';
import { INVALID_SUFFIX } from '../../engine/src/index.js';
import { quoteIdent } from '../../engine/src/sqlText.js';

/** The result of a console query: rows as a DataFrame, or a message for other statements. */
export type EvaluateResult = { frame: DataFrame } | { message: string };

/** SQL over the context of a paused pipeline. */
export class ContextSql {
  private exposed = new Set<string>();

  constructor(private readonly session: Session) {}

  /** Makes every context DataFrame queryable under its step's name. */
  async expose(context: Context, invalid: ReadonlyMap<string, DataFrame>): Promise<void> {
    const wanted = new Map<string, DataFrame>(Object.entries(context));
    invalid.forEach((frame, step) => wanted.set(step + INVALID_SUFFIX, frame));
    const statements: string[] = [];
    for (const name of this.exposed) {
      if (!wanted.has(name)) {
        statements.push(`DROP VIEW IF EXISTS main.${quoteIdent(name)}`);
      }
    }
    for (const [name, frame] of wanted) {
      const { text, params } = await frame.compile();
      if (params.length > 0) {
        continue;
      }
      statements.push(`CREATE OR REPLACE VIEW main.${quoteIdent(name)} AS ${text}`);
    }
    if (statements.length > 0) {
      await this.session.run(statements.join(';\n'));
    }
    this.exposed = new Set(wanted.keys());
  }

  /** Runs console SQL: a query becomes a lazy DataFrame, any other statement just runs. */
  async evaluate(sql: string): Promise<EvaluateResult> {
    const text = sql.trim().replace(/;+\s*$/, '');
    if (text === '') {
      throw new Error('Type a DuckDB SQL query, for example SELECT count(*) FROM <step name>.');
    }
    const extracted = await this.session.connection.extractStatements(text);
    if (extracted.count !== 1) {
      await this.session.run(text);
      return { message: `${extracted.count} statements run` };
    }
    const prepared = await extracted.prepare(0);
    const isQuery = prepared.statementType === StatementType.SELECT;
    prepared.destroySync();
    if (!isQuery) {
      await this.session.run(text);
      return { message: 'OK' };
    }
    const frame = await this.session.viewFrame(text, 'console');
    return { frame };
  }

  /** Evaluates a SQL boolean, such as a breakpoint condition. */
  async condition(sql: string): Promise<boolean> {
    const reader = await this.session.query(`SELECT CAST((${sql}) AS BOOLEAN)`);
    return reader.getRows()[0]?.[0] === true;
  }

  /** Replaces each `{sql}` in a log message with the SQL's value. */
  async interpolate(message: string): Promise<string> {
    const parts = message.split(/(\{[^{}]+\})/);
    const out: string[] = [];
    for (const part of parts) {
      if (part.startsWith('{') && part.endsWith('}')) {
        try {
          const reader = await this.session.query(`SELECT CAST((${part.slice(1, -1)}) AS VARCHAR)`);
          out.push(String(reader.getRows()[0]?.[0] ?? 'NULL'));
        } catch (error) {
          out.push(`<${error instanceof Error ? error.message.split('\n')[0] : String(error)}>`);
        }
      } else {
        out.push(part);
      }
    }
    return out.join('');
  }
}
