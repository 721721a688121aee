// The CLI against a warehouse file another process holds: it says it is waiting, and it finishes
// once the file is free.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { ChildScript, FIXTURES } from '../../../test/helpers.js';
import { CliProcess, fixture, makeTempDir, removeDir } from './cliHarness.js';

void test(
  'a busy warehouse is announced while the run waits for it',
  { timeout: 60_000 },
  async () => {
    const dir = await makeTempDir();
    const database = join(dir, 'warehouse.duckdb');
    const holder = new ChildScript(join(FIXTURES, 'warehouse', 'holdWarehouse.ts'), [database]);
    let cli: CliProcess | undefined;
    try {
      await holder.waitForLine('HOLDING');
      cli = new CliProcess(['run', fixture('three_layers'), '--database', database]);
      await cli.waitForStderr(
        /… waiting for the warehouse .*warehouse\.duckdb, in use by another process \(pid \d+\)/,
      );
      holder.send('release');
      const { code, stderr } = await cli.result();
      assert.equal(code, 0, stderr);
    } finally {
      await cli?.stop();
      await holder.kill();
      await removeDir(dir);
    }
  },
);
