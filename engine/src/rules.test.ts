// Unit tests for compileRules: every rule form, its stable name, what it accepts on real data,
// and the error for every malformed rule.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { withSession } from '../../test/helpers.js';
import { F } from './functions.js';
import { isStepwiseError } from './errors.js';
import { compileRules, type CompiledRule, type Rules } from './rules.js';
import type { Session } from './session.js';

const NUMBERS = [-1, 0, 1, 5, 9, 10, null];
const TEXTS = ['', 'a', 'abc', 'abcd', 'xyz', null];

/** The values of `v` for which the rule is TRUE (a NULL outcome is not a pass). */
async function passing(
  session: Session,
  rule: CompiledRule,
  values: unknown[],
): Promise<unknown[]> {
  const frame = session.createDataFrame(
    values.map((v) => [v]),
    [{ name: 'v', type: typeof values[0] === 'string' ? 'VARCHAR' : 'INTEGER' }],
  );
  const rows = await frame.filter(`coalesce(${rule.sql}, FALSE)`).collect();
  return rows.map((r) => r.v);
}

/** The one rule compiled from `rules` for column `v`. */
function only(rules: Rules): CompiledRule {
  const compiled = compileRules('s', rules);
  assert.equal(compiled.length, 1);
  return compiled[0]!;
}

void test('every rule form compiles to a named predicate that passes the right values', async () => {
  const cases: [string, Rules, string, unknown[], unknown[]][] = [
    ['Column', { v: [F.col('v').gt(1)] }, 'v:v > 1', NUMBERS, [5, 9, 10]],
    ['SQL string', { v: ['v % 5 = 0'] }, 'v:v % 5 = 0', NUMBERS, [0, 5, 10]],
    ['not_null', { v: ['not_null'] }, 'v:not_null', NUMBERS, [-1, 0, 1, 5, 9, 10]],
    ['positive', { v: ['positive'] }, 'v:positive', NUMBERS, [1, 5, 9, 10]],
    ['non_negative', { v: ['non_negative'] }, 'v:non_negative', NUMBERS, [0, 1, 5, 9, 10]],
    ['non_zero', { v: ['non_zero'] }, 'v:non_zero', NUMBERS, [-1, 1, 5, 9, 10]],
    ['not_empty', { v: ['not_empty'] }, 'v:not_empty', TEXTS, ['a', 'abc', 'abcd', 'xyz']],
    ['gt', { v: [['gt', 5]] }, 'v:gt_5', NUMBERS, [9, 10]],
    ['gte', { v: [['gte', 5]] }, 'v:gte_5', NUMBERS, [5, 9, 10]],
    ['ge', { v: [['ge', 5]] }, 'v:ge_5', NUMBERS, [5, 9, 10]],
    ['lt', { v: [['lt', 1]] }, 'v:lt_1', NUMBERS, [-1, 0]],
    ['lte', { v: [['lte', 1]] }, 'v:lte_1', NUMBERS, [-1, 0, 1]],
    ['le', { v: [['le', 1]] }, 'v:le_1', NUMBERS, [-1, 0, 1]],
    ['eq', { v: [['eq', 'abc']] }, 'v:eq_abc', TEXTS, ['abc']],
    ['ne', { v: [['ne', 0]] }, 'v:ne_0', NUMBERS, [-1, 1, 5, 9, 10]],
    ['between', { v: [['between', 1, 9]] }, 'v:between_1_9', NUMBERS, [1, 5, 9]],
    ['not_between', { v: [['not_between', 1, 9]] }, 'v:not_between_1_9', NUMBERS, [-1, 0, 10]],
    ['in', { v: [['in', ['a', 'xyz']]] }, 'v:in(a,xyz)', TEXTS, ['a', 'xyz']],
    ['not_in', { v: [['not_in', [0, 5]]] }, 'v:not_in(0,5)', NUMBERS, [-1, 1, 9, 10]],
    ['like', { v: [['like', 'a%']] }, 'v:like(a%)', TEXTS, ['a', 'abc', 'abcd']],
    ['not_like', { v: [['not_like', 'a%']] }, 'v:not_like(a%)', TEXTS, ['', 'xyz']],
    ['regex', { v: [['regex', '^a.c']] }, 'v:regex(^a.c)', TEXTS, ['abc', 'abcd']],
    ['min_length', { v: [['min_length', 3]] }, 'v:min_length_3', TEXTS, ['abc', 'abcd', 'xyz']],
    ['max_length', { v: [['max_length', 1]] }, 'v:max_length_1', TEXTS, ['', 'a']],
  ];
  await withSession(async (session) => {
    for (const [form, rules, name, values, expected] of cases) {
      const rule = only(rules);
      assert.equal(rule.name, name, form);
      assert.equal(rule.column, 'v', form);
      assert.deepEqual(await passing(session, rule, values), expected, form);
    }
  });
});

