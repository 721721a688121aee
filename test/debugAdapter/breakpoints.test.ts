// Breakpoints through the debug protocol: line breakpoints map to steps, function breakpoints
// name steps, SQL conditions, hit counts and log points decide whether a stop happens, edits on
// disk move breakpoints with their steps, and exception filters pick which outcomes stop.
import type { DebugProtocol } from '@vscode/debugprotocol';
import assert from 'node:assert/strict';
import { copyFile, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'node:test';
import { fixture, lineOf, withDap, type DapSession } from './dapClient.js';

const THREE_STEPS = fixture('three_steps');

/** The header lines of the three steps of `three_steps`. */
async function stepLines(file = THREE_STEPS): Promise<Record<string, number>> {
  return {
    orders: await lineOf(file, "name: 'orders'"),
    clean_orders: (await lineOf(file, "name: 'clean_orders'")) - 1,
    totals: (await lineOf(file, "name: 'totals'")) - 1,
  };
}

void test('a line inside a step is verified on the step header; a line outside is not', async () => {
  const lines = await stepLines();
  const inside = await lineOf(THREE_STEPS, "rules: { amount: ['positive'] }");
  await withDap(async (dap) => {
    const { lines: set } = await dap.launch({ pipeline: THREE_STEPS }, { lines: [inside, 3] });
    const [onStep, outside] = set;
    assert.ok(inside > lines.clean_orders! + 1, 'the line lies in the body of the step');
    assert.equal(onStep?.verified, true);
    assert.equal(onStep?.line, lines.clean_orders);
    assert.equal(onStep?.source?.path, THREE_STEPS);
    assert.equal(outside?.verified, false);
    assert.equal(outside?.line, 3);
    assert.match(outside?.message ?? '', /^Line 3 is not inside a step\. Put the breakpoint on/);

    const stop = await dap.stopped();
    assert.equal(stop.reason, 'breakpoint');
    assert.deepEqual(stop.hitBreakpointIds, [onStep?.id]);
    const top = (await dap.frames())[0];
    assert.equal(top?.name, 'silver clean_orders');
    assert.equal(top?.line, lines.clean_orders);
    await dap.runToEnd();
  });
});

void test('a breakpoint in another file is unverified and says which file can hold them', async () => {
  await withDap(async (dap) => {
    await dap.launch({ pipeline: THREE_STEPS });
    const other = fixture('cycle');
    const response = await dap.client.setBreakpointsRequest({
      source: { path: other },
      breakpoints: [{ line: 10 }],
    });
    const [bp] = response.body.breakpoints;
    assert.equal(bp?.verified, false);
    assert.match(bp?.message ?? '', /Only the pipeline being debugged/);
    assert.equal(await dap.stopOrEnd(), 'terminated');
  });
});

void test('function breakpoints stop before the named step; unknown names are unverified', async () => {
  const lines = await stepLines();
  await withDap(async (dap) => {
    const { functions } = await dap.launch(
      { pipeline: THREE_STEPS },
      { functions: ['totals', 'totalz'] },
    );
    const [known, unknown] = functions;
    assert.equal(known?.verified, true);
    assert.equal(known?.line, lines.totals);
    assert.equal(unknown?.verified, false);
    assert.equal(unknown?.message, "There is no step named 'totalz' in this pipeline.");

    const stop = await dap.stopped();
    assert.equal(stop.reason, 'function breakpoint');
    assert.deepEqual(stop.hitBreakpointIds, [known?.id]);
    assert.deepEqual(await dap.stack(), ['totals', 'clean_orders', 'orders']);
    await dap.runToEnd();
  });
});

void test('a SQL condition over the context that is false skips the stop; true stops', async () => {
  const lines = await stepLines();
  await withDap(async (dap) => {
    const { lines: set } = await dap.launch(
      { pipeline: THREE_STEPS },
      {
        lines: [
          { line: lines.clean_orders!, condition: '(SELECT count(*) FROM orders) = 0' },
          { line: lines.totals!, condition: '(SELECT count(*) FROM clean_orders) = 3' },
        ],
      },
    );
    const stop = await dap.stopped();
    assert.deepEqual(stop.hitBreakpointIds, [set[1]?.id]);
    assert.deepEqual(await dap.stack(), ['totals', 'clean_orders', 'orders']);
    await dap.runToEnd();
  });
});

void test('a condition that DuckDB cannot run stops, and the output says why', async () => {
  const lines = await stepLines();
  await withDap(async (dap) => {
    const condition = '(SELECT count(*) FROM no_such_table) > 0';
    await dap.launch(
      { pipeline: THREE_STEPS },
      { lines: [{ line: lines.clean_orders!, condition }] },
    );
    assert.equal((await dap.stopped()).reason, 'breakpoint');
    assert.match(dap.output(), /Breakpoint condition '.*no_such_table.*' failed: .*no_such_table/);
    await dap.runToEnd();
  });
});

void test('a hit count skips the first hit and stops on the second', async () => {
  const lines = await stepLines();
  await withDap(async (dap) => {
    const { lines: set } = await dap.launch(
      { pipeline: THREE_STEPS },
      { lines: [{ line: lines.clean_orders!, hitCondition: '2' }, lines.totals!] },
    );
    const [counted, plain] = set;
    const first = await dap.stopped();
    assert.deepEqual(
      first.hitBreakpointIds,
      [plain?.id],
      'the first hit on clean_orders is skipped',
    );

    // Stepping back twice returns to before orders; running again reaches clean_orders again.
    await dap.step('stepBack');
    await dap.step('stepBack');
    assert.deepEqual(await dap.stack(), ['orders']);
    const second = await dap.step('continue');
    assert.equal(second.reason, 'breakpoint');
    assert.deepEqual(second.hitBreakpointIds, [counted?.id]);
    assert.deepEqual(await dap.stack(), ['clean_orders', 'orders']);
    await dap.terminate();
  });
});

void test('a log point prints its {sql} interpolation and does not stop', async () => {
  const lines = await stepLines();
  await withDap(async (dap) => {
    const logMessage =
      'clean_orders reads {(SELECT count(*) FROM orders)} orders up to ' +
      '{SELECT max(amount) FROM orders}; {SELECT nope FROM orders}';
    await dap.launch(
      { pipeline: THREE_STEPS },
      { lines: [{ line: lines.clean_orders!, logMessage }] },
    );
    assert.equal(await dap.stopOrEnd(), 'terminated');
    const logged = dap.output('console').split('\n');
    const line = logged.find((l) => l.startsWith('clean_orders reads'));
    assert.ok(line, dap.output());
    assert.match(line, /^clean_orders reads 4 orders up to 30; <Binder Error: .*"nope".*>$/);
    assert.ok(
      logged.indexOf(line) < logged.findIndex((l) => l.startsWith('✓ silver clean_orders')),
      'the log point prints before the step runs',
    );
  });
});

void test('inserting lines above a step moves its breakpoints with the steps', async () => {
  await withDap(async (dap) => {
    const file = join(dap.dir, 'three_steps.pipeline.ts');
    await copyFile(THREE_STEPS, file);
    const before = await stepLines(file);
    const { lines: set } = await dap.launch(
      { pipeline: file, stopOnEntry: true },
      { lines: [before.clean_orders!, before.totals!] },
    );
    const [onClean, onTotals] = set;
    await dap.stopped();

    const text = (await readFile(file, 'utf8')).split('\n');
    text.splice(before.clean_orders! - 1, 0, '    // one', '    // two', '    // three');
    await writeFile(file, text.join('\n'));
    const after = await stepLines(file);
    assert.equal(after.clean_orders, before.clean_orders! + 3);

    const moved = await changedBreakpoints(dap, [onClean!.id!, onTotals!.id!]);
    assert.deepEqual(moved.get(onClean!.id!), { verified: true, line: after.clean_orders });
    assert.deepEqual(moved.get(onTotals!.id!), { verified: true, line: after.totals });

    const first = await dap.step('continue');
    assert.deepEqual(first.hitBreakpointIds, [onClean?.id]);
    assert.equal((await dap.frames())[0]?.line, after.clean_orders);
    const second = await dap.step('continue');
    assert.deepEqual(second.hitBreakpointIds, [onTotals?.id]);
    assert.equal((await dap.frames())[0]?.line, after.totals);
    for (const event of dap.events.filter((e) => e.event === 'breakpoint')) {
      const bp = (event.body as DebugProtocol.BreakpointEvent['body']).breakpoint;
      const expected: number | undefined =
        bp.id === onClean?.id ? after.clean_orders : after.totals;
      assert.deepEqual(
        { verified: bp.verified, line: bp.line },
        { verified: true, line: expected },
      );
    }
    await dap.runToEnd();
  });
});

void test('stepFailed is on by default and stops on a throwing transform; off, it runs on', async () => {
  const pipeline = fixture('throws_in_transform');
  assert.deepEqual(
    await withDap(async (dap) => {
      const filters = dap.capabilities.exceptionBreakpointFilters ?? [];
      await dap.launch({ pipeline });
      const stop = await dap.stopped();
      assert.equal(stop.reason, 'exception');
      assert.match(stop.text ?? '', /^Step failed: .*the currency column is missing/);
      await dap.runToEnd();
      return filters.map((f) => [f.filter, f.label, f.default]);
    }),
    [
      ['stepFailed', 'Step failed', true],
      ['belowThreshold', 'Below threshold', true],
      ['invalidRows', 'Any invalid rows', false],
    ],
  );
  await withDap(async (dap) => {
    await dap.launch({ pipeline }, { exceptionFilters: [] });
    assert.equal(await dap.stopOrEnd(), 'terminated');
    assert.match(dap.output('stderr'), /✗ silver checked_events/);
  });
});

void test('belowThreshold stops on a step below its threshold, apart from stepFailed', async () => {
  const pipeline = fixture('below_threshold');
  await withDap(async (dap) => {
    await dap.launch({ pipeline }, { exceptionFilters: ['belowThreshold'] });
    const stop = await dap.stopped();
    assert.equal(stop.reason, 'exception');
    assert.match(stop.text ?? '', /^Below threshold: .*1 of 4 rows are valid \(25\.00%\), below/);
    assert.match(stop.text ?? '', /silver threshold of 50%/);
    await dap.runToEnd();
  });
  await withDap(async (dap) => {
    await dap.launch({ pipeline }, { exceptionFilters: ['stepFailed'] });
    assert.equal(await dap.stopOrEnd(), 'terminated');
  });
});

void test('invalidRows is off by default; on, it stops after a step with invalid rows', async () => {
  const pipeline = fixture('invalid_rows');
  await withDap(async (dap) => {
    await dap.launch({ pipeline });
    assert.equal(await dap.stopOrEnd(), 'terminated');
  });
  await withDap(async (dap) => {
    await dap.launch({ pipeline }, { exceptionFilters: ['invalidRows'] });
    const stop = await dap.stopped();
    assert.equal(stop.reason, 'exception');
    assert.equal(stop.text, "2 invalid rows in 'checked_payments'");
    const top = (await dap.frames())[0];
    assert.equal(top?.name, 'silver checked_payments · done');
    await dap.runToEnd();
  });
});

/** Waits for a `changed` breakpoint event for each id and returns the last state of each. */
async function changedBreakpoints(
  dap: DapSession,
  ids: number[],
): Promise<Map<number, { verified: boolean; line: number | undefined }>> {
  const seen = new Map<number, { verified: boolean; line: number | undefined }>();
  while (ids.some((id) => !seen.has(id))) {
    const event = await dap.waitFor<DebugProtocol.BreakpointEvent>('breakpoint');
    const { breakpoint } = event.body;
    seen.set(breakpoint.id!, { verified: breakpoint.verified, line: breakpoint.line });
  }
  return seen;
}
