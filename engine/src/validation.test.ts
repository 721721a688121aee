// Unit tests for validation: every row is valid or invalid (NULL rules fail), counts add up,
// thresholds fail with both numbers, empty outputs are "no rows", and invalid rows are kept.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { DuckDBListValue } from '@duckdb/node-api';
import { resultOf, withSession } from '../../test/helpers.js';
import { PipelineConfig } from './config.js';
import { formatRate } from './report.js';
import { compileRules, type Rules } from './rules.js';
import { SimplePipelineRunner } from './runner.js';
import type { Session } from './session.js';
import { sql } from './sqlTemplate.js';
import { BronzeStep, SilverStep } from './steps.js';
import { FAILED_RULES_COLUMN, validateOutput } from './validation.js';

/** Validates the rows of `query` (SQL text) against `rules`. */
async function validate(session: Session, query: string, rules: Rules, prune = false) {
  return validateOutput(
    session,
    'checked',
    { text: query, params: [] },
    compileRules('s', rules),
    prune,
  );
}

/** The rule names in each invalid row's `_failed_rules`, by id. */
async function failedRules(frame: { collect(): Promise<Record<string, unknown>[]> }) {
  const rows = await frame.collect();
  return Object.fromEntries(
    rows.map((r) => [String(r.id), (r[FAILED_RULES_COLUMN] as DuckDBListValue).items]),
  );
}

/** Runs a bronze step over one row and a silver step `checked` that outputs `query`. */
async function runChecked(session: Session, query: string, rules: Rules, silverThreshold = 98) {
  const config = PipelineConfig.createDefault('analytics').withThresholds({
    silver: silverThreshold,
  });
  const steps = [
    new BronzeStep({ name: 'raw' }),
    new SilverStep({
      name: 'checked',
      sourceBronze: 'raw',
      transform: (s) => s.sql(query),
      rules,
    }),
  ];
  return new SimplePipelineRunner(session, config).runPipeline(steps, {
    bronzeSources: { raw: sql`SELECT 1 AS one` },
  });
}

void test('a rule that is NULL makes the row invalid, with the rule named', async () => {
  await withSession(async (session) => {
    const outcome = await validate(
      session,
      'SELECT * FROM (VALUES (1, 5), (2, NULL), (3, -1)) t(id, value)',
      { value: ['value > 0', ['lt', 100]] },
    );
    assert.equal(outcome.outputRows, 3);
    assert.equal(outcome.validRows, 1);
    assert.equal(outcome.invalidRows, 2);
    assert.deepEqual(
      (await outcome.valid.collect()).map((r) => r.id),
      [1],
    );
    assert.deepEqual(await failedRules(outcome.invalid), {
      2: ['value:value > 0', 'value:lt_100'],
      3: ['value:value > 0'],
    });
    assert.deepEqual(outcome.ruleFailures, { 'value:value > 0': 2, 'value:lt_100': 1 });
    assert.equal(outcome.validationRate, (1 / 3) * 100);
  });
});

void test('valid and invalid rows always add up to the output rows', async () => {
  const datasets = [
    'SELECT NULL::INTEGER AS id, NULL::INTEGER AS value',
    'SELECT i AS id, i % 7 - 3 AS value FROM range(50) t(i)',
    'SELECT i AS id, CASE WHEN i % 3 = 0 THEN NULL ELSE i END AS value FROM range(40) t(i)',
    'SELECT i AS id, i AS value FROM range(10) t(i) WHERE FALSE',
    'SELECT i AS id, 1 AS value FROM range(25) t(i)',
  ];
  const rules: Rules = { value: ['not_null', ['between', -1, 2]], id: [['ne', 5]] };
  await withSession(async (session) => {
    for (const query of datasets) {
      const outcome = await validate(session, query, rules);
      const total = await session.sql(query).count();
      assert.equal(outcome.outputRows, total, query);
      assert.equal(outcome.validRows + outcome.invalidRows, outcome.outputRows, query);
      assert.equal(await outcome.valid.count(), outcome.validRows, query);
      assert.equal(await outcome.invalid.count(), outcome.invalidRows, query);
      const unnamed = await session.query(
        `SELECT count(*) FROM (${outcome.invalidSQL}) WHERE len(${FAILED_RULES_COLUMN}) = 0`,
      );
      assert.equal(
        Number(unnamed.getRows()[0]?.[0]),
        0,
        `every invalid row names a rule: ${query}`,
      );
    }
  });
});