void test('a flat tuple and a nested tuple mean the same rule', () => {
  const pairs: [Rules, Rules][] = [
    [{ distance: ['gt', 0] }, { distance: [['gt', 0]] }],
    [{ n: ['between', 1, 9] }, { n: [['between', 1, 9]] }],
    [{ c: ['in', ['a', 'b']] }, { c: [['in', ['a', 'b']]] }],
    [{ c: ['regex', '^x'] }, { c: [['regex', '^x']] }],
  ];
  for (const [flat, nested] of pairs) {
    assert.deepEqual(compileRules('s', flat), compileRules('s', nested));
  }
  assert.deepEqual(
    compileRules('s', { distance: ['gt', 0] }).map((r) => r.name),
    ['distance:gt_0'],
  );
});

void test('rule names are stable, readable and unique within a step', () => {
  const compiled = compileRules('s', {
    amount: [
      F.col('amount').isNotNull(),
      'amount > 0',
      ['gt', 0],
      ['gt', 0],
      { name: 'positive_amount', rule: ['gt', 0] },
    ],
    'a "quoted" name': ['not_null'],
  });
  assert.deepEqual(
    compiled.map((r) => r.name),
    [
      'amount:amount IS NOT NULL',
      'amount:amount > 0',
      'amount:gt_0',
      'amount:gt_0#2',
      'amount:positive_amount',
      'a "quoted" name:not_null',
    ],
  );
  assert.deepEqual(
    compiled,
    compileRules('s', {
      amount: [
        F.col('amount').isNotNull(),
        'amount > 0',
        ['gt', 0],
        ['gt', 0],
        { name: 'positive_amount', rule: ['gt', 0] },
      ],
      'a "quoted" name': ['not_null'],
    }),
  );
});

void test('a named rule can wrap a Column, a SQL string or a tuple', async () => {
  const rules = compileRules('s', {
    v: [
      { name: 'big', rule: F.col('v').ge(9) },
      { name: 'even', rule: 'v % 2 = 0' },
      { name: 'small', rule: ['lt', 10] },
    ],
  });
  assert.deepEqual(
    rules.map((r) => r.name),
    ['v:big', 'v:even', 'v:small'],
  );
  await withSession(async (session) => {
    assert.deepEqual(await passing(session, rules[0]!, NUMBERS), [9, 10]);
    assert.deepEqual(await passing(session, rules[1]!, NUMBERS), [0, 10]);
    assert.deepEqual(await passing(session, rules[2]!, NUMBERS), [-1, 0, 1, 5, 9]);
  });
});

void test('literal values are exact: bigints, dates and quotes in strings', async () => {
  const big = -8682357422280616451n;
  await withSession(async (session) => {
    const rule = only({ v: [['eq', big]] });
    assert.equal(rule.name, 'v:eq_-8682357422280616451');
    const frame = session.sql(`SELECT ${big - 1n}::BIGINT AS v UNION ALL SELECT ${big}::BIGINT`);
    assert.deepEqual(
      (await frame.filter(rule.sql).collect()).map((r) => r.v),
      [big],
    );
    const quote = only({ v: [['eq', "it's"]] });
    assert.deepEqual(await passing(session, quote, ["it's", 'its']), ["it's"]);
    const when = only({ v: [['ge', new Date('2024-01-01T00:00:00Z')]] });
    assert.equal(when.name, 'v:ge_2024-01-01T00:00:00.000Z');
  });
});

