// The Variables view over the debug protocol: frames, scopes and variables at a stop compared with
// golden text, DataFrames that expand to schema, paged rows and SQL, exact values, invalid rows
// with the rules they failed, and setVariable on params.
import type { DebugProtocol } from '@vscode/debugprotocol';
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { expectGolden, fixture, named, valuesOf, withDap, type DapSession } from './dapClient.js';

const THREE_STEPS = fixture('three_steps');

void test('golden: the views before a step show its stack, inputs and the context', async () => {
  await withDap(async (dap) => {
    await dap.launch({ pipeline: THREE_STEPS }, { functions: ['totals'] });
    const stop = await dap.stopped();
    await expectGolden('before_totals', await dap.renderStop(stop));
    await dap.runToEnd();
  });
});

void test('golden: the views after a step show its output, validation and invalid rows', async () => {
  await withDap(async (dap) => {
    await dap.launch({ pipeline: THREE_STEPS, until: 'clean_orders' });
    const stop = await dap.stopped();
    await expectGolden('after_clean_orders', await dap.renderStop(stop));
    await dap.runToEnd();
  });
});

void test('a DataFrame shows rows × columns and expands to schema, rows and sql', async () => {
  await withDap(async (dap) => {
    await dap.launch({ pipeline: THREE_STEPS }, { functions: ['totals'] });
    await dap.stopped();
    const input = named(await dap.scope('Inputs'), 'clean_orders');
    assert.equal(input.value, '3 rows × 3 columns');
    assert.equal(input.type, 'DataFrame');
    assert.ok(input.variablesReference > 0);

    const children = await dap.children(input.variablesReference);
    assert.deepEqual(
      children.map((c) => c.name),
      ['schema', 'rows', 'sql'],
    );
    const schema = named(children, 'schema');
    assert.equal(schema.value, 'id INTEGER, customer VARCHAR, amount INTEGER');
    assert.deepEqual(valuesOf(await dap.children(schema.variablesReference)), {
      id: 'INTEGER',
      customer: 'VARCHAR',
      amount: 'INTEGER',
    });
    const rows = named(children, 'rows');
    assert.equal(rows.indexedVariables, 3);
    assert.match(
      named(children, 'sql').value,
      /^SELECT \* FROM "stepwise_work"\."clean_orders_valid_\d+"$/,
    );

    const page = await dap.children(rows.variablesReference, 1, 2);
    assert.deepEqual(
      page.map((r) => [r.name, r.value]),
      [
        ['[1]', '{id: 2, customer: "bob", amount: 20}'],
        ['[2]', '{id: 3, customer: "ann", amount: 30}'],
      ],
    );
    assert.deepEqual(await dap.cells(page[0]!), { id: '2', customer: '"bob"', amount: '20' });
    await dap.runToEnd();
  });
});

void test('rows of a 50-million-row frame are read a page at a time, from any offset', async () => {
  await withDap(async (dap) => {
    await dap.launch({ pipeline: fixture('wide_and_huge'), until: 'first_rows' });
    await dap.stopped();
    const context = await dap.scope('Context');
    const huge = named(context, 'huge');
    assert.equal(huge.value, '50,000,000 rows × 1 column');
    const rows = named(await dap.children(huge.variablesReference), 'rows');
    assert.equal(rows.indexedVariables, 50_000_000);

    const page = await dap.children(rows.variablesReference, 1_000_000, 3);
    assert.deepEqual(
      page.map((r) => [r.name, r.value]),
      [
        ['[1000000]', '{i: 1000000}'],
        ['[1000001]', '{i: 1000001}'],
        ['[1000002]', '{i: 1000002}'],
      ],
    );

    const [, second] = await dap.rows(named(context, 'lists'), 0, 2);
    const cells = await dap.cells(second!);
    assert.equal(cells.id, '1');
    const items = (cells.items ?? '').replace(/^\[|\]$/g, '').split(', ');
    assert.equal(items.length, 1000);
    assert.deepEqual([items[0], items[999]], ['1', '1000']);
    await dap.runToEnd();
  });
});

