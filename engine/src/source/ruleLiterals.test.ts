// Unit tests for reading rule columns and SQL rule strings from a step's `rules` literal.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { compileRules, type Rules } from '../rules.js';
import {
  findStepDefinitions,
  isSqlRule,
  mapTextOffset,
  mapTextRange,
  TUPLE_OPERATORS,
  type StepDefinition,
} from './stepDefinitions.js';
import { rangeOf } from './testPositions.js';

/** The only step of a file that holds one bronze step with the given rules literal. */
function bronzeWithRules(rules: string): { text: string; step: StepDefinition } {
  const text = `import { BronzeStep, F } from '@stepwise/engine';
new BronzeStep({
  name: 'orders',
  rules: ${rules},
});
`;
  const steps = findStepDefinitions(text, 'orders.pipeline.ts');
  assert.equal(steps.length, 1);
  return { text, step: steps[0]! };
}

void describe('rule columns', () => {
  void test('reads unicode, escaped, quoted, numeric and literal computed keys', () => {
    const { text, step } = bronzeWithRules(`{
    délai: ['not_null'],
    航班数: ['positive'],
    caf\\u00e9: ['not_null'],
    'avg delay': ['not_null'],
    "it's": ['not_null'],
    'a"b': ['not_null'],
    'tab\\there': ['not_null'],
    ['computed key']: ['not_null'],
    2024: ['not_null'],
    origin,
    ...shared,
    [dynamic]: ['not_null'],
    method() { return []; },
  }`);
    assert.deepEqual(
      step.ruleColumns.map((c) => [c.value, c.range]),
      [
        ['délai', rangeOf(text, 'délai')],
        ['航班数', rangeOf(text, '航班数')],
        ['café', rangeOf(text, 'caf\\u00e9')],
        ['avg delay', rangeOf(text, 'avg delay')],
        ["it's", rangeOf(text, "it's")],
        ['a"b', rangeOf(text, 'a"b')],
        ['tab\there', rangeOf(text, 'tab\\there')],
        ['computed key', rangeOf(text, 'computed key')],
        ['2024', rangeOf(text, '2024')],
        ['origin', rangeOf(text, 'origin')],
      ],
    );
  });

  void test('is empty when rules is not an object literal', () => {
    assert.deepEqual(bronzeWithRules('sharedRules').step.ruleColumns, []);
    assert.deepEqual(bronzeWithRules('{ ...sharedRules }').step.ruleColumns, []);
  });
});

void describe('rule strings', () => {
  void test('keeps SQL strings and leaves out shorthands, tuples and expressions', () => {
    const { text, step } = bronzeWithRules(`{
    a: ['not_null', 'positive', 'non_negative', 'non_zero', 'not_empty', 'a > 0'],
    b: ['between', 1, 9],
    c: [['gt', 0], ['in', ['x > 1', 'y']], ['like', '%x%'], ['c < 100']],
    d: 'd <> 13',
    e: [{ name: 'recent', rule: 'e >= DATE \\'2024-01-01\\'' }, { name: 'pos', rule: 'positive' }],
    f: [F.col('f').isNotNull(), F.expr('f > 0'), \`f % 2 = 0\`, \`f > \${limit}\`],
    g: ['', '   ', 'gt', 'between'],
    h: [['h IS DISTINCT FROM 0']],
  }`);
    assert.deepEqual(
      step.ruleStrings.map((r) => [r.column, r.value, r.range]),
      [
        ['a', 'a > 0', rangeOf(text, 'a > 0')],
        ['c', 'c < 100', rangeOf(text, 'c < 100')],
        ['d', 'd <> 13', rangeOf(text, 'd <> 13')],
        ['e', "e >= DATE '2024-01-01'", rangeOf(text, "e >= DATE \\'2024-01-01\\'")],
        ['f', 'f % 2 = 0', rangeOf(text, 'f % 2 = 0')],
        ['h', 'h IS DISTINCT FROM 0', rangeOf(text, 'h IS DISTINCT FROM 0')],
      ],
    );
  });

  void test('maps offsets in a rule string with escapes back to the document', () => {
    const { text, step } = bronzeWithRules(`{ e: ['e >= DATE \\'2024-01-01\\' AND e < now()'] }`);
    const rule = step.ruleStrings[0]!;
    const value = rule.value;
    assert.equal(value, "e >= DATE '2024-01-01' AND e < now()");
    const now = value.indexOf('now()');
    assert.deepEqual(mapTextOffset(rule.segments, now).position, rangeOf(text, 'now()').start);
    assert.deepEqual(mapTextRange(rule.segments, now, now + 5), rangeOf(text, 'now()'));
    const quote = value.indexOf("'");
    assert.deepEqual(mapTextRange(rule.segments, quote, quote + 1), rangeOf(text, "\\'"));
    assert.equal(mapTextOffset(rule.segments, value.length).offset, rule.end);
  });

  void test('agrees with the engine on which strings are shorthands and tuple operators', () => {
    const compiledSql = (rules: Rules): string | undefined => compileRules('s', rules)[0]?.sql;
    for (const shorthand of ['not_null', 'positive', 'non_negative', 'non_zero', 'not_empty']) {
      assert.equal(isSqlRule(shorthand), false, shorthand);
      assert.notEqual(compiledSql({ c: [shorthand] }), `(${shorthand})`, shorthand);
    }
    assert.equal(compiledSql({ c: ['c > 0'] }), '(c > 0)');
    assert.equal(isSqlRule('c > 0'), true);
    const operatorError = (op: string): string => {
      try {
        compileRules('s', { c: [[op, 1, 2, 3]] } as unknown as Rules);
        return 'compiled';
      } catch (error) {
        return error instanceof Error ? error.message : String(error);
      }
    };
    for (const op of TUPLE_OPERATORS) {
      assert.doesNotMatch(operatorError(op), /unknown operator/, op);
      assert.equal(isSqlRule(op), false, op);
    }
    assert.match(operatorError('greater'), /unknown operator/);
  });
});
