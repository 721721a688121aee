// Stepping through a pipeline over the debug protocol: next, step in, step out and continue move
// forward a step or a phase at a time; step back, reverse continue and restart frame move back;
// pause and terminate interrupt a running query; a throwing transform stops on its line.
import type { DebugProtocol } from '@vscode/debugprotocol';
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { fixture, lineOf, named, queryWarehouse, withDap } from './dapClient.js';

const THREE_STEPS = fixture('three_steps');
const LONG_QUERY = fixture('long_query');

void test('next runs the current step and stops before the next one', async () => {
  await withDap(async (dap) => {
    await dap.launch({ pipeline: THREE_STEPS, stopOnEntry: true });
    await dap.stopped();
    assert.deepEqual(await dap.scopeValues('Context'), {});

    const stop = await dap.step('next');
    assert.equal(stop.reason, 'step');
    assert.deepEqual(await dap.stack(), ['clean_orders', 'orders']);
    assert.deepEqual(await dap.scopeValues('Context'), { orders: '4 rows × 3 columns' });

    await dap.step('next');
    assert.deepEqual(await dap.stack(), ['totals', 'clean_orders', 'orders']);
    assert.equal((await dap.scopeValues('Context')).clean_orders, '3 rows × 3 columns');
    await dap.runToEnd();
  });
});

void test('stepIn stops after transform, after validate and after write, then before the next step', async () => {
  await withDap(async (dap) => {
    await dap.launch({ pipeline: THREE_STEPS }, { functions: ['clean_orders'] });
    await dap.stopped();

    await dap.step('stepIn');
    assert.equal((await dap.frames())[0]?.name, 'silver clean_orders · after transform');
    assert.deepEqual(await dap.scopeValues('Output'), { 'transform output': '4 rows × 3 columns' });

    await dap.step('stepIn');
    assert.equal((await dap.frames())[0]?.name, 'silver clean_orders · after validate');
    assert.equal((await dap.scopeValues('Output'))['invalid rows'], '1 row × 4 columns');

    await dap.step('stepIn');
    assert.equal((await dap.frames())[0]?.name, 'silver clean_orders · after write');

    const next = await dap.step('stepIn');
    assert.equal(next.reason, 'step');
    assert.deepEqual(await dap.stack(), ['totals', 'clean_orders', 'orders']);
    assert.equal((await dap.scopeValues('Validation', 1))['valid rows'], '3');
    await dap.runToEnd();
  });
});

void test('stepOut inside a step finishes it and stops before the next step', async () => {
  await withDap(async (dap) => {
    await dap.launch({ pipeline: THREE_STEPS }, { functions: ['clean_orders'] });
    await dap.stopped();
    await dap.step('stepIn');
    assert.equal((await dap.frames())[0]?.name, 'silver clean_orders · after transform');

    const stop = await dap.step('stepOut');
    assert.equal(stop.reason, 'step');
    assert.deepEqual(await dap.stack(), ['totals', 'clean_orders', 'orders']);
    assert.equal((await dap.scopeValues('Validation', 1)).status, 'completed');
    await dap.runToEnd();
  });
});

void test('continue runs to the next breakpoint, then to the end', async () => {
  await withDap(async (dap) => {
    await dap.launch({ pipeline: THREE_STEPS, stopOnEntry: true }, { functions: ['totals'] });
    await dap.stopped();
    const stop = await dap.step('continue');
    assert.equal(stop.reason, 'function breakpoint');
    assert.deepEqual(await dap.stack(), ['totals', 'clean_orders', 'orders']);
    assert.doesNotMatch(dap.output(), /Pipeline/);

    await dap.runToEnd();
    assert.match(dap.output(), /✓ gold totals .*\nPipeline completed: 3 step\(s\) run/);
  });
});

void test('stepBack and reverseContinue restore the context of earlier stops', async () => {
  await withDap(async (dap) => {
    const line = (await lineOf(THREE_STEPS, "name: 'clean_orders'")) - 1;
    await dap.launch({ pipeline: THREE_STEPS }, { lines: [line], functions: ['totals'] });
    await dap.stopped();
    await dap.step('continue');
    assert.deepEqual(Object.keys(await dap.scopeValues('Context')), ['orders', 'clean_orders']);

    const back = await dap.step('stepBack');
    assert.equal(back.reason, 'step');
    assert.deepEqual(await dap.stack(), ['clean_orders', 'orders']);
    assert.deepEqual(Object.keys(await dap.scopeValues('Context')), ['orders']);
    assert.equal((await dap.scopeValues('Validation')).status, 'not run yet');

    await dap.step('next');
    assert.deepEqual(Object.keys(await dap.scopeValues('Context')), ['orders', 'clean_orders']);
    const reverse = await dap.step('reverseContinue');
    assert.equal(reverse.reason, 'breakpoint');
    assert.deepEqual(await dap.stack(), ['clean_orders', 'orders']);
    assert.deepEqual(Object.keys(await dap.scopeValues('Context')), ['orders']);

    const start = await dap.step('reverseContinue');
    assert.equal(start.reason, 'entry');
    assert.deepEqual(await dap.stack(), ['orders']);
    assert.deepEqual(await dap.scopeValues('Context'), {});
    await dap.step('continue');
    await dap.terminate();
  });
});

