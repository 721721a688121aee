/**
 * The variable store: turns scopes, DataFrames, pages of rows and plain values into debug
 * protocol variables. DataFrames are never read whole: rows are indexed and read a page at a
 * time, with values printed by DuckDB so they stay exact.
 */
import { Handles } from '@vscode/debugadapter';
import type { DebugProtocol } from '@vscode/debugprotocol';
import type { DataFrame } from '../../engine/src/index.js';

/** Something that has child variables. */
export type Container =
  | { kind: 'entries'; entries: Entry[] }
  | { kind: 'frame'; frame: DataFrame; sql?: string }
  | { kind: 'schema'; frame: DataFrame }
  | { kind: 'rows'; frame: DataFrame }
  | { kind: 'row'; cells: [string, string, string][] }
  | { kind: 'lazy'; load: () => Promise<Entry[]> };

/** A named child: a plain value, a DataFrame or a nested container. */
export type Entry =
  | { name: string; value: string; type?: string; editable?: { step: string; key: string } }
  | { name: string; frame: DataFrame }
  | { name: string; value: string; container: Container; type?: string };

const SUMMARY_CELLS = 6;

/** Hands out variable references and answers `variables` requests. */
export class VariableStore {
  private handles = new Handles<Container>();
  private editable = new Map<string, { step: string; key: string }>();

  constructor(private readonly pageSize: () => number) {}

  /** Forgets every reference; called whenever the debuggee resumes. */
  reset(): void {
    this.handles.reset();
    this.editable.clear();
  }

  /** A reference for a container. */
  create(container: Container): number {
    return this.handles.create(container);
  }

  /** What a variable name in a container maps to, for setVariable on params. */
  editableParam(reference: number, name: string): { step: string; key: string } | undefined {
    return this.editable.get(`${reference}\u0000${name}`);
  }

  /** The children of a reference, paged for indexed rows. */
  async variables(reference: number, start = 0, count?: number): Promise<DebugProtocol.Variable[]> {
    const container = this.handles.get(reference);
    if (!container) {
      return [];
    }
    switch (container.kind) {
      case 'entries':
        return Promise.all(container.entries.map((e) => this.variable(e, reference)));
      case 'lazy':
        return Promise.all((await container.load()).map((e) => this.variable(e, reference)));
      case 'frame':
        return this.frameChildren(container.frame);
      case 'schema':
        return (await container.frame.schema()).map((f) => ({
          name: f.name,
          value: f.type,
          variablesReference: 0,
        }));
      case 'rows':
        return this.rows(container.frame, start, count ?? this.pageSize());
      case 'row':
        return container.cells.map(([name, value, type]) => ({
          name,
          value,
          type,
          variablesReference: 0,
        }));
    }
  }

  /** The variable for a DataFrame: `3 rows × 2 columns`, expandable. */
  async frameVariable(
    name: string,
    frame: DataFrame,
    evaluateName?: string,
  ): Promise<DebugProtocol.Variable> {
    const [rows, columns] = await Promise.all([frame.count(), frame.columns()]);
    return {
      name,
      value: describeFrame(rows, columns.length),
      type: 'DataFrame',
      variablesReference: this.create({ kind: 'frame', frame }),
      namedVariables: 3,
      ...(evaluateName ? { evaluateName } : {}),
    };
  }

  private async variable(entry: Entry, parent: number): Promise<DebugProtocol.Variable> {
    if ('frame' in entry) {
      return this.frameVariable(entry.name, entry.frame, entry.name);
    }
    if ('container' in entry) {
      return {
        name: entry.name,
        value: entry.value,
        ...(entry.type ? { type: entry.type } : {}),
        variablesReference: this.create(entry.container),
      };
    }
    if (entry.editable) {
      this.editable.set(`${parent}\u0000${entry.name}`, entry.editable);
    }
    return {
      name: entry.name,
      value: entry.value,
      ...(entry.type ? { type: entry.type } : {}),
      variablesReference: 0,
    };
  }

  private async frameChildren(frame: DataFrame): Promise<DebugProtocol.Variable[]> {
    const [rows, schema, sql] = await Promise.all([frame.count(), frame.schema(), frame.toSQL()]);
    return [
      {
        name: 'schema',
        value: schema.map((f) => `${f.name} ${f.type}`).join(', '),
        variablesReference: this.create({ kind: 'schema', frame }),
        namedVariables: schema.length,
      },
      {
        name: 'rows',
        value: `${rows.toLocaleString('en-US')} ${rows === 1 ? 'row' : 'rows'}`,
        variablesReference: rows > 0 ? this.create({ kind: 'rows', frame }) : 0,
        indexedVariables: rows,
      },
      { name: 'sql', value: sql, type: 'string', variablesReference: 0 },
    ];
  }

  private async rows(
    frame: DataFrame,
    start: number,
    count: number,
  ): Promise<DebugProtocol.Variable[]> {
    const [{ text, params }, schema] = await Promise.all([frame.compile(), frame.schema()]);
    const reader = await frame.session.query(
      `SELECT CAST(COLUMNS(*) AS VARCHAR) FROM (${text}) LIMIT ${Math.max(0, count)} OFFSET ${Math.max(0, start)}`,
      params,
    );
    return reader.getRows().map((row, i) => {
      const cells: [string, string, string][] = schema.map((f, c) => [
        f.name,
        shown(row[c] as string | null, f.type),
        f.type,
      ]);
      const summary = cells
        .slice(0, SUMMARY_CELLS)
        .map(([n, v]) => `${n}: ${v}`)
        .join(', ');
      return {
        name: `[${start + i}]`,
        value: `{${summary}${cells.length > SUMMARY_CELLS ? ', …' : ''}}`,
        variablesReference: this.create({ kind: 'row', cells }),
        namedVariables: cells.length,
      };
    });
  }
}

/** `3 rows × 2 columns`. */
export function describeFrame(rows: number, columns: number): string {
  const r = `${rows.toLocaleString('en-US')} ${rows === 1 ? 'row' : 'rows'}`;
  return `${r} × ${columns} ${columns === 1 ? 'column' : 'columns'}`;
}

/** A cell as DuckDB prints it; text values are quoted so they read apart from numbers. */
function shown(value: string | null, type: string): string {
  if (value === null) {
    return 'NULL';
  }
  // Anchored, so that lists and structs of text (`VARCHAR[]`) show as DuckDB prints them.
  return /^(VARCHAR|UUID|JSON)$|^ENUM\(/.test(type) ? JSON.stringify(value) : value;
}
