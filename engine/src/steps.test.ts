// Unit tests for step construction: good definitions get their defaults, and every bad field
// throws at once with a message naming the step and the field.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isStepwiseError } from './errors.js';
import { sql } from './sqlTemplate.js';
import { BronzeStep, GoldStep, SilverStep } from './steps.js';

const transform = () => sql`SELECT 1 AS x`;

/** Asserts that `make` throws an invalid_step error for `field` whose message matches. */
function fails(make: () => unknown, field: string, message: RegExp, step?: string): void {
  assert.throws(make, (error: unknown) => {
    assert.ok(isStepwiseError(error, 'invalid_step'), String(error));
    assert.equal(error.details.field, field);
    assert.equal(error.details.step, step);
    assert.match(error.message, message);
    return true;
  });
}

void test('well-formed steps get their defaults and dependencies', () => {
  const bronze = new BronzeStep({ name: 'raw', incrementalCol: 'ts', rules: { id: ['not_null'] } });
  assert.deepEqual(
    [bronze.layer, bronze.dependencies, bronze.incrementalCol],
    ['bronze', [], 'ts'],
  );
  assert.deepEqual(
    bronze.compiledRules.map((r) => r.name),
    ['id:not_null'],
  );

  const silver = new SilverStep({
    name: 'clean',
    sourceBronze: 'raw',
    sourceSilvers: ['lookup', 'raw'],
    transform,
  });
  assert.deepEqual(
    [silver.layer, silver.tableName, silver.dependencies, silver.rules, silver.schema],
    ['silver', 'clean', ['raw', 'lookup'], {}, undefined],
  );

  const gold = new GoldStep({
    name: 'report',
    sourceSilvers: ['clean', 'clean'],
    transform,
    tableName: 'daily_report',
    schema: 'marts',
  });
  assert.deepEqual(
    [gold.layer, gold.tableName, gold.dependencies, gold.schema],
    ['gold', 'daily_report', ['clean'], 'marts'],
  );
});

void test('every step needs an options object and a non-empty name', () => {
  assert.throws(
    () => new BronzeStep(undefined as never),
    (e: unknown) =>
      isStepwiseError(e, 'invalid_step') &&
      /new BronzeStep\(\.\.\.\) needs an options object/.test(e.message),
  );
  for (const name of [undefined, '', '   ', 42]) {
    fails(
      () => new SilverStep({ name, sourceBronze: 'raw', transform } as never),
      'name',
      /^SilverStep: 'name' must be a non-empty string, got .*\. Give every step a unique name/,
    );
  }
});

void test('common fields: schema, description and rules', () => {
  fails(
    () => new BronzeStep({ name: 'raw', schema: '' }),
    'schema',
    /^Step 'raw': 'schema' must be a non-empty string when given, got ""\.$/,
    'raw',
  );
  fails(
    () => new GoldStep({ name: 'g', sourceSilvers: ['s'], transform, description: 5 as never }),
    'description',
    /^Step 'g': 'description' must be a non-empty string when given, got 5\.$/,
    'g',
  );
  fails(
    () => new BronzeStep({ name: 'raw', rules: 'id is not null' as never }),
    'rules',
    /^Step 'raw': 'rules' must be an object mapping column names to lists of rules/,
    'raw',
  );
  assert.throws(
    () => new BronzeStep({ name: 'raw', rules: { id: [['gt']] as never } }),
    (e: unknown) => isStepwiseError(e, 'invalid_rule') && e.details.field === 'rules.id',
  );
});

void test('bronze fields: incrementalCol', () => {
  fails(
    () => new BronzeStep({ name: 'raw', incrementalCol: 7 as never }),
    'incrementalCol',
    /^Step 'raw': 'incrementalCol' must be a non-empty string when given, got 7\.$/,
    'raw',
  );
});

void test('silver fields: sourceBronze, transform, tableName, watermarkCol, sourceSilvers', () => {
  const ok = { name: 'clean', sourceBronze: 'raw', transform };
  fails(
    () => new SilverStep({ ...ok, sourceBronze: undefined as never }),
    'sourceBronze',
    /^Step 'clean': 'sourceBronze' is required: name the bronze step it reads, e\.g\. 'flights'\.$/,
    'clean',
  );
  fails(
    () => new SilverStep({ ...ok, transform: undefined as never }),
    'transform',
    /^Step 'clean': 'transform' must be a function that returns a DataFrame or a sql`\.\.\.` query, got nothing\.$/,
    'clean',
  );
  fails(
    () => new SilverStep({ ...ok, transform: 'SELECT 1' as never }),
    'transform',
    /got string\.$/,
    'clean',
  );
  fails(
    () => new SilverStep({ ...ok, tableName: '' }),
    'tableName',
    /'tableName' must be a non-empty string/,
    'clean',
  );
  fails(
    () => new SilverStep({ ...ok, watermarkCol: ' ' }),
    'watermarkCol',
    /'watermarkCol' must be a non-empty string/,
    'clean',
  );
  fails(
    () => new SilverStep({ ...ok, sourceSilvers: 'lookup' as never }),
    'sourceSilvers',
    /^Step 'clean': 'sourceSilvers' must be a list of step names, got "lookup"\.$/,
    'clean',
  );
  fails(
    () => new SilverStep({ ...ok, sourceSilvers: ['lookup', ''] }),
    'sourceSilvers',
    /must be a list of step names, got \["lookup",""\]/,
    'clean',
  );
});

void test('gold fields: sourceSilvers must be a non-empty list, transform a function', () => {
  for (const sourceSilvers of [undefined, [], 'clean', [3]]) {
    fails(
      () => new GoldStep({ name: 'report', sourceSilvers, transform } as never),
      'sourceSilvers',
      /^Step 'report': 'sourceSilvers' must be a non-empty list of step names, got /,
      'report',
    );
  }
  fails(
    () => new GoldStep({ name: 'report', sourceSilvers: ['clean'] } as never),
    'transform',
    /'transform' must be a function/,
    'report',
  );
  fails(
    () => new GoldStep({ name: 'report', sourceSilvers: ['clean'], transform, tableName: '' }),
    'tableName',
    /'tableName' must be a non-empty string when given, got ""/,
    'report',
  );
});
