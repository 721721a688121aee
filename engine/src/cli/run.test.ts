// `stepwise run` end to end through the built CLI on the three_layers fixture, whose every count
// is known: a full run, --until, --step, params from flags and a file, --no-write and --json.
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { PipelineReport } from '../report.js';
import {
  fixture,
  makeTempDir,
  queryWarehouse,
  removeDir,
  rowText,
  runPipeline,
} from './cliHarness.js';

const PIPELINE = fixture('three_layers');

/** Table cells from step to table, leaving out the time, which varies. */
const STEP_COLUMNS = 10;

void describe('stepwise run', () => {
  let dir: string;
  let count = 0;
  /** A warehouse path of its own for each run that needs a fresh one. */
  const freshDatabase = (): string => join(dir, `warehouse-${++count}.duckdb`);
  const tablesIn = (database: string): Promise<Record<string, unknown>[]> =>
    queryWarehouse(
      database,
      "SELECT table_name FROM duckdb_tables() WHERE schema_name = 'fixture' ORDER BY 1",
    );

  before(async () => {
    dir = await makeTempDir();
  });
  after(async () => {
    await removeDir(dir);
  });

  void it('runs every step and prints exact counts, failed rules and progress', async () => {
    const database = freshDatabase();
    const { code, stdout, stderr } = await runPipeline(PIPELINE, '', database);

    assert.equal(code, 0, stderr);
    const row = (step: string): string | undefined => rowText(stdout, step, 0, STEP_COLUMNS);
    assert.equal(row('events'), 'events | bronze | completed | 6 | 6 | 5 | 1 | 83.3% | 0 | –');
    assert.equal(
      row('clean_events'),
      'clean_events | silver | completed | 5 | 5 | 4 | 1 | 80.0% | 4 | fixture.clean_events',
    );
    assert.equal(
      row('totals_by_user'),
      'totals_by_user | gold | completed | 4 | 3 | 3 | 0 | 100% | 3 | fixture.totals_by_user',
    );
    assert.match(stdout, /^Completed · 3 steps \(3 completed\) · .* · mode initial · warehouse /m);
    const rules = stdout.slice(stdout.indexOf('Rules that failed:'));
    assert.equal(rowText(rules, 'events'), 'events | user_name:not_null | 1 | 6');
    assert.equal(rowText(rules, 'clean_events'), 'clean_events | amount:positive | 1 | 5');
    assert.match(stderr, /^→ silver clean_events \(2\/3\)$/m);
    assert.match(stderr, /^✓ silver clean_events {2}5 rows · 80\.0% valid · \d+ ms$/m);

    const totals = await queryWarehouse(
      database,
      'SELECT user_name, events, total FROM fixture.totals_by_user ORDER BY user_name',
    );
    assert.deepEqual(totals, [
      { user_name: 'ann', events: '2', total: '40' },
      { user_name: 'bob', events: '1', total: '20' },
      { user_name: 'cy', events: '1', total: '50' },
    ]);
  });

  void it('stops after the --until step', async () => {
    const database = freshDatabase();
    const { code, stdout, stderr } = await runPipeline(PIPELINE, '--until clean_events', database);

    assert.equal(code, 0, stderr);
    assert.ok(rowText(stdout, 'clean_events'));
    assert.equal(rowText(stdout, 'totals_by_user'), undefined);
    assert.match(stdout, /^Completed · 2 steps/m);
    assert.deepEqual(await tablesIn(database), [
      { table_name: 'clean_events' },
      { table_name: 'clean_events__invalid' },
    ]);
  });

  void it('runs one --step on the output an earlier run left in the warehouse', async () => {
    const database = freshDatabase();
    const flags = '--until clean_events --param clean_events.minAmount=25';
    const first = await runPipeline(PIPELINE, flags, database);
    assert.equal(first.code, 0, first.stderr);

    // Without the param clean_events would keep 4 rows; 2 rows in gold prove it was read back.
    const { code, stdout, stderr } = await runPipeline(PIPELINE, '--step totals_by_user', database);
    assert.equal(code, 0, stderr);
    assert.equal(rowText(stdout, 'clean_events'), undefined);
    assert.equal(rowText(stdout, 'totals_by_user', 3, 9), '2 | 2 | 2 | 0 | 100% | 2');
  });

  void it('fails a --step whose input is in no warehouse, and says how to get it', async () => {
    const { code, stdout, stderr } = await runPipeline(
      PIPELINE,
      '--step totals_by_user',
      freshDatabase(),
    );

    assert.equal(code, 1, stderr);
    assert.match(stderr, /✗ gold totals_by_user {2}failed/);
    assert.match(stdout, /needs the output of 'clean_events', which is neither in the context nor/);
    assert.match(stdout, /--until clean_events/);
  });

  void it('--param changes the rows a step keeps', async () => {
    const flags = '--param clean_events.minAmount=25';
    const { code, stdout, stderr } = await runPipeline(PIPELINE, flags, freshDatabase());

    assert.equal(code, 0, stderr);
    assert.equal(rowText(stdout, 'clean_events', 3, 9), '5 | 2 | 2 | 0 | 100% | 2');
    assert.equal(rowText(stdout, 'totals_by_user', 3, 5), '2 | 2');
  });

  void it('reads --params from a file, and a --param flag wins over it', async () => {
    const file = join(dir, 'params.json');
    await writeFile(file, JSON.stringify({ clean_events: { minAmount: 15 } }));

    const fromFile = await runPipeline(PIPELINE, `--params ${file}`, freshDatabase());
    assert.equal(fromFile.code, 0, fromFile.stderr);
    assert.equal(rowText(fromFile.stdout, 'clean_events', 4, 5), '3');

    const flags = `--params ${file} --param clean_events.minAmount=45`;
    const overridden = await runPipeline(PIPELINE, flags, freshDatabase());
    assert.equal(overridden.code, 0, overridden.stderr);
    assert.equal(rowText(overridden.stdout, 'clean_events', 4, 5), '1');
  });

  void it('--no-write validates everything and leaves no output table', async () => {
    const database = freshDatabase();
    const { code, stdout, stderr } = await runPipeline(PIPELINE, '--no-write', database);

    assert.equal(code, 0, stderr);
    assert.equal(rowText(stdout, 'clean_events', 3, STEP_COLUMNS), '5 | 5 | 4 | 1 | 80.0% | 0 | –');
    assert.match(stdout, /· nothing written ·/);
    // The run history is still kept, so the file exists; it must hold no step table.
    assert.ok(existsSync(database));
    assert.deepEqual(await tablesIn(database), []);
  });

  void it('--json prints only the report as JSON on stdout', async () => {
    const { code, stdout, stderr } = await runPipeline(PIPELINE, '--json', freshDatabase());

    assert.equal(code, 0, stderr);
    const report = JSON.parse(stdout) as PipelineReport;
    assert.equal(report.status, 'completed');
    assert.deepEqual(report.stepOrder, ['events', 'clean_events', 'totals_by_user']);
    const silver = report.silverResults.clean_events!;
    assert.deepEqual(
      [silver.inputRows, silver.outputRows, silver.validRows, silver.invalidRows],
      [5, 5, 4, 1],
    );
    assert.equal(silver.rowsWritten, 4);
    assert.deepEqual(silver.ruleFailures, { 'amount:positive': 1 });
    assert.equal(report.goldResults.totals_by_user!.outputRows, 3);
    assert.equal(report.bronzeResults.events!.invalidRows, 1);
    assert.match(stderr, /✓ gold totals_by_user/);
  });

  void it('exits 1 when a transform throws, pointing at the throwing line', async () => {
    const file = fixture('throws_in_transform');
    const source = await readFile(file, 'utf8');
    const line = source.split('\n').findIndex((l) => l.includes('throw ')) + 1;
    const { code, stdout, stderr } = await runPipeline(file, '', freshDatabase());

    assert.equal(code, 1, stderr);
    const where = `(at ${file}:${line}:`;
    assert.ok(stderr.includes(where), `stderr lacks ${where}:\n${stderr}`);
    assert.match(stderr, /the transform threw: the amount column is missing/);
    assert.match(stdout, /^Failed · 2 steps \(1 completed, 1 failed\)/m);
    assert.ok(stdout.includes(where), `the report lacks ${where}:\n${stdout}`);
  });
});
