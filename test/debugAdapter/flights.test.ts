// The acceptance scenario on the flights example: stop on the silver step, page through three
// million input rows, step to the gold step, look at the output and its invalid rows, query the
// context in the console, change a gold param, restart its frame and step back.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { lineOf, named, ROOT, withDap } from './dapClient.js';

const FLIGHTS = join(ROOT, 'examples', 'flights', 'flights.pipeline.ts');
const AIRPORT = /^"[A-Z]{3}"$/;

void test('debugging the flights pipeline from clean_flights to delay_by_origin and back', async () => {
  await withDap(async (dap) => {
    const line = await lineOf(FLIGHTS, "name: 'clean_flights'");
    const { lines } = await dap.launch({ pipeline: FLIGHTS }, { lines: [line] });
    assert.equal(lines[0]?.verified, true);

    // Stopped before the silver step, with both bronze inputs ready.
    const stop = await dap.stopped();
    assert.equal(stop.reason, 'breakpoint');
    assert.deepEqual(await dap.stack(), ['clean_flights', 'airports', 'flights']);
    const inputs = await dap.scope('Inputs');
    const flights = named(inputs, 'flights');
    assert.equal(flights.value, '3,000,000 rows × 5 columns');
    assert.equal(named(inputs, 'airports').value, '3,376 rows × 7 columns');
    const page = await dap.rows(flights, 2_000_000, 3);
    assert.deepEqual(
      page.map((r) => r.name),
      ['[2000000]', '[2000001]', '[2000002]'],
    );
    for (const row of page) {
      const cells = await dap.cells(row);
      assert.deepEqual(Object.keys(cells), ['date', 'delay', 'distance', 'origin', 'destination']);
      assert.match(cells.date ?? '', /^2001-\d\d-\d\d \d\d:\d\d:\d\d$/);
      assert.match(cells.delay ?? '', /^-?\d+$/);
      assert.match(cells.distance ?? '', /^\d+$/);
      assert.match(cells.origin ?? '', AIRPORT);
      assert.match(cells.destination ?? '', AIRPORT);
    }

    // next runs clean_flights and stops before the first gold step.
    assert.equal((await dap.step('next')).reason, 'step');
    assert.deepEqual(await dap.stack(), [
      'delay_by_origin',
      'clean_flights',
      'airports',
      'flights',
    ]);
    const output = await dap.scope('Output', 1);
    const clean = named(output, 'output');
    assert.match(clean.value, /^2,9\d\d,\d{3} rows × 9 columns$/);
    const invalid = named(output, 'invalid rows');
    const invalidCount = Number(invalid.value.split(' ')[0]!.replace(/,/g, ''));
    assert.ok(invalidCount > 0);
    const cleanCount = Number(clean.value.split(' ')[0]!.replace(/,/g, ''));
    assert.equal(cleanCount + invalidCount, 3_000_000);
    const [firstInvalid] = await dap.rows(invalid, 0, 1);
    const failedRules = (await dap.cells(firstInvalid!))._failed_rules ?? '';
    assert.match(failedRules, /^\['(date|delay|distance|origin|destination|origin_state):[^']+'/);

    // The console queries the context with DuckDB SQL.
    const query = await dap.evaluate('SELECT count(*) AS n FROM clean_flights WHERE delay > 60');
    const [countRow] = await dap.rows(query.variablesReference, 0, 1);
    const delayed = Number((await dap.cells(countRow!)).n);
    assert.equal(query.result, String(delayed));
    assert.ok(delayed > 0 && delayed < cleanCount, `${delayed} delayed flights`);

    // Run delay_by_origin with its default params, then step back before it.
    await dap.step('next');
    assert.deepEqual((await dap.stack())[0], 'delay_by_day');
    const firstRun = (await dap.scopeValues('Context')).delay_by_origin ?? '';
    assert.match(firstRun, /^\d+ rows × 7 columns$/);

    assert.equal((await dap.step('stepBack')).reason, 'step');
    assert.equal((await dap.stack())[0], 'delay_by_origin');
    assert.equal((await dap.scopeValues('Context')).delay_by_origin, undefined);

    // Raise minFlights and restart the gold frame: fewer airports qualify.
    const params = named(await dap.scope('Step'), 'params');
    const before = await dap.children(params.variablesReference);
    assert.equal(named(before, 'minFlights').value, '1000');
    await dap.client.setVariableRequest({
      variablesReference: params.variablesReference,
      name: 'minFlights',
      value: '50000',
    });
    assert.equal((await dap.restartFrame('delay_by_origin')).reason, 'restart');
    const secondRun = (await dap.scopeValues('Context')).delay_by_origin ?? '';
    assert.match(secondRun, /^\d+ rows × 7 columns$/);
    assert.ok(
      Number.parseInt(secondRun, 10) < Number.parseInt(firstRun, 10),
      `${secondRun} after raising minFlights, ${firstRun} before`,
    );

    // Stepping back restores the context from before delay_by_origin ran.
    await dap.step('stepBack');
    assert.equal((await dap.stack())[0], 'delay_by_origin');
    assert.deepEqual(Object.keys(await dap.scopeValues('Context')), [
      'flights',
      'airports',
      'clean_flights',
    ]);
    await dap.terminate();
  });
});