void test('restartFrame reruns a step with its current params and drops downstream outputs', async () => {
  await withDap(async (dap) => {
    await dap.launch({ pipeline: THREE_STEPS, until: 'totals' });
    await dap.stopped();
    assert.equal((await dap.frames())[0]?.name, 'gold totals · done');
    assert.equal((await dap.scopeValues('Context')).totals, '2 rows × 3 columns');

    const params = named(await dap.scope('Step', 1), 'params');
    await dap.children(params.variablesReference);
    await dap.client.setVariableRequest({
      variablesReference: params.variablesReference,
      name: 'minAmount',
      value: '25',
    });
    const stop = await dap.restartFrame('clean_orders');
    assert.equal(stop.reason, 'restart');
    assert.deepEqual(await dap.stack(), ['totals', 'clean_orders', 'orders']);
    assert.deepEqual(await dap.scopeValues('Context'), {
      orders: '4 rows × 3 columns',
      clean_orders: '1 row × 3 columns',
    });
    assert.equal((await dap.scopeValues('Validation')).status, 'not run yet');

    await dap.step('next');
    assert.equal((await dap.scopeValues('Context')).totals, '1 row × 3 columns');
    await dap.runToEnd();
    assert.match(dap.output(), /✓ silver clean_orders · 1 row/);
  });
});

void test('pause during a long query stops within a second, before the step', async () => {
  await withDap(async (dap) => {
    const stepParams = { long_count: { slow: true } };
    await dap.launch({ pipeline: LONG_QUERY, stepParams }, { functions: ['long_count'] });
    await dap.stopped();
    // Stopping after the transform makes sure the long query is what runs when pause arrives.
    await dap.step('stepIn');
    assert.equal((await dap.frames())[0]?.name, 'silver long_count · after transform');
    await dap.client.continueRequest({ threadId: 1 });

    const started = performance.now();
    const paused = dap.stopped();
    await dap.client.pauseRequest({ threadId: 1 });
    const stop = await paused;
    const elapsed = performance.now() - started;

    assert.equal(stop.reason, 'pause');
    assert.ok(elapsed < 3000, `pause took ${Math.round(elapsed)} ms`);
    assert.deepEqual(await dap.stack(), ['long_count', 'seed']);
    assert.deepEqual(Object.keys(await dap.scopeValues('Context')), ['seed']);
    const opened = dap.events.filter((e) => e.event === 'progressStart').length;
    const ended = dap.events.filter((e) => e.event === 'progressEnd').length;
    assert.equal(ended, opened, 'every progress report has ended');
    await dap.terminate();
  });
});

void test('terminate during a long query ends cleanly and leaves the earlier table as it was', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'stepwise-terminate-'));
  const database = join(dir, 'warehouse.duckdb');
  try {
    await withDap(async (dap) => {
      await dap.launch({ pipeline: LONG_QUERY, database, noDebug: true });
      await dap.terminated();
    });
    const before = await queryWarehouse(database, 'SELECT n FROM long.long_count');
    assert.deepEqual(before, [['1000']]);

    await withDap(async (dap) => {
      const stepParams = { long_count: { slow: true } };
      await dap.launch(
        { pipeline: LONG_QUERY, database, stepParams },
        { functions: ['long_count'] },
      );
      await dap.stopped();
      await dap.step('stepIn');
      await dap.client.continueRequest({ threadId: 1 });

      const started = performance.now();
      await dap.terminate();
      const elapsed = performance.now() - started;
      assert.ok(elapsed < 3000, `terminate took ${Math.round(elapsed)} ms`);
      assert.match(dap.output(), /Pipeline stopped: 1 step\(s\) run, 0 failed/);
      assert.doesNotMatch(dap.output(), /long_count/);
    });
    assert.deepEqual(await queryWarehouse(database, 'SELECT n FROM long.long_count'), before);
    assert.deepEqual(
      await queryWarehouse(database, 'SELECT count(*) FROM long.long_count__invalid'),
      [['0']],
    );
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

void test('a throwing transform stops with an exception whose stack is in the user file', async () => {
  const pipeline = fixture('throws_in_transform');
  await withDap(async (dap) => {
    await dap.launch({ pipeline });
    const stop = await dap.stopped();
    assert.equal(stop.reason, 'exception');

    const info = (await dap.client.exceptionInfoRequest({ threadId: 1 })).body;
    assert.equal(info.breakMode, 'always');
    assert.match(info.description ?? '', /the transform threw: the currency column is missing/);
    const details = info.details as DebugProtocol.ExceptionDetails;
    assert.match(details.message ?? '', /the currency column is missing/);
    const frames = (details.stackTrace ?? '').split('\n').filter((l) => l.trim().startsWith('at '));
    assert.ok(frames.length > 0, details.stackTrace);
    assert.ok(frames[0]?.includes(`(${pipeline}:`), details.stackTrace);

    const [top, below] = await dap.frames();
    assert.equal(top?.name, 'silver checked_events · failed');
    assert.equal(top?.source?.path, pipeline);
    assert.equal(below?.name, 'bronze events');
    await dap.runToEnd();
    assert.match(dap.output(), /Pipeline failed: 2 step\(s\) run, 1 failed/);
  });
});

void test('the throwing line stays exact after garbage collection in a long session', async () => {
  const pipeline = fixture('throws_in_transform');
  const throwLine = await lineOf(pipeline, "throw new Error('the currency column is missing')");
  // A small young generation makes collections happen between loading the pipeline and running
  // its transform, as they do in any long debug session; positions must still be the source's.
  await withDap(
    async (dap) => {
      await dap.launch({ pipeline });
      const stop = await dap.stopped();
      assert.match(stop.text ?? '', new RegExp(`pipeline\\.ts:${throwLine}:\\d+\\)$`));
      const info = (await dap.client.exceptionInfoRequest({ threadId: 1 })).body;
      const stack = (info.details as DebugProtocol.ExceptionDetails).stackTrace ?? '';
      assert.match(stack, new RegExp(`\\(${pipeline}:${throwLine}:\\d+\\)`));
      const top = (await dap.frames())[0];
      assert.equal(top?.line, throwLine);
      await dap.runToEnd();
    },
    { env: { NODE_OPTIONS: '--max-semi-space-size=1' } },
  );
});
