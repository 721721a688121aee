// Launching the debug adapter: every bad launch configuration ends the launch with an error that
// names the attribute or the file and line, and the launch attributes noDebug, until, only and
// stopOnEntry decide how far the pipeline runs and where it stops.
import assert from 'node:assert/strict';
import { copyFile, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import {
  DEBUG_FIXTURES,
  fixture,
  lineOf,
  queryWarehouse,
  withDap,
  type Launch,
} from './dapClient.js';

const THREE_STEPS = fixture('three_steps');

/** The error message of a launch that must fail. */
function launchError(attributes: Launch): Promise<string> {
  return withDap((dap) => dap.launchError(attributes));
}

void describe('a bad launch configuration ends the launch with an error', () => {
  void test('a missing pipeline attribute is named, with an example', async () => {
    const message = await launchError({});
    assert.match(message, /no 'pipeline' attribute/);
    assert.match(message, /"pipeline": "\$\{file\}"/);
  });

  void test('an attribute of the wrong type is named with the type it needs', async () => {
    const message = await launchError({
      pipeline: THREE_STEPS,
      writeOutputs: 'no' as unknown as boolean,
    });
    assert.match(message, /Launch attribute 'writeOutputs' must be a boolean, got "no"\./);
    const database = await launchError({
      pipeline: THREE_STEPS,
      database: 42 as unknown as string,
    });
    assert.match(database, /Launch attribute 'database' must be a string, got 42\./);
  });

  void test('a pipeline file that does not exist is named with the attribute', async () => {
    const message = await launchError({ pipeline: '/no/such/dir/gone.pipeline.ts' });
    assert.match(message, /\/no\/such\/dir\/gone\.pipeline\.ts/);
    assert.match(message, /launch attribute 'pipeline'/);
    assert.match(message, /does not exist/);
  });

  void test('a syntax error names the file, line and column', async () => {
    await withDap(async (dap) => {
      const pipeline = join(dap.dir, 'syntax_error.pipeline.ts');
      await copyFile(join(DEBUG_FIXTURES, 'syntax_error.pipeline.ts.txt'), pipeline);
      const message = await dap.launchError({ pipeline });
      assert.ok(message.startsWith(`${pipeline}:14:3: `), message);
      assert.match(message, /Unexpected "\]"/);
    });
  });

  void test('an unknown step in until lists the known steps and suggests the closest', async () => {
    const message = await launchError({ pipeline: THREE_STEPS, until: 'clean_order' });
    assert.equal(
      message,
      "Launch attribute 'until': there is no step named 'clean_order'. Did you mean " +
        "'clean_orders'? Known steps: 'orders', 'clean_orders' and 'totals'.",
    );
  });

  void test('an unknown step in only suggests the closest, and none when nothing is close', async () => {
    const close = await launchError({ pipeline: THREE_STEPS, only: 'total' });
    assert.match(close, /^Launch attribute 'only': there is no step named 'total'\. /);
    assert.match(close, /Did you mean 'totals'\?/);

    const far = await launchError({ pipeline: THREE_STEPS, only: 'zzzzzzzz' });
    assert.match(far, /no step named 'zzzzzzzz'/);
    assert.doesNotMatch(far, /Did you mean/);
    assert.match(far, /Known steps: 'orders', 'clean_orders' and 'totals'\./);
  });

  void test('a dependency cycle is refused with its whole path and the file', async () => {
    const pipeline = fixture('cycle');
    const message = await launchError({ pipeline });
    assert.ok(message.startsWith(`${pipeline}:`), message);
    assert.match(message, /a → b → a/);
  });

  void test('stepParams naming an unknown step is refused with a suggestion', async () => {
    const message = await launchError({
      pipeline: THREE_STEPS,
      stepParams: { clean_order: { minAmount: 1 } },
    });
    assert.match(message, /^Launch attribute 'stepParams': there is no step named 'clean_order'/);
    assert.match(message, /Did you mean 'clean_orders'\?/);
  });

  void test('stepParams that are not objects are refused', async () => {
    const notObject = await launchError({
      pipeline: THREE_STEPS,
      stepParams: [1] as unknown as Launch['stepParams'],
    });
    assert.match(notObject, /^Launch attribute 'stepParams' must be an object/);

    const entry = await launchError({
      pipeline: THREE_STEPS,
      stepParams: { clean_orders: 5 } as unknown as Launch['stepParams'],
    });
    assert.equal(
      entry,
      "Launch attribute 'stepParams.clean_orders' must be an object of named params, got 5.",
    );
  });

  void test('an unknown mode lists the valid modes', async () => {
    const message = await launchError({
      pipeline: THREE_STEPS,
      mode: 'fast' as unknown as Launch['mode'],
    });
    assert.equal(
      message,
      "Launch attribute 'mode' is 'fast'; use one of initial, incremental, full_refresh, " +
        'validation_only.',
    );
  });
});

void test('noDebug runs to the end past breakpoints and stopOnEntry, and writes outputs', async () => {
  await withDap(async (dap) => {
    const line = await lineOf(THREE_STEPS, "name: 'clean_orders'");
    await dap.launch(
      { pipeline: THREE_STEPS, noDebug: true, stopOnEntry: true },
      { lines: [line] },
    );
    assert.equal(await dap.stopOrEnd(), 'terminated');
    assert.match(dap.output(), /Pipeline completed: 3 step\(s\) run, 0 failed/);

    await dap.shutDown();
    assert.deepEqual(await queryWarehouse(dap.database, 'SELECT * FROM shop.totals ORDER BY 1'), [
      ['ann', '2', '40'],
      ['bob', '1', '20'],
    ]);
    assert.deepEqual(await queryWarehouse(dap.database, 'SELECT count(*) FROM shop.clean_orders'), [
      ['3'],
    ]);
  });
});

void test('until stops after that step, and the steps after it never run', async () => {
  await withDap(async (dap) => {
    await dap.launch({ pipeline: THREE_STEPS, until: 'clean_orders' });
    const stop = await dap.stopped();
    assert.equal(stop.reason, 'step');
    const top = (await dap.frames())[0];
    assert.equal(top?.name, 'silver clean_orders · done');
    assert.deepEqual(Object.keys(await dap.scopeValues('Context')), ['orders', 'clean_orders']);

    await dap.runToEnd();
    assert.match(dap.output(), /Pipeline completed: 2 step\(s\) run, 0 failed/);
    assert.doesNotMatch(dap.output(), /totals/);
  });
});

void test('only runs one step, loading its input from the warehouse of an earlier run', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'stepwise-only-'));
  const database = join(dir, 'warehouse.duckdb');
  try {
    await withDap(async (dap) => {
      await dap.launch({ pipeline: THREE_STEPS, database, only: 'totals' });
      const stop = await dap.stopped();
      assert.equal(stop.reason, 'exception');
      assert.match(
        stop.text ?? '',
        /needs the output of 'clean_orders', which is neither in the context nor in the warehouse/,
      );
      await dap.runToEnd();
    });

    // An earlier run with a higher minimum leaves one order in the warehouse's clean_orders.
    await withDap(async (dap) => {
      const stepParams = { clean_orders: { minAmount: 25 } };
      await dap.launch({ pipeline: THREE_STEPS, database, noDebug: true, stepParams });
      await dap.terminated();
    });

    await withDap(async (dap) => {
      await dap.launch({ pipeline: THREE_STEPS, database, only: 'totals', stopOnEntry: true });
      assert.equal((await dap.stopped()).reason, 'entry');
      assert.deepEqual(await dap.stack(), ['totals', 'clean_orders', 'orders']);

      await dap.runToEnd();
      const output = dap.output();
      assert.match(output, /✓ gold totals · 1 row/);
      assert.doesNotMatch(output, /bronze orders|silver clean_orders/);
      assert.match(output, /Pipeline completed: 1 step\(s\) run, 0 failed/);
    });
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

void test('stopOnEntry stops before the first step with an empty context', async () => {
  await withDap(async (dap) => {
    await dap.launch({ pipeline: THREE_STEPS, stopOnEntry: true });
    assert.equal((await dap.stopped()).reason, 'entry');
    assert.deepEqual(await dap.stack(), ['orders']);
    assert.deepEqual(await dap.scopeValues('Context'), {});
    assert.equal(dap.output(), '');
    await dap.runToEnd();
  });
});
