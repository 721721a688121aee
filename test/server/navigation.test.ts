/**
 * Hover, definition, references, rename and document symbols through the protocol. The
 * cross-file cases use a bronze step defined in one pipeline file and read by another that
 * imports it; the reading file is never opened, so it comes from disk.
 */
import assert from 'node:assert/strict';
import { readFileSync, rmSync } from 'node:fs';
import { after, before, describe, test } from 'node:test';
import { ResponseError, SymbolKind, type Location } from 'vscode-languageserver-protocol';
import { RUNS_CHANGED_NOTIFICATION } from '../../protocol/languageProtocol.js';
import { fixture, FIXTURES, LspClient, positionOf, rangeOf, uriOf } from './lspClient.js';
import { runPipeline, tempWarehouse } from './runs.js';

const FLIGHTS = fixture('flights_like');
const FLIGHTS_TEXT = readFileSync(FLIGHTS, 'utf8');
const SHARED = fixture('shared_bronze');
const SHARED_TEXT = readFileSync(SHARED, 'utf8');
const READER = fixture('reads_shared_bronze');
const READER_TEXT = readFileSync(READER, 'utf8');

/** Locations as `file:line:character-character` strings, sorted, for readable comparisons. */
function where(locations: Location[]): string[] {
  return locations
    .map(({ uri, range: { start, end } }) => {
      const file = uri.slice(uri.lastIndexOf('/') + 1);
      return `${file}:${start.line}:${start.character}-${end.character}`;
    })
    .sort();
}

function at(file: string, text: string, needle: string, nth = 0, part?: string): string {
  const { start, end } = rangeOf(text, needle, nth, part);
  return `${file.slice(file.lastIndexOf('/') + 1)}:${start.line}:${start.character}-${end.character}`;
}