void test('validation keeps unruled columns unless asked to prune them', async () => {
  await withSession(async (session) => {
    const query = 'SELECT 1 AS id, 2 AS extra, 3 AS value';
    const kept = await validate(session, query, { value: ['not_null'] });
    assert.deepEqual(await kept.valid.columns(), ['id', 'extra', 'value']);
    assert.deepEqual(await kept.invalid.columns(), ['id', 'extra', 'value', FAILED_RULES_COLUMN]);
    const pruned = await validate(session, query, { value: ['not_null'] }, true);
    assert.deepEqual(await pruned.valid.columns(), ['value']);
    assert.deepEqual(await pruned.invalid.columns(), ['value', FAILED_RULES_COLUMN]);
  });
});

void test('a 75% NULL column below a 50% threshold fails the step with both numbers', async () => {
  await withSession(async (session) => {
    const report = await runChecked(
      session,
      'SELECT * FROM (VALUES (1, 10), (2, NULL), (3, NULL), (4, NULL)) t(id, amount)',
      { amount: ['not_null'] },
      50,
    );
    const result = resultOf(report, 'checked');
    assert.equal(report.status, 'failed');
    assert.equal(result.status, 'failed');
    assert.equal(result.validRows, 1);
    assert.equal(result.outputRows, 4);
    assert.equal(result.validationRate, 25);
    assert.deepEqual(result.ruleFailures, { 'amount:not_null': 3 });
    assert.match(
      result.error ?? '',
      /1 of 4 rows are valid \(25\.00%\), below the silver threshold of 50%\. Failing rules: amount:not_null \(3 rows\)/,
    );
    assert.equal(result.rowsWritten, 0);
    assert.equal(
      await session.warehouse.tableSchema({ schema: 'analytics', table: 'checked' }),
      undefined,
    );
  });
});

void test('a rate exactly at the threshold passes', async () => {
  await withSession(async (session) => {
    const report = await runChecked(
      session,
      'SELECT * FROM (VALUES (1, 10), (2, NULL)) t(id, amount)',
      { amount: ['not_null'] },
      50,
    );
    assert.equal(resultOf(report, 'checked').status, 'completed');
    assert.equal(resultOf(report, 'checked').rowsWritten, 1);
  });
});

void test('an empty output is "no rows" at rate 100 and the step completes', async () => {
  await withSession(async (session) => {
    const report = await runChecked(session, 'SELECT 1 AS id, 1 AS amount WHERE FALSE', {
      amount: ['not_null', ['gt', 0]],
    });
    const result = resultOf(report, 'checked');
    assert.equal(result.status, 'completed');
    assert.equal(result.outputRows, 0);
    assert.equal(result.validationRate, 100);
    assert.equal(formatRate(result), 'no rows');
    assert.deepEqual(result.ruleFailures, { 'amount:not_null': 0, 'amount:gt_0': 0 });
  });
});

void test('formatRate shows rates with enough digits and never rounds to 100% or 0%', () => {
  const cases: [number, number, string][] = [
    [100, 10, '100%'],
    [0, 10, '0%'],
    [99.8, 1000, '99.8%'],
    [25, 4, '25.0%'],
    [99.96, 10000, '99.96%'],
    [0.04, 10000, '0.04%'],
    [100, 0, 'no rows'],
  ];
  for (const [validationRate, outputRows, shown] of cases) {
    assert.equal(formatRate({ validationRate, outputRows }), shown);
  }
});

