/**
 * Diagnostics through the protocol, one fixture per kind, with exact ranges and messages: cycles
 * (every step, whole path, self-reference too), unknown sources and their quick fix, duplicate
 * names, missing sources, SQL that DuckDB cannot parse, and rules on columns the last run lacked.
 */
import assert from 'node:assert/strict';
import { readFileSync, rmSync } from 'node:fs';
import { after, before, describe, test } from 'node:test';
import { DiagnosticSeverity, type Diagnostic, type Range } from 'vscode-languageserver-protocol';
import { RUNS_CHANGED_NOTIFICATION } from '../../protocol/languageProtocol.js';
import { fixture, FIXTURES, LspClient, rangeOf } from './lspClient.js';
import { runPipeline, tempWarehouse } from './runs.js';

/** The parts of a diagnostic a user sees. */
function seen(diagnostics: Diagnostic[]): { range: Range; message: string; severity?: number }[] {
  return diagnostics.map(({ range, message, severity }) => ({
    range,
    message: typeof message === 'string' ? message : message.value,
    severity,
  }));
}

function error(range: Range, message: string): { range: Range; message: string; severity: number } {
  return { range, message, severity: DiagnosticSeverity.Error };
}

void describe('diagnostics', () => {
  let client: LspClient;
  const { folder, warehouse } = tempWarehouse();

  const opened = new Map<string, string>();

  /** Opens a fixture once (with its own text unless given) and returns its URI. */
  async function open(path: string, text?: string): Promise<string> {
    const uri = opened.get(path) ?? (await client.open(path, text));
    opened.set(path, uri);
    return uri;
  }

  before(async () => {
    client = await LspClient.start({ folders: [FIXTURES], settings: { warehouse } });
  });
  after(async () => {
    await client.stop();
    rmSync(folder, { recursive: true, force: true });
  });

  void test('a cycle on every step of it with the whole path, and an unknown source', async () => {
    const path = fixture('cycle_and_unknown_source');
    const text = readFileSync(path, 'utf8');
    const diagnostics = await client.diagnostics(await open(path));
    const cycle =
      'Steps depend on each other in a cycle: a → b → a. Remove one of these dependencies.';
    assert.deepEqual(seen(diagnostics), [
      error(rangeOf(text, "name: 'a'", 0, 'a'), cycle),
      error(rangeOf(text, "name: 'b'", 0, 'b'), cycle),
      error(
        rangeOf(text, "['rwa']", 0, 'rwa'),
        "Step 'report' reads 'rwa', which is not a step of this pipeline. Did you mean 'raw'?",
      ),
    ]);
    assert.deepEqual(
      diagnostics[0]!.relatedInformation?.map((r) => [r.message, r.location.range]),
      [
        ["'a' reads 'b'", rangeOf(text, "['b']", 0, 'b')],
        ["'b' reads 'a'", rangeOf(text, "['a']", 0, 'a')],
      ],
    );
    assert.deepEqual(
      diagnostics.map((d) => [d.source, d.code]),
      [
        ['stepwise', 'dependency-cycle'],
        ['stepwise', 'dependency-cycle'],
        ['stepwise', 'unknown-source'],
      ],
    );
  });

  void test('the quick fix replaces an unknown source with the suggested name', async () => {
    const uri = await open(fixture('cycle_and_unknown_source'));
    const unknown = (await client.diagnostics(uri)).find((d) => d.code === 'unknown-source')!;
    const edit = { range: unknown.range, newText: 'raw' };

    const actions = await client.codeActions(uri, unknown.range, [unknown]);
    assert.deepEqual(
      actions.map((a) => [a.title, a.kind, a.isPreferred, a.edit?.changes?.[uri]]),
      [["Replace with 'raw'", 'quickfix', true, [edit]]],
    );
    // A client that drops the diagnostic's data gets the same fix.
    const withoutData = { ...unknown, data: undefined };
    const again = await client.codeActions(uri, unknown.range, [withoutData]);
    assert.deepEqual(again[0]?.edit?.changes?.[uri], [edit]);
  });

  void test('a step that reads itself is a cycle of one', async () => {
    const path = fixture('self_reference');
    const text = readFileSync(path, 'utf8');
    const diagnostics = await client.diagnostics(await open(path));
    assert.deepEqual(seen(diagnostics), [
      error(
        rangeOf(text, "name: 'loop'", 0, 'loop'),
        'Steps depend on each other in a cycle: loop → loop. Remove one of these dependencies.',
      ),
    ]);
  });

  void test('both steps that share a name', async () => {
    const path = fixture('duplicate_names');
    const text = readFileSync(path, 'utf8');
    const diagnostics = await client.diagnostics(await open(path));
    const message =
      "Two steps are named 'clean_orders'; step names must be unique. Rename one of them.";
    assert.deepEqual(seen(diagnostics), [
      error(rangeOf(text, "name: 'clean_orders'", 0, 'clean_orders'), message),
      error(rangeOf(text, "name: 'clean_orders'", 1, 'clean_orders'), message),
    ]);
  });

  void test('silver steps without sourceBronze and gold steps without sources', async () => {
    const path = fixture('missing_sources');
    const text = readFileSync(path, 'utf8');
    const diagnostics = await client.diagnostics(await open(path));
    assert.deepEqual(seen(diagnostics), [
      error(
        rangeOf(text, "name: 'no_bronze'", 0, 'no_bronze'),
        "Silver step 'no_bronze' has no sourceBronze: name the bronze step it reads, e.g. " +
          "sourceBronze: 'flights'.",
      ),
      error(
        rangeOf(text, "name: 'no_silvers_field'", 0, 'no_silvers_field'),
        "Gold step 'no_silvers_field' has no sourceSilvers: list the steps it reads, e.g. " +
          "sourceSilvers: ['clean_flights'].",
      ),
      error(
        rangeOf(text, "name: 'no_silvers'", 0, 'no_silvers'),
        "Gold step 'no_silvers' has an empty sourceSilvers list: list the steps it reads, e.g. " +
          "sourceSilvers: ['clean_flights'].",
      ),
    ]);
  });

  void test('SQL that DuckDB cannot parse, in a template and in a rule string', async () => {
    const path = fixture('bad_sql');
    const text = readFileSync(path, 'utf8');
    const diagnostics = await client.diagnostics(await open(path));
    assert.deepEqual(seen(diagnostics), [
      error(
        rangeOf(text, "'amount > 0 AND'", 0, 'AND'),
        "DuckDB cannot parse the SQL rule on column 'amount': syntax error at end of input. " +
          'A rule string is a SQL expression that is true for valid rows.',
      ),
      error(
        rangeOf(text, 'FORM ${orders}', 0, 'FORM'),
        'DuckDB cannot parse this SQL: syntax error at or near "FORM".',
      ),
    ]);
  });

  void test('a SQL error maps back across lines, escapes and interpolations', async () => {
    const path = `${FIXTURES}/unsaved_sql.pipeline.ts`;
    const text = [
      "import { BronzeStep, definePipeline, GoldStep, sql } from '@stepwise/engine';",
      'export default definePipeline({',
      "  schema: 'unsaved',",
      '  steps: [',
      "    new BronzeStep({ name: 'orders', rules: { note: ['note <> \\'é\\' OR'] } }),",
      '    new GoldStep({',
      "      name: 'totals',",
      "      sourceSilvers: ['orders'],",
      '      transform: (_s, { orders }) => sql`',
      '        SELECT ${orders}.amount AS é',
      '        FROM ${orders}',
      '        WHER amount > ${0}`,',
      '    }),',
      '  ],',
      '});',
      '',
    ].join('\n');
    const diagnostics = await client.diagnostics(await open(path, text));
    assert.deepEqual(
      seen(diagnostics).map((d) => [d.range, d.message.replace(/ A rule string.*/, '')]),
      [
        [
          rangeOf(text, "' OR']", 0, 'OR'),
          "DuckDB cannot parse the SQL rule on column 'note': syntax error at end of input.",
        ],
        [
          rangeOf(text, 'WHER amount', 0, 'amount'),
          'DuckDB cannot parse this SQL: syntax error at or near "amount".',
        ],
      ],
    );
  });

  void test('a rule on a column the last run did not produce is a warning', async () => {
    const path = fixture('flights_like');
    assert.equal((await runPipeline(path, warehouse)).status, 'completed');
    await client.notify(RUNS_CHANGED_NOTIFICATION, {});
    const text = readFileSync(path, 'utf8').replace('distance: [[', 'distanse: [[');
    const uri = await open(path, text);
    const diagnostics = await client.diagnostics(uri, (p) => p.diagnostics.length > 0);
    assert.deepEqual(seen(diagnostics), [
      {
        range: rangeOf(text, 'distanse'),
        severity: DiagnosticSeverity.Warning,
        message:
          "Step 'clean_flights' has a rule on column 'distanse', which its last run did not " +
          "produce (it had 'origin', 'delay', 'distance', 'city'). Fix the column name, or run " +
          'the step again if the transform now adds it.',
      },
    ]);
    assert.equal(diagnostics[0]!.code, 'unknown-rule-column');
  });

  void test('closing a file clears its diagnostics', async () => {
    const uri = await open(fixture('self_reference'));
    await client.diagnostics(uri, (p) => p.diagnostics.length === 1);
    await client.close(uri);
    assert.deepEqual(await client.diagnostics(uri, (p) => p.diagnostics.length === 0), []);
  });
});