/** The error compileRules throws for `rules`, checked to name the step and the column. */
function ruleError(rules: unknown, column = 'c'): string {
  try {
    compileRules('clean_flights', rules as Rules);
  } catch (error) {
    assert.ok(isStepwiseError(error), `not a StepwiseError: ${String(error)}`);
    assert.equal(error.details.step, 'clean_flights');
    assert.equal(error.details.field, `rules.${column}`);
    assert.match(error.message, new RegExp(`Step 'clean_flights', rules for column '${column}'`));
    return error.message;
  }
  assert.fail(`compileRules accepted ${JSON.stringify(rules)}`);
}

void test('every malformed rule fails with a message naming the step, the column and the fix', () => {
  assert.match(ruleError({ c: [['gte_or_so', 1]] }), /unknown operator "gte_or_so"/);
  assert.match(ruleError({ c: [[42, 1]] }), /unknown operator 42/);
  assert.match(ruleError({ c: [['gt', 1, 2]] }), /'gt' takes 1 value\(s\), got 2/);
  assert.match(ruleError({ c: ['gt', 1, 2] }), /'gt' takes 1 value\(s\), got 2/);
  assert.match(ruleError({ c: [['between', 1]] }), /'between' takes 2 value\(s\), got 1/);
  assert.match(ruleError({ c: ['in', 'a'] }), /'in' needs a non-empty list of values/);
  assert.match(ruleError({ c: [['not_in', []]] }), /'not_in' needs a non-empty list of values/);
  assert.match(ruleError({ c: [['in', [1, {}]]] }), /\{\} is not a literal value/);
  assert.match(ruleError({ c: [['gt', { x: 1 }]] }), /\{"x":1\} is not a literal value/);
  assert.match(ruleError({ c: [['eq', undefined]] }), /undefined is not a literal value/);
  assert.match(ruleError({ c: [['like', 5]] }), /'like' needs a string pattern/);
  assert.match(ruleError({ c: [['min_length', -1]] }), /'min_length' needs a non-negative whole/);
  assert.match(ruleError({ c: [['max_length', 1.5]] }), /'max_length' needs a non-negative whole/);
  assert.match(ruleError({ c: [''] }), /an empty string is not a rule/);
  assert.match(ruleError({ c: ['   '] }), /an empty string is not a rule/);
  assert.match(ruleError({ c: 42 }), /a column maps to a list of rules/);
  assert.match(ruleError({ c: [42] }), /unsupported rule form \(got 42\)/);
  assert.match(ruleError({ c: [{ name: 'x' }] }), /unsupported rule form/);
  assert.match(ruleError({ c: [['eq', 1n, 2n]] }), /got \["eq","1","2"\]/);
  assert.match(ruleError({ c: [['gt']] }), /'gt' takes 1 value\(s\), got 0/);
  assert.match(ruleError({ c: ['gt'] }), /'gt' takes 1 value\(s\), got 0/);
  assert.match(ruleError({ c: [['between', 1, 2, 3]] }), /Use a Column expression, a SQL string/);
});

void test('rules that are not an object of lists fail naming the step and the field', () => {
  for (const rules of ['id not null', ['not_null'], null, 42]) {
    assert.throws(
      () => compileRules('clean_flights', rules as unknown as Rules),
      (error: unknown) =>
        isStepwiseError(error, 'invalid_step') &&
        error.details.step === 'clean_flights' &&
        error.details.field === 'rules' &&
        /Step 'clean_flights': 'rules' must be an object mapping column names/.test(error.message),
      JSON.stringify(rules),
    );
  }
  assert.deepEqual(compileRules('s', undefined), []);
  assert.deepEqual(compileRules('s', {}), []);
});
