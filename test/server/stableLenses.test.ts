/**
 * Lenses stay on their steps while a file is edited without saving: three lines inserted above a
 * step move its lenses with it, and typing a half-finished step below it, one keystroke at a time,
 * neither drops, duplicates nor moves the lenses of the steps the parser loses meanwhile.
 */
import assert from 'node:assert/strict';
import { readFileSync, rmSync } from 'node:fs';
import { after, before, describe, test } from 'node:test';
import type { CodeLens, Position } from 'vscode-languageserver-protocol';
import { fixture, FIXTURES, LspClient, positionOf } from './lspClient.js';
import { tempWarehouse } from './runs.js';

const PIPELINE = fixture('flights_like');
const STEPS = ['flights', 'airports', 'clean_flights', 'delay_by_origin', 'delay_by_city'];
const ACTIONS = ['Run until here', 'Run step', 'Rerun with params…', 'Debug until here'];
const COMMENT =
  '    // Flights joined with their origin airport:\n    // one row per flight,\n    // delays checked.\n';
const HALF_STEP = "    new SilverStep({\n      name: 'half_typed',\n      sourceBronze: 'fli";
const REST_OF_STEP = "ghts',\n      transform: (_session, flights) => flights,\n    }),";

/** The lenses as `line: titles` strings, one per step line. */
function lensLines(lenses: CodeLens[]): string[] {
  const lines = new Map<number, string[]>();
  for (const lens of lenses) {
    assert.equal(lens.range.start.character, 4, 'a lens is not at its step keyword');
    const titles = lines.get(lens.range.start.line) ?? [];
    titles.push(lens.command?.title ?? '');
    lines.set(lens.range.start.line, titles);
  }
  return [...lines].map(([line, titles]) => `${line}: ${titles.join(' | ')}`);
}

/** What the lenses must be for a text: the actions on the header line of each given step. */
function expected(text: string, steps: readonly string[]): string[] {
  return steps.map((s) => `${positionOf(text, `name: '${s}'`).line - 1}: ${ACTIONS.join(' | ')}`);
}

/** The editor's side of a buffer: its text, version and an insert at a position. */
class Buffer {
  version = 1;

  constructor(
    private readonly client: LspClient,
    readonly uri: string,
    public text: string,
  ) {}

  async insert(at: Position, inserted: string): Promise<void> {
    const lines = this.text.split('\n');
    const offset = lines.slice(0, at.line).reduce((sum, l) => sum + l.length + 1, 0) + at.character;
    this.text = this.text.slice(0, offset) + inserted + this.text.slice(offset);
    this.version += 1;
    await this.client.change(this.uri, this.version, [
      { range: { start: at, end: at }, text: inserted },
    ]);
  }

  /** Types text one character at a time at `at`, calling `each` after every keystroke. */
  async type(at: Position, typed: string, each: () => Promise<void>): Promise<Position> {
    let cursor = at;
    for (const char of typed) {
      await this.insert(cursor, char);
      cursor =
        char === '\n'
          ? { line: cursor.line + 1, character: 0 }
          : { line: cursor.line, character: cursor.character + 1 };
      await each();
    }
    return cursor;
  }
}

void describe('lenses while typing', () => {
  let client: LspClient;
  let buffer: Buffer;
  const { folder, warehouse } = tempWarehouse();

  before(async () => {
    client = await LspClient.start({ folders: [FIXTURES], settings: { warehouse } });
    const text = readFileSync(PIPELINE, 'utf8');
    buffer = new Buffer(client, await client.open(PIPELINE, text), text);
  });
  after(async () => {
    await client.stop();
    rmSync(folder, { recursive: true, force: true });
  });

  void test('three lines inserted above a step move its lenses with it', async () => {
    const before = lensLines(await client.codeLens(buffer.uri));
    assert.deepEqual(before, expected(buffer.text, STEPS));

    const header = positionOf(buffer.text, "name: 'clean_flights'").line - 1;
    await buffer.insert({ line: header, character: 0 }, COMMENT);
    const after = lensLines(await client.codeLens(buffer.uri));
    assert.deepEqual(after, expected(buffer.text, STEPS));
    assert.equal(after[2], before[2]!.replace(/^\d+/, String(header + 3)));
  });

  void test('a half-finished step typed below keeps every lens in place, once', async () => {
    const published = client.publishCount(buffer.uri);
    const closing = positionOf(buffer.text, "new GoldStep({\n      name: 'delay_by_origin'");
    await buffer.insert({ line: closing.line, character: 0 }, '\n');
    const start = { line: closing.line, character: 0 };

    let previous: string[] | undefined;
    let previousLine = -1;
    const cursor = await buffer.type(start, HALF_STEP, async () => {
      const lenses = lensLines(await client.codeLens(buffer.uri));
      assert.deepEqual(lenses, expected(buffer.text, STEPS), `after typing:\n${buffer.text}`);
      const typingLine = buffer.text.split('\n').length;
      if (previous && typingLine === previousLine) {
        assert.deepEqual(lenses, previous, 'lenses changed on a keystroke that added no line');
      }
      previous = lenses;
      previousLine = typingLine;
    });

    await buffer.type(cursor, REST_OF_STEP, () => Promise.resolve());
    const finished = lensLines(await client.codeLens(buffer.uri));
    assert.deepEqual(
      finished,
      expected(buffer.text, [...STEPS.slice(0, 3), 'half_typed', ...STEPS.slice(3)]),
    );

    // Diagnostics wait for typing to pause: far fewer publishes than keystrokes.
    await client.diagnosticsOfVersion(buffer.uri, buffer.version);
    const publishes = client.publishCount(buffer.uri) - published;
    assert.ok(
      publishes < 10,
      `${publishes} publishes for ${HALF_STEP.length + REST_OF_STEP.length} keystrokes`,
    );
  });
});
