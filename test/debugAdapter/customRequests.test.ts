// The custom requests the extension sends to the adapter: preview pages as Arrow IPC for the data
// viewer (sorted and filtered by DuckDB), reruns of a step with params, and the step graph.
import { tableFromIPC, type Table } from 'apache-arrow';
import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  PREVIEW_PAGE_REQUEST,
  RERUN_STEP_REQUEST,
  STEP_GRAPH_REQUEST,
  type PreviewPageArguments,
  type PreviewPageResult,
  type RerunStepResult,
  type StepGraphResult,
} from '../../protocol/debugProtocol.js';
import { fixture, withDap, type DapSession } from './dapClient.js';

const THREE_STEPS = fixture('three_steps');

/** Requests a preview page and decodes its Arrow IPC stream. */
async function preview(
  dap: DapSession,
  args: PreviewPageArguments,
): Promise<{ result: PreviewPageResult; table: Table }> {
  const response = await dap.client.customRequest(PREVIEW_PAGE_REQUEST, args);
  const result = response.body as PreviewPageResult;
  return { result, table: tableFromIPC(Buffer.from(result.arrowIpcBase64, 'base64')) };
}

/** The rows of an Arrow table as plain objects. */
function rowsOf(table: Table): Record<string, unknown>[] {
  return table.toArray().map((row: { toJSON(): Record<string, unknown> }) => row.toJSON());
}

/** The step graph as `[name, status, outputRows]` triples. */
async function graph(dap: DapSession): Promise<{ steps: unknown[][]; current: string | null }> {
  const body = (await dap.client.customRequest(STEP_GRAPH_REQUEST)).body as StepGraphResult;
  return { steps: body.steps.map((s) => [s.name, s.status, s.outputRows]), current: body.current };
}

void test('previewPage returns Arrow IPC of the right rows, sorted and filtered in DuckDB', async () => {
  await withDap(async (dap) => {
    await dap.launch({ pipeline: THREE_STEPS }, { functions: ['totals'] });
    await dap.stopped();

    const all = await preview(dap, { frame: 'orders', offset: 0, limit: 100 });
    assert.equal(all.result.totalRows, 4);
    assert.deepEqual(all.result.columns, [
      { name: 'id', type: 'INTEGER' },
      { name: 'customer', type: 'VARCHAR' },
      { name: 'amount', type: 'INTEGER' },
    ]);
    assert.deepEqual(
      all.table.schema.fields.map((f) => f.name),
      ['id', 'customer', 'amount'],
    );

    const sorted = await preview(dap, {
      frame: 'orders',
      offset: 1,
      limit: 2,
      orderBy: [{ column: 'amount', descending: true }],
      filter: "customer <> 'cy'",
    });
    assert.equal(sorted.result.totalRows, 3);
    assert.deepEqual(rowsOf(sorted.table), [
      { id: 2, customer: 'bob', amount: 20 },
      { id: 1, customer: 'ann', amount: 10 },
    ]);

    const invalid = await preview(dap, { frame: 'orders__invalid', offset: 0, limit: 10 });
    assert.equal(invalid.result.totalRows, 1);
    const [row] = rowsOf(invalid.table);
    assert.equal(row?.id, 4);
    assert.equal(row?.customer, null);
    assert.deepEqual([...(row?._failed_rules as Iterable<string>)], ['customer:not_null']);

    await assert.rejects(
      dap.client.customRequest(PREVIEW_PAGE_REQUEST, { frame: 'totals', offset: 0, limit: 5 }),
      { message: "'totals' is not in the debug context; run step 'totals' first." },
    );
    await dap.runToEnd();
  });
});

void test('previewPage keeps 64-bit integers exact in Arrow', async () => {
  await withDap(async (dap) => {
    await dap.launch({ pipeline: fixture('exact_values'), until: 'exact_values' });
    await dap.stopped();
    const { table } = await preview(dap, { frame: 'exact_values', offset: 0, limit: 1 });
    assert.equal(table.getChild('a')?.get(0), -8682357422280616451n);
    assert.equal(String(table.getChild('naive')?.type), 'Timestamp<MICROSECOND>');
    assert.equal(table.getChild('größe')?.get(0), 'Zürich');
    assert.equal(table.getChild('odd "name"')?.get(0), 'quoted');
    await dap.runToEnd();
  });
});

void test('rerunStep with params changes the row count and drops what depends on the step', async () => {
  await withDap(async (dap) => {
    await dap.launch({ pipeline: THREE_STEPS, until: 'totals' });
    await dap.stopped();
    assert.equal((await dap.scopeValues('Context')).clean_orders, '3 rows × 3 columns');

    const response = await dap.client.customRequest(RERUN_STEP_REQUEST, {
      step: 'clean_orders',
      params: { minAmount: 25 },
    });
    const result = response.body as RerunStepResult;
    assert.equal(result.status, 'completed');
    assert.equal(result.outputRows, 1);
    assert.equal(result.validRows, 1);
    assert.equal(result.error, null);

    assert.deepEqual(await dap.scopeValues('Context'), {
      orders: '4 rows × 3 columns',
      clean_orders: '1 row × 3 columns',
    });
    assert.deepEqual((await graph(dap)).steps, [
      ['orders', 'completed', 5],
      ['clean_orders', 'completed', 1],
      ['totals', 'pending', null],
    ]);
    await assert.rejects(dap.client.customRequest(RERUN_STEP_REQUEST, { step: 'nope' }), {
      message: "There is no step named 'nope'.",
    });
    await dap.runToEnd();
  });
});

void test('stepGraph lists the steps in run order with their status and rows', async () => {
  await withDap(async (dap) => {
    await dap.launch({ pipeline: THREE_STEPS, stopOnEntry: true }, { functions: ['totals'] });
    await dap.stopped();
    assert.deepEqual(await graph(dap), {
      steps: [
        ['orders', 'pending', null],
        ['clean_orders', 'pending', null],
        ['totals', 'pending', null],
      ],
      current: 'orders',
    });

    await dap.step('continue');
    const body = (await dap.client.customRequest(STEP_GRAPH_REQUEST)).body as StepGraphResult;
    assert.deepEqual(
      body.steps.map((s) => [s.name, s.layer, s.dependencies, s.status, s.outputRows]),
      [
        ['orders', 'bronze', [], 'completed', 5],
        ['clean_orders', 'silver', ['orders'], 'completed', 4],
        ['totals', 'gold', ['clean_orders'], 'pending', null],
      ],
    );
    assert.deepEqual(
      body.steps.map((s) => s.validationRate),
      [80, 75, null],
    );
    assert.equal(body.current, 'totals');
    await dap.runToEnd();
  });
});
