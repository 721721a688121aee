// Unit tests for telling which names in a pipeline file are the engine's step classes and sql tag.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { findSqlTemplates, findStepDefinitions } from './stepDefinitions.js';
import { rangeOf } from './testPositions.js';

const fixture = (name: string): string =>
  readFileSync(new URL(`../../../test/fixtures/source/${name}`, import.meta.url), 'utf8');

void describe('engine names', () => {
  void test('resolves aliased imports, namespaces, member access and constant aliases', () => {
    const text = `import { SilverStep as Silver, GoldStep as SilverStep, sql as q } from './e.js';
import * as engine from '@stepwise/engine';
const Bronze = engine.BronzeStep;
new Bronze({ name: 'a' });
new engine['BronzeStep']({ name: 'b' });
new Silver({ name: 'c', sourceBronze: 'a', transform: (_s, a) => q\`SELECT * FROM \${a}\` });
new SilverStep({ name: 'd', sourceSilvers: ['c'], transform: () => engine.sql\`SELECT 1\` });
new engine.GoldStep({ name: 'e', sourceSilvers: ['d'], transform: () => sql\`SELECT 2\` });
new (engine.SilverStep)({ name: 'f' });
new Map([['name', 'not a step']]);
new Other({ name: 'not a step either' });
`;
    const steps = findStepDefinitions(text);
    assert.deepEqual(
      steps.map((s) => [s.name, s.layer, s.sqlTemplates.map((t) => t.text)]),
      [
        ['a', 'bronze', []],
        ['b', 'bronze', []],
        ['c', 'silver', ['SELECT * FROM __stepwise_ref_1']],
        ['d', 'gold', ['SELECT 1']],
        ['e', 'gold', ['SELECT 2']],
        ['f', 'silver', []],
      ],
    );
  });

  void test('does not take names bound to other modules for the engine ones', () => {
    const text = `import { sql } from 'another-library';
import * as GoldStep from './gold.js';
import { BronzeStep } from '@stepwise/engine';
new BronzeStep({ name: 'a', description: sql\`not ours\` });
new GoldStep({ name: 'not a step' });
`;
    assert.deepEqual(findSqlTemplates(text), []);
    assert.deepEqual(
      findStepDefinitions(text).map((s) => s.name),
      ['a'],
    );
  });

  void test('reads a JavaScript pipeline that requires the engine under other names', () => {
    const text = fixture('commonjs-require.pipeline.js.txt');
    const steps = findStepDefinitions(text, 'orders.pipeline.js');
    assert.deepEqual(
      steps.map((s) => [
        s.layer,
        s.name,
        s.headerLine,
        s.sourceBronze?.value,
        s.sqlTemplates.length,
      ]),
      [
        ['bronze', 'orders', 6, undefined, 0],
        ['silver', 'clean_orders', 8, 'orders', 1],
        ['gold', 'revenue', 18, undefined, 1],
      ],
    );
    assert.deepEqual(
      steps[0]!.ruleStrings.map((r) => [r.column, r.value, r.range]),
      [['amount', 'amount >= 0', rangeOf(text, 'amount >= 0')]],
    );
    assert.equal(
      steps[2]!.sqlTemplates[0]!.text,
      'SELECT sum(amount) AS revenue FROM __stepwise_ref_1',
    );
  });

  void test('finds steps in a method-style transform and keeps its whole range', () => {
    const text = `import { GoldStep, sql } from '@stepwise/engine';
new GoldStep({
  name: 'g',
  sourceSilvers: ['s'],
  transform(_session, silvers) {
    return sql\`SELECT * FROM \${silvers.s}\`;
  },
});
`;
    const [gold] = findStepDefinitions(text);
    assert.deepEqual(gold?.transformRange, {
      start: { line: 4, character: 2 },
      end: { line: 6, character: 3 },
    });
    assert.equal(gold?.sqlTemplates[0]?.text, 'SELECT * FROM __stepwise_ref_1');
  });
});
