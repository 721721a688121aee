/**
 * Completion through the protocol: step names inside `sourceBronze` and `sourceSilvers` strings,
 * also while the step around them is half typed, and column names at rule keys from the last run
 * of the step and of its sources.
 */
import assert from 'node:assert/strict';
import { readFileSync, rmSync } from 'node:fs';
import { after, before, describe, test } from 'node:test';
import type { CompletionItem } from 'vscode-languageserver-protocol';
import { RUNS_CHANGED_NOTIFICATION } from '../../protocol/languageProtocol.js';
import { fixture, FIXTURES, LspClient, positionOf, rangeOf } from './lspClient.js';
import { runPipeline, tempWarehouse } from './runs.js';

const PIPELINE = fixture('flights_like');
const TEXT = readFileSync(PIPELINE, 'utf8');

/** Label, detail and the edit's range and text of each item, in the server's sort order. */
function items(list: CompletionItem[]): [string, string | undefined, string][] {
  return [...list]
    .sort((a, b) => (a.sortText ?? a.label).localeCompare(b.sortText ?? b.label))
    .map((i) => {
      const edit = i.textEdit as {
        range: { start: { character: number }; end: { character: number } };
        newText: string;
      };
      return [
        i.label,
        i.detail,
        `${edit.range.start.character}-${edit.range.end.character}:${edit.newText}`,
      ];
    });
}

void describe('completion', () => {
  let client: LspClient;
  let uri: string;
  let version = 1;
  const { folder, warehouse } = tempWarehouse();

  /** Replaces the buffer's text, as an editor does after a paste. */
  async function setText(text: string): Promise<void> {
    version += 1;
    await client.change(uri, version, [{ text }]);
  }

  before(async () => {
    client = await LspClient.start({ folders: [FIXTURES], settings: { warehouse } });
    uri = await client.open(PIPELINE);
  });
  after(async () => {
    await client.stop();
    rmSync(folder, { recursive: true, force: true });
  });

  void test('step names in a sourceSilvers string, silver steps first', async () => {
    const text = TEXT.replace(
      "name: 'delay_by_city',\n      sourceSilvers: ['clean_flights']",
      "name: 'delay_by_city',\n      sourceSilvers: ['']",
    );
    await setText(text);
    const at = positionOf(text, "sourceSilvers: ['']", 0, 17);
    assert.deepEqual(items(await client.completion(uri, at)), [
      ['clean_flights', 'silver step', `${at.character}-${at.character}:clean_flights`],
      ['flights', 'bronze step', `${at.character}-${at.character}:flights`],
      ['airports', 'bronze step', `${at.character}-${at.character}:airports`],
      ['delay_by_origin', 'gold step', `${at.character}-${at.character}:delay_by_origin`],
    ]);
  });

  void test('step names while the step around them is half typed', async () => {
    const half = "    new SilverStep({\n      name: 'late_flights',\n      sourceBronze: 'fl";
    const text = TEXT.replace(
      "    new GoldStep({\n      name: 'delay_by_origin'",
      `${half}\n    new GoldStep({\n      name: 'delay_by_origin'`,
    );
    await setText(text);
    const at = positionOf(text, "sourceBronze: 'fl", 1, 17);
    const result = items(await client.completion(uri, at));
    assert.deepEqual(result[0], [
      'flights',
      'bronze step',
      `${at.character - 2}-${at.character}:flights`,
    ]);
    assert.ok(!result.some(([label]) => label === 'late_flights'), 'a step cannot read itself');
  });

  void test('no completion outside source strings and rule keys', async () => {
    await setText(TEXT);
    assert.deepEqual(
      await client.completion(uri, positionOf(TEXT, "name: 'clean_flights'", 0, 9)),
      [],
    );
    assert.deepEqual(
      await client.completion(uri, positionOf(TEXT, "'not_null', ['between'", 0, 2)),
      [],
    );
  });

  void test('column names at a rule key, from the last runs of the step and its source', async () => {
    assert.equal((await runPipeline(PIPELINE, warehouse)).status, 'completed');
    const seen = client.lensRefreshCount;
    await client.notify(RUNS_CHANGED_NOTIFICATION, {});
    await client.lensRefreshAfter(seen);

    const text = TEXT.replace(
      "rules: { flights: ['positive'], avg_delay:",
      "rules: { flights: ['positive'], ci, avg_delay:",
    );
    await setText(text);
    const at = positionOf(text, 'ci, avg_delay', 0, 2);
    const start = at.character - 2;
    assert.deepEqual(items(await client.completion(uri, at)), [
      ['origin', 'VARCHAR · last run of delay_by_origin', `${start}-${at.character}:origin`],
      ['flights', 'BIGINT · last run of delay_by_origin', `${start}-${at.character}:flights`],
      ['avg_delay', 'DOUBLE · last run of delay_by_origin', `${start}-${at.character}:avg_delay`],
      ['delay', 'BIGINT · from clean_flights', `${start}-${at.character}:delay`],
      ['distance', 'BIGINT · from clean_flights', `${start}-${at.character}:distance`],
      ['city', 'VARCHAR · from clean_flights', `${start}-${at.character}:city`],
    ]);
  });

  void test('column names in a quoted rule key replace the whole key', async () => {
    const text = TEXT.replace(
      "rules: { flights: ['positive'] },\n    }),\n  ],",
      "rules: { flights: ['positive'], 'ci': ['not_null'] },\n    }),\n  ],",
    );
    await setText(text);
    const key = rangeOf(text, "'ci': ['not_null']", 0, 'ci');
    const result = items(
      await client.completion(uri, { line: key.start.line, character: key.start.character + 1 }),
    );
    assert.deepEqual(result[0], [
      'city',
      'VARCHAR · last run of delay_by_city',
      `${key.start.character}-${key.end.character}:city`,
    ]);
  });
});