void describe('navigation', () => {
  let client: LspClient;
  let flights: string;
  let shared: string;
  const { folder, warehouse } = tempWarehouse();

  before(async () => {
    client = await LspClient.start({ folders: [FIXTURES], settings: { warehouse } });
    flights = await client.open(FLIGHTS);
    shared = await client.open(SHARED);
  });
  after(async () => {
    await client.stop();
    rmSync(folder, { recursive: true, force: true });
  });

  void test('hover on a source shows the step and its last run', async () => {
    assert.equal((await runPipeline(FLIGHTS, warehouse)).status, 'completed');
    const seen = client.lensRefreshCount;
    await client.notify(RUNS_CHANGED_NOTIFICATION, {});
    await client.lensRefreshAfter(seen);

    const range = rangeOf(FLIGHTS_TEXT, "['clean_flights']", 0, 'clean_flights');
    const hover = await client.hover(flights, {
      ...range.start,
      character: range.start.character + 3,
    });
    assert.deepEqual(hover?.range, range);
    const value = (hover?.contents as { kind: string; value: string }).value
      .replace(/\(\d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC\)/, '(TIME)')
      .replace(/\| \d+ ms \|/, '| MS |');
    assert.equal(
      value,
      [
        '**clean_flights** · silver step',
        '',
        'Reads `flights`, `airports` · read by `delay_by_origin`, `delay_by_city`',
        '',
        '**Last run** (TIME): completed',
        '',
        '| rows | valid | invalid | rate | duration |',
        '| ---: | ---: | ---: | ---: | ---: |',
        '| 1,000 | 999 | 1 | 99.9% | MS |',
        '',
        '| column | type |',
        '| --- | --- |',
        '| origin | VARCHAR |',
        '| delay | BIGINT |',
        '| distance | BIGINT |',
        '| city | VARCHAR |',
      ].join('\n'),
    );
  });

  void test('hover on a step that never ran says so', async () => {
    const hover = await client.hover(shared, positionOf(SHARED_TEXT, "'customers'", 0, 1));
    assert.equal(
      (hover?.contents as { value: string }).value,
      '**customers** · bronze step\n\nReads its pipeline source · read by `active_customers`, ' +
        '`customer_count`\n\nNot run yet.',
    );
    assert.equal(await client.hover(shared, positionOf(SHARED_TEXT, 'BronzeStep({')), null);
  });

  void test('definition, in the same file and in an imported one', async () => {
    const local = await client.definition(
      flights,
      positionOf(FLIGHTS_TEXT, "sourceBronze: 'flights'", 0, 16),
    );
    assert.deepEqual(where(local), [at(FLIGHTS, FLIGHTS_TEXT, "name: 'flights'", 0, 'flights')]);

    const reader = await client.open(READER);
    const imported = await client.definition(
      reader,
      positionOf(READER_TEXT, "sourceBronze: 'customers'", 0, 16),
    );
    assert.deepEqual(where(imported), [
      at(SHARED, SHARED_TEXT, "name: 'customers'", 0, 'customers'),
    ]);
    await client.close(reader);
  });

  void test('references across two files, with and without the declaration', async () => {
    const position = positionOf(SHARED_TEXT, "name: 'customers'", 0, 8);
    const readers = [
      at(READER, READER_TEXT, "sourceBronze: 'customers'", 0, 'customers'),
      at(READER, READER_TEXT, "'active_customers', 'customers'", 0, 'customers'),
    ];
    assert.deepEqual(where(await client.references(shared, position, false)), readers);
    assert.deepEqual(
      where(await client.references(shared, position, true)),
      [...readers, at(SHARED, SHARED_TEXT, "name: 'customers'", 0, 'customers')].sort(),
    );
  });

  void test('rename a step and every reference to it, in both files', async () => {
    const position = positionOf(SHARED_TEXT, "name: 'customers'", 0, 9);
    assert.deepEqual(await client.prepareRename(shared, position), {
      range: rangeOf(SHARED_TEXT, "name: 'customers'", 0, 'customers'),
      placeholder: 'customers',
    });
    const edit = await client.rename(shared, position, 'clients');
    const changes = Object.entries(edit?.changes ?? {}).flatMap(([uri, edits]) =>
      edits.map((e) => ({ uri, range: e.range, newText: e.newText })),
    );
    assert.deepEqual(
      where(changes).map((w) => `${w} clients`),
      [
        at(READER, READER_TEXT, "sourceBronze: 'customers'", 0, 'customers'),
        at(READER, READER_TEXT, "'active_customers', 'customers'", 0, 'customers'),
        at(SHARED, SHARED_TEXT, "name: 'customers'", 0, 'customers'),
      ]
        .sort()
        .map((w) => `${w} clients`),
    );
    assert.ok(changes.every((c) => c.newText === 'clients'));
    assert.deepEqual(
      Object.keys(edit?.changes ?? {}).sort(),
      [uriOf(READER), uriOf(SHARED)].sort(),
    );
  });

  void test('rename refuses names that are taken, unwritable, or not step names', async () => {
    const position = positionOf(SHARED_TEXT, "name: 'customers'", 0, 9);
    await assert.rejects(client.rename(shared, position, 'active_customers'), (error) => {
      assert.ok(error instanceof ResponseError);
      assert.equal(
        error.message,
        `A step named 'active_customers' already exists in ${READER}; step names must be ` +
          'unique. Choose another name.',
      );
      return true;
    });
    await assert.rejects(client.rename(shared, position, "it's"), {
      message:
        "'it's' cannot be a step name: a step name must not contain quotes, backslashes or " +
        'line breaks. Choose another name.',
    });
    await assert.rejects(client.prepareRename(shared, positionOf(SHARED_TEXT, 'sharedBronze')), {
      message:
        'Only step names can be renamed here: put the cursor on the name of a step, or on a ' +
        'step name in sourceBronze or sourceSilvers.',
    });
  });

  void test('document symbols grouped by layer', async () => {
    const symbols = await client.symbols(flights);
    assert.deepEqual(
      symbols.map((s) => [s.name, s.kind, s.detail, s.children?.map((c) => [c.name, c.detail])]),
      [
        [
          'Bronze',
          SymbolKind.Namespace,
          '2 steps',
          [
            ['flights', 'bronze step'],
            ['airports', 'bronze step'],
          ],
        ],
        ['Silver', SymbolKind.Namespace, '1 step', [['clean_flights', 'reads flights, airports']]],
        [
          'Gold',
          SymbolKind.Namespace,
          '2 steps',
          [
            ['delay_by_origin', 'reads clean_flights'],
            ['delay_by_city', 'reads clean_flights'],
          ],
        ],
      ],
    );
    const clean = symbols[1]!.children![0]!;
    assert.deepEqual(
      clean.selectionRange,
      rangeOf(FLIGHTS_TEXT, "name: 'clean_flights'", 0, 'clean_flights'),
    );
    assert.equal(clean.range.start.line, clean.selectionRange.start.line - 1);
  });
});
