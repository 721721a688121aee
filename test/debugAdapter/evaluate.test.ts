// Evaluation over the debug protocol: DuckDB SQL over the context in the Debug Console and Watch,
// with results as paged DataFrames, DuckDB's own message for a bad query, step summaries on
// hover, and completions of keywords, step names and columns.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { fixture, named, withDap, type DapSession } from './dapClient.js';

const THREE_STEPS = fixture('three_steps');

/** The single value of a one-row, one-column evaluate result. */
async function scalar(
  dap: DapSession,
  expression: string,
  context: 'repl' | 'watch',
): Promise<string> {
  const result = await dap.evaluate(expression, context);
  const [row] = await dap.rows(result.variablesReference, 0, 1);
  const cells = Object.values(await dap.cells(row!));
  assert.equal(cells.length, 1);
  // A single value is shown as itself, and stays expandable as a one-row DataFrame.
  assert.equal(result.result, cells[0]!.replace(/^"(.*)"$/, '$1'));
  return cells[0]!;
}

void test('a console query over the context returns a paged DataFrame', async () => {
  await withDap(async (dap) => {
    await dap.launch({ pipeline: THREE_STEPS }, { functions: ['totals'] });
    await dap.stopped();
    const result = await dap.evaluate(
      'SELECT o.id, o.customer, c.amount FROM orders o LEFT JOIN clean_orders c USING (id) ' +
        'ORDER BY o.id',
    );
    assert.equal(result.result, '4 rows × 3 columns');
    assert.equal(result.type, 'DataFrame');
    const children = await dap.children(result.variablesReference);
    assert.deepEqual(
      children.map((c) => c.name),
      ['schema', 'rows', 'sql'],
    );
    assert.equal(named(children, 'rows').indexedVariables, 4);

    const page = await dap.rows(result.variablesReference, 2, 2);
    assert.deepEqual(
      page.map((r) => [r.name, r.value]),
      [
        ['[2]', '{id: 3, customer: "ann", amount: 30}'],
        ['[3]', '{id: 5, customer: "cy", amount: NULL}'],
      ],
    );
    assert.equal(await scalar(dap, 'SELECT count(*) FROM orders__invalid', 'repl'), '1');
    await dap.runToEnd();
  });
});

void test('a watch is evaluated again at each stop and follows the context', async () => {
  await withDap(async (dap) => {
    await dap.launch({ pipeline: THREE_STEPS, stopOnEntry: true });
    await dap.stopped();
    const watch = 'SELECT count(*) AS n FROM clean_orders';
    await assert.rejects(dap.evaluate(watch, 'watch'), /clean_orders does not exist/);

    await dap.step('next');
    await assert.rejects(dap.evaluate(watch, 'watch'), /clean_orders does not exist/);
    await dap.step('next');
    assert.equal(await scalar(dap, watch, 'watch'), '3');

    const params = named(await dap.scope('Step', 1), 'params');
    await dap.children(params.variablesReference);
    await dap.client.setVariableRequest({
      variablesReference: params.variablesReference,
      name: 'minAmount',
      value: '25',
    });
    await dap.restartFrame('clean_orders');
    assert.equal(await scalar(dap, watch, 'watch'), '1');

    await dap.step('stepBack');
    await assert.rejects(dap.evaluate(watch, 'watch'), /clean_orders does not exist/);
    await dap.runToEnd();
  });
});

void test("a bad query returns DuckDB's message and the session goes on", async () => {
  await withDap(async (dap) => {
    await dap.launch({ pipeline: THREE_STEPS }, { functions: ['totals'] });
    await dap.stopped();
    await assert.rejects(dap.evaluate('SELECT nope FROM clean_orders'), (error: Error) => {
      assert.match(error.message, /^Binder Error: Referenced column "nope" not found/);
      return true;
    });
    await assert.rejects(dap.evaluate('SELEC 1'), /Parser Error: syntax error at or near "SELEC"/);

    assert.equal(await scalar(dap, 'SELECT sum(amount) FROM clean_orders', 'repl'), '60');
    await dap.runToEnd();
    assert.match(dap.output(), /✓ gold totals · 2 rows/);
  });
});

void test('hover on a step name shows its summary; other words show nothing', async () => {
  await withDap(async (dap) => {
    await dap.launch({ pipeline: THREE_STEPS }, { functions: ['totals'] });
    await dap.stopped();
    const ran = await dap.evaluate("'clean_orders'", 'hover');
    assert.match(
      ran.result,
      /^silver step clean_orders, reads orders: 3 valid rows of 4 \(75\.0%\), 1 invalid, \d+\.\d\d s$/,
    );
    assert.equal(ran.variablesReference, 0);
    const pending = await dap.evaluate('totals', 'hover');
    assert.equal(pending.result, 'gold step totals, reads clean_orders: not run yet');
    await assert.rejects(dap.evaluate('amount', 'hover'));
    await dap.runToEnd();
  });
});

void test('completions offer keywords, step names and the columns of the context', async () => {
  await withDap(async (dap) => {
    await dap.launch({ pipeline: THREE_STEPS }, { functions: ['totals'] });
    await dap.stopped();
    const complete = async (text: string): Promise<string[]> => {
      const response = await dap.client.completionsRequest({ text, column: text.length + 1 });
      return response.body.targets.map((t) => `${t.label}:${t.type}`);
    };
    assert.deepEqual(await complete('SEL'), ['SELECT:keyword']);
    assert.deepEqual(await complete('SELECT * FROM cle'), ['clean_orders:class']);
    assert.deepEqual(await complete('SELECT * FROM to'), ['totals:class']);
    assert.deepEqual(await complete('SELECT cust'), ['customer:field']);
    assert.deepEqual(await complete('SELECT amount FROM orders WH'), [
      'WHERE:keyword',
      'WHEN:keyword',
    ]);

    const all = await complete('');
    for (const expected of ['orders:class', 'id:field', 'amount:field', 'GROUP BY:keyword']) {
      assert.ok(all.includes(expected), `${expected} in ${all.join(' ')}`);
    }
    await dap.runToEnd();
  });
});
