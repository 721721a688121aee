// Ctrl-C on the built CLI: the first SIGINT interrupts the running DuckDB query, reports the step
// cancelled and exits 130 with the step's earlier table untouched; a second SIGINT exits at once.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import {
  CliProcess,
  fixture,
  makeTempDir,
  queryWarehouse,
  removeDir,
  rowText,
  runPipeline,
  words,
} from './cliHarness.js';

const PIPELINE = fixture('long_step');

/** How long a cancelled run may take to exit; the slow query alone would run for hours. */
const EXIT_WITHIN_MS = 5000;

void describe('stepwise run and Ctrl-C', () => {
  let dir: string;
  let running: CliProcess | undefined;

  before(async () => {
    dir = await makeTempDir();
  });
  after(async () => {
    await running?.stop();
    await removeDir(dir);
  });

  void it('cancels a long query, exits 130 and leaves the written table as it was', async () => {
    const database = join(dir, 'cancel.duckdb');
    const quick = await runPipeline(PIPELINE, '', database);
    assert.equal(quick.code, 0, quick.stderr);

    running = new CliProcess([
      'run',
      PIPELINE,
      ...words('--param slow_count.slow=true --database'),
      database,
    ]);
    await running.waitForStderr(/^→ silver slow_count/m);
    const sent = Date.now();
    running.child.kill('SIGINT');
    const { code, stdout, stderr } = await running.result();

    assert.equal(code, 130, stderr);
    assert.ok(Date.now() - sent < EXIT_WITHIN_MS, `exit took ${Date.now() - sent} ms`);
    assert.match(stderr, /Cancelling…/);
    assert.match(stderr, /^✗ silver slow_count {2}cancelled after/m);
    assert.equal(rowText(stdout, 'slow_count', 0, 3), 'slow_count | silver | cancelled');
    assert.match(stdout, /^Cancelled · 2 steps \(1 completed, 1 cancelled\)/m);
    const rows = await queryWarehouse(database, 'SELECT n FROM fixture.slow_count');
    assert.deepEqual(rows, [{ n: '1000' }]);
  });

  void it('exits at once on a second Ctrl-C when the first cannot stop the step', async () => {
    running = new CliProcess([
      'run',
      PIPELINE,
      ...words('--param slow_count.stall=true --database'),
      join(dir, 'stall.duckdb'),
    ]);
    await running.waitForStderr(/^→ silver slow_count/m);
    running.child.kill('SIGINT');
    await running.waitForStderr(/Cancelling…/);
    const sent = Date.now();
    running.child.kill('SIGINT');
    const { code, stdout } = await running.result();

    assert.equal(code, 130);
    assert.ok(Date.now() - sent < EXIT_WITHIN_MS, `exit took ${Date.now() - sent} ms`);
    assert.equal(stdout, '', 'a forced exit prints no report');
  });
});