void test('a rule on a column the output lacks fails the step naming the rule and the columns', async () => {
  await withSession(async (session) => {
    const report = await runChecked(session, 'SELECT 1 AS id, 2 AS amount', {
      amount: ['not_null'],
      amout: [['gt', 0]],
    });
    const result = resultOf(report, 'checked');
    assert.equal(result.status, 'failed');
    assert.match(
      result.error ?? '',
      /rule 'amout:gt_0' is on column 'amout', which the step's output does not have \(it has 'id', 'amount'\)/,
    );
  });
});

void test('invalid rows are written to <table>__invalid with the rules they failed', async () => {
  await withSession(async (session) => {
    const report = await runChecked(
      session,
      "SELECT * FROM (VALUES (1, 10, 'a'), (2, -5, 'b'), (3, NULL, ''), (4, 7, 'd')) t(id, amount, code)",
      { amount: [['gt', 0]], code: ['not_empty'] },
      0,
    );
    const result = resultOf(report, 'checked');
    assert.equal(result.status, 'completed');
    assert.deepEqual(result.ruleFailures, { 'amount:gt_0': 2, 'code:not_empty': 1 });
    assert.equal(result.rowsWritten, 2);
    const invalid = session.table('analytics.checked__invalid').orderBy('id');
    assert.deepEqual(await invalid.columns(), ['id', 'amount', 'code', FAILED_RULES_COLUMN]);
    assert.deepEqual(await failedRules(invalid), {
      2: ['amount:gt_0'],
      3: ['amount:gt_0', 'code:not_empty'],
    });
    const valid = await session.table('analytics.checked').orderBy('id').collect();
    assert.deepEqual(
      valid.map((r) => r.id),
      [1, 4],
    );
  });
});

void test('more than 62 rules still name each failed rule; more than 127 are refused', async () => {
  await withSession(async (session) => {
    const many = { id: Array.from({ length: 100 }, (_, k) => ['ne', k] as const) };
    const outcome = await validate(
      session,
      'SELECT * FROM (VALUES (5), (70), (99), (1000)) t(id)',
      many,
    );
    assert.equal(outcome.validRows, 1);
    assert.deepEqual(await failedRules(outcome.invalid), {
      5: ['id:ne_5'],
      70: ['id:ne_70'],
      99: ['id:ne_99'],
    });
    assert.equal(outcome.ruleFailures['id:ne_70'], 1);
    assert.equal(outcome.ruleFailures['id:ne_71'], 0);
    const tooMany = { id: Array.from({ length: 128 }, (_, k) => ['ne', k] as const) };
    await assert.rejects(
      validate(session, 'SELECT 1 AS id', tooMany),
      /Step 'checked' has 128 rules; at most 127 are supported/,
    );
  });
});

void test('a SQL rule that does not bind names the rule and suggests a misspelt shorthand', async () => {
  await withSession(async (session) => {
    const runner = new SimplePipelineRunner(session, PipelineConfig.createDefault('analytics'));
    const run = async (rule: string): Promise<string> => {
      const steps = [
        new BronzeStep({ name: 'raw' }),
        new SilverStep({
          name: 'clean',
          sourceBronze: 'raw',
          transform: (_s, df) => df,
          rules: { amount: [rule] },
        }),
      ];
      const source = session.createDataFrame([[1, 2]], ['id', 'amount']);
      const report = await runner.runPipeline(steps, { bronzeSources: { raw: source } });
      return report.silverResults.clean?.error ?? '';
    };
    assert.match(
      await run('amout > 0'),
      /rule 'amount:amout > 0' is not valid SQL over the step's output: Binder Error: Referenced column "amout" not found.*The output has columns 'id', 'amount'\./,
    );
    assert.match(await run('not_nul'), /Did you mean the shorthand 'not_null'\?/);
    assert.doesNotMatch(await run('not_nul'), /stepwise_work/);
  });
});