void test('exact numbers, zoned and naive times and quoted names are shown exactly', async () => {
  await withDap(
    async (dap) => {
      await dap.launch({ pipeline: fixture('exact_values'), until: 'exact_values' });
      await dap.stopped();
      const output = named(await dap.scope('Output'), 'output');
      const [row] = await dap.rows(output, 0, 1);
      const cells = await dap.cells(row!);
      assert.deepEqual(cells, {
        a: '-8682357422280616451',
        b: '9007199254740993',
        c: '12345678901234567890.123',
        d: '0.375',
        e: '1.15',
        tz: '2024-10-01 00:00:00+08',
        naive: '1970-01-01 00:00:00',
        leap_day: '2024-02-29',
        ns: '2024-01-01 00:00:00.123456789',
        größe: '"Zürich"',
        'odd "name"': '"quoted"',
      });
      const frameText = await dap.renderTree(output.variablesReference);
      const rowText = await dap.renderTree(row!.variablesReference);
      await expectGolden('exact_values', `${frameText}row [0]:\n${rowText}`);
      await dap.runToEnd();
    },
    { env: { TZ: 'Asia/Singapore' } },
  );
});

void test('invalid rows list the rules each row failed', async () => {
  await withDap(async (dap) => {
    await dap.launch({ pipeline: fixture('invalid_rows'), until: 'checked_payments' });
    await dap.stopped();
    const validation = await dap.scope('Validation');
    assert.equal(named(validation, 'invalid rows count').value, '2');
    const failures = named(validation, 'rule failures');
    assert.deepEqual(valuesOf(await dap.children(failures.variablesReference)), {
      'currency:not_null': '1',
      'amount:positive': '2',
    });

    const invalid = named(validation, 'invalid rows');
    assert.equal(invalid.value, '2 rows × 4 columns');
    const rows = await dap.rows(invalid, 0, 10);
    const failed = await Promise.all(rows.map((r) => dap.cells(r)));
    assert.deepEqual(failed.map((c) => [c.id, c._failed_rules]).sort(), [
      ['2', "['amount:positive']"],
      ['3', "['currency:not_null', 'amount:positive']"],
    ]);
    await dap.runToEnd();
  });
});

void test('setVariable on a param changes the next run of that step', async () => {
  await withDap(async (dap) => {
    await dap.launch({ pipeline: THREE_STEPS }, { functions: ['clean_orders'] });
    await dap.stopped();
    const params = await paramsOf(dap);
    assert.deepEqual(valuesOf(await dap.children(params.variablesReference)), {
      minAmount: '-100',
    });

    const set = await dap.client.setVariableRequest({
      variablesReference: params.variablesReference,
      name: 'minAmount',
      value: '25',
    });
    assert.equal(set.body.value, '25');
    assert.equal(named(await dap.scope('Step'), 'params').value, '{"minAmount":25}');

    await dap.step('next');
    assert.equal((await dap.scopeValues('Context')).clean_orders, '1 row × 3 columns');
    await dap.runToEnd();
  });
});

void test('setVariable on anything but a param is refused with a message', async () => {
  await withDap(async (dap) => {
    await dap.launch({ pipeline: THREE_STEPS }, { functions: ['totals'] });
    await dap.stopped();
    const step = await dap.scope('Step');
    const stepReference = await scopeReference(dap, 'Step');
    const rules = named(step, 'rules');
    await dap.children(rules.variablesReference);
    const row = (await dap.rows(named(await dap.scope('Inputs'), 'clean_orders'), 0, 1))[0]!;
    await dap.children(row.variablesReference);

    for (const [variablesReference, name] of [
      [stepReference, 'name'],
      [rules.variablesReference, 'total:not_null'],
      [row.variablesReference, 'amount'],
    ] as const) {
      await assert.rejects(
        dap.client.setVariableRequest({ variablesReference, name, value: '1' }),
        { message: `'${name}' cannot be changed; only a step's params (Step › params) can.` },
      );
    }
    assert.equal(named(await dap.scope('Step'), 'name').value, 'totals');
    await dap.runToEnd();
  });
});

/** The `params` variable of the top frame's Step scope, with its children loaded. */
async function paramsOf(dap: DapSession): Promise<DebugProtocol.Variable> {
  const params = named(await dap.scope('Step'), 'params');
  await dap.children(params.variablesReference);
  return params;
}

/** The reference of a scope of the top frame, with its variables loaded. */
async function scopeReference(dap: DapSession, name: string): Promise<number> {
  const frame = (await dap.frames())[0]!;
  const scopes = (await dap.client.scopesRequest({ frameId: frame.id })).body.scopes;
  const scope = scopes.find((s) => s.name === name)!;
  await dap.children(scope.variablesReference);
  return scope.variablesReference;
}
