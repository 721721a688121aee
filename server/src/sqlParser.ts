/**
 * Asks DuckDB's own parser whether SQL text parses, on one long-lived in-memory database that
 * runs nothing but `json_serialize_sql`. Answers are cached by text, so re-checking a large file
 * after an edit only parses the SQL that changed.
 */
import { DuckDBInstance, listValue, type DuckDBConnection } from '@duckdb/node-api';

/** Why DuckDB could not parse a text. */
export interface SqlParseError {
  /** DuckDB's message, such as `syntax error at or near "FORM"`. */
  message: string;
  /** UTF-16 offset in the text where DuckDB located the error, when it did. */
  offset: number | undefined;
  /** The token DuckDB quoted in the message, when it quoted one. */
  token: string | undefined;
}

const CACHE_LIMIT = 20_000;
const BATCH_SIZE = 200;

/**
 * Serializes each text and keeps only the error fields, so the parse trees of valid SQL never
 * leave DuckDB. Rows come back in the order of the list.
 */
const CHECK_QUERY = `
  SELECT j->>'error_type' AS kind, j->>'error_message' AS message, j->>'position' AS position
  FROM (
    SELECT i, json_serialize_sql(s)::JSON AS j
    FROM unnest(?::VARCHAR[]) WITH ORDINALITY AS t(s, i)
  )
  ORDER BY i`;

/** A parser that owns one in-memory DuckDB database until `close`. */
export class SqlParser {
  private database: Promise<{ instance: DuckDBInstance; connection: DuckDBConnection }> | undefined;
  private readonly cache = new Map<string, SqlParseError | null>();
  private closed = false;

  /** The parse error of a query, or undefined when DuckDB parses it. */
  async check(sql: string): Promise<SqlParseError | undefined> {
    return (await this.checkAll([sql])).get(sql);
  }

  /** The parse errors of many queries, from one round trip for those not checked before. */
  async checkAll(texts: readonly string[]): Promise<Map<string, SqlParseError | undefined>> {
    const unknown = [...new Set(texts.filter((t) => !this.cache.has(t)))];
    if (this.cache.size + unknown.length > CACHE_LIMIT) {
      this.cache.clear();
    }
    // Batches bound the memory DuckDB needs for the parse trees of one query.
    for (let start = 0; start < unknown.length; start += BATCH_SIZE) {
      const batch = unknown.slice(start, start + BATCH_SIZE);
      const { connection } = await this.open();
      const reader = await connection.runAndReadAll(CHECK_QUERY, [listValue(batch)]);
      reader.getRows().forEach((row, i) => {
        const text = batch[i]!;
        this.cache.set(text, toParseError(row, text) ?? null);
      });
    }
    return new Map(texts.map((t) => [t, this.cache.get(t) ?? undefined]));
  }

  /** Closes the database; later checks fail. */
  async close(): Promise<void> {
    this.closed = true;
    const database = this.database;
    this.database = undefined;
    if (!database) {
      return;
    }
    const { instance, connection } = await database;
    try {
      connection.closeSync();
    } finally {
      instance.closeSync();
    }
  }

  private open(): Promise<{ instance: DuckDBInstance; connection: DuckDBConnection }> {
    if (this.closed) {
      return Promise.reject(new Error('The SQL parser was closed.'));
    }
    this.database ??= (async () => {
      const instance = await DuckDBInstance.create(':memory:', {
        threads: '1',
        memory_limit: '64MB',
        autoinstall_known_extensions: 'false',
        autoload_known_extensions: 'false',
      });
      try {
        return { instance, connection: await instance.connect() };
      } catch (error) {
        instance.closeSync();
        throw error;
      }
    })();
    return this.database;
  }
}

/** The error of one checked text; only parser errors count, not unsupported statements. */
function toParseError(row: readonly unknown[], sql: string): SqlParseError | undefined {
  const [kind, message, position] = row;
  if (kind !== 'parser') {
    return undefined;
  }
  const text = typeof message === 'string' ? message : 'syntax error';
  const at = Number(position ?? NaN);
  return {
    message: text,
    offset: Number.isInteger(at) && at >= 0 ? utf16Offset(sql, at) : undefined,
    token: /at or near "((?:[^"]|"")*)"/.exec(text)?.[1],
  };
}

/** The UTF-16 offset of the `codePoints`-th code point: DuckDB counts code points. */
function utf16Offset(text: string, codePoints: number): number {
  let offset = 0;
  for (let i = 0; i < codePoints && offset < text.length; i++) {
    const code = text.codePointAt(offset)!;
    offset += code > 0xffff ? 2 : 1;
  }
  return offset;
}
