// What a run reports while it goes: a progress report per step for clients that support them,
// a Debug Console line per step with rows, valid rate and time, and a summary of the run.
import type { DebugProtocol } from '@vscode/debugprotocol';
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { RunFinishedEventBody } from '../../protocol/debugProtocol.js';
import { fixture, withDap } from './dapClient.js';

const THREE_STEPS = fixture('three_steps');

void test('each step opens a progress report and closes it before the next one opens', async () => {
  await withDap(async (dap) => {
    await dap.launch({ pipeline: THREE_STEPS, noDebug: true });
    await dap.terminated();
    const progress = dap.events.filter(
      (e) => e.event === 'progressStart' || e.event === 'progressEnd',
    );
    const text = progress.map((e) => {
      const body = e.body as DebugProtocol.ProgressStartEvent['body'];
      return `${e.event} ${body.progressId}${body.title ? ` ${body.title}` : ''}`;
    });
    const ids = progress.map((e) => (e.body as { progressId: string }).progressId);
    assert.equal(new Set(ids).size, 3, 'one progress id per step');
    assert.deepEqual(
      text.map((line, i) => line.replace(ids[i]!, '<id>')),
      [
        'progressStart <id> Running bronze step orders',
        'progressEnd <id>',
        'progressStart <id> Running silver step clean_orders',
        'progressEnd <id>',
        'progressStart <id> Running gold step totals',
        'progressEnd <id>',
      ],
    );
    for (let i = 0; i < ids.length; i += 2) {
      assert.equal(ids[i], ids[i + 1], 'a report ends with the id it started with');
    }
  });
});

void test('a client without progress support gets no progress events', async () => {
  await withDap(
    async (dap) => {
      await dap.launch({ pipeline: THREE_STEPS, noDebug: true });
      await dap.terminated();
      assert.deepEqual(
        dap.events.filter((e) => e.event.startsWith('progress')),
        [],
      );
      assert.match(dap.output(), /Pipeline completed/);
    },
    { progress: false },
  );
});

void test('the output has a line per step with rows, rate and time, then a run summary', async () => {
  await withDap(async (dap) => {
    await dap.launch({ pipeline: THREE_STEPS, noDebug: true });
    await dap.terminated();
    const lines = dap.output('console').trimEnd().split('\n');
    const steps = lines.filter((line) => /^[✓✗–] /.test(line));
    const time = String.raw`\d+\.\d\d s`;
    assert.equal(steps.length, 3, dap.output());
    assert.match(steps[0]!, new RegExp(`^✓ bronze orders · 5 rows · 80\\.0% valid · ${time}$`));
    assert.match(
      steps[1]!,
      new RegExp(`^✓ silver clean_orders · 4 rows · 75\\.0% valid · ${time}$`),
    );
    assert.match(steps[2]!, new RegExp(`^✓ gold totals · 2 rows · 100% valid · ${time}$`));
    assert.match(
      lines.at(-1)!,
      new RegExp(`^Pipeline completed: 3 step\\(s\\) run, 0 failed · ${time}$`),
    );
    assert.equal(dap.output('stderr'), '');

    const finished = await dap.waitFor('stepwise/runFinished');
    const body = finished.body as RunFinishedEventBody;
    assert.equal(body.status, 'completed');
    assert.equal(body.pipeline, THREE_STEPS);
    assert.deepEqual(
      body.steps.map((s) => [s.name, s.status, s.outputRows, s.validRows, s.line]),
      [
        ['orders', 'completed', 5, 4, 26],
        ['clean_orders', 'completed', 4, 3, 27],
        ['totals', 'completed', 2, 2, 35],
      ],
    );
  });
});

void test('a failed step prints its error to stderr and the summary counts it', async () => {
  const pipeline = fixture('throws_in_transform');
  await withDap(async (dap) => {
    await dap.launch({ pipeline, noDebug: true });
    await dap.terminated();
    assert.match(dap.output('console'), /^✓ bronze events · 2 rows · 100% valid · /);
    assert.match(
      dap.output('stderr'),
      /^✗ silver checked_events · Step 'checked_events' .* the transform threw: the currency column is missing/,
    );
    assert.match(dap.output('console'), /^Pipeline failed: 2 step\(s\) run, 1 failed · /m);
  });
});
