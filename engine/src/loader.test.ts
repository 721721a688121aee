// Unit tests for loadPipeline: a valid file with relative sources and step locations, and every
// way a file can be wrong (syntax, missing, no default export, bad step field, cycles), plus
// reloading after an edit.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { FIXTURES, resultOf, withSession, withTempDir } from '../../test/helpers.js';
import { isStepwiseError, type StepwiseErrorCode } from './errors.js';
import { loadPipeline } from './loader.js';
import { SimplePipelineRunner } from './runner.js';
import { isSourceSpec } from './sources.js';

const PIPELINES = join(FIXTURES, 'pipelines');

/** 1-based numbers of the lines of `file` that contain `text`. */
function linesWith(file: string, text: string): number[] {
  return readFileSync(file, 'utf8')
    .split('\n')
    .flatMap((line, i) => (line.includes(text) ? [i + 1] : []));
}

/** The StepwiseError that loading `file` rejects with, checked for its code. */
async function loadError(file: string, code: StepwiseErrorCode) {
  try {
    await loadPipeline(file);
  } catch (error) {
    assert.ok(isStepwiseError(error), String(error));
    assert.equal(error.code, code, error.message);
    return error;
  }
  assert.fail(`${file} loaded`);
}

void test('a valid pipeline loads with its steps, params, absolute sources and step lines', async () => {
  const file = join(PIPELINES, 'eventsFromCsv.pipeline.ts');
  const { file: loaded, definition } = await loadPipeline(file);
  assert.equal(loaded, file);
  assert.equal(definition.config.schema, 'fixtures');
  assert.deepEqual(
    definition.steps.map((s) => s.name),
    ['events', 'clean_events', 'totals'],
  );
  assert.deepEqual(definition.params, { clean_events: { threshold: 15 } });
  const source = definition.sources.events;
  assert.ok(isSourceSpec(source));
  assert.equal(source.path, join(PIPELINES, 'data', 'events.csv'));

  const expected = [
    ...linesWith(file, 'new BronzeStep('),
    ...linesWith(file, 'new SilverStep('),
    ...linesWith(file, 'new GoldStep('),
  ];
  assert.deepEqual(
    definition.steps.map((s) => s.definedAt?.line),
    expected,
  );
  assert.ok(definition.steps.every((s) => s.definedAt?.file === file));

  await withSession(async (session) => {
    const report = await new SimplePipelineRunner(session, definition.config).runPipeline(
      definition.steps,
      { bronzeSources: definition.sources, stepParams: definition.params },
    );
    assert.equal(report.status, 'completed', report.errors.join('\n'));
    const totals = await session.table('fixtures.totals').collect();
    assert.deepEqual(
      totals.map((r) => [Number(r.n), Number(r.total)]),
      [[2, 50]],
    );
    assert.equal(resultOf(report, 'events').inputRows, 3);
  });
});

void test('a syntax error names the file, line and column', async () => {
  await withTempDir(async (dir) => {
    const file = join(dir, 'broken.pipeline.ts');
    writeFileSync(file, "import { definePipeline } from '@stepwise/engine';\n\nconst limit = ;\n");
    const error = await loadError(file, 'pipeline_syntax_error');
    assert.deepEqual(error.details.location, { file, line: 3, column: 15 });
    assert.match(error.message, new RegExp(`^${file}:3:15: Unexpected ";"\\n    const limit = ;$`));
  });
});

void test('a missing file and a file without a default export are explained', async () => {
  const missing = join(PIPELINES, 'doesNotExist.pipeline.ts');
  const notFound = await loadError(missing, 'pipeline_load_failed');
  assert.match(notFound.message, new RegExp(`^Pipeline file not found: ${missing}\\.`));

  const file = join(PIPELINES, 'noDefaultExport.pipeline.ts');
  const noExport = await loadError(file, 'pipeline_load_failed');
  assert.equal(
    noExport.message,
    `${file} does not export a pipeline. End it with \`export default definePipeline({ ... })\`, ` +
      "importing definePipeline from '@stepwise/engine'.",
  );
});

void test('a step with a bad field fails the load naming the step, the field and file:line', async () => {
  const file = join(PIPELINES, 'badStepField.pipeline.ts');
  const error = await loadError(file, 'invalid_step');
  const [line] = linesWith(file, 'new SilverStep(');
  assert.equal(error.details.step, 'clean_events');
  assert.equal(error.details.field, 'tableName');
  assert.equal(error.details.location?.line, line);
  assert.match(
    error.message,
    new RegExp(
      `^${file}:${line}:\\d+: Step 'clean_events': 'tableName' must be a non-empty string`,
    ),
  );
});

void test('a cycle and a self-reference fail the load with the whole path', async () => {
  const cycle = await loadError(join(PIPELINES, 'cycleTwoSteps.pipeline.ts'), 'dependency_cycle');
  assert.match(
    cycle.message,
    /cycleTwoSteps\.pipeline\.ts:\d+:\d+: Steps depend on each other in a cycle: a → b → a\./,
  );
  const self = await loadError(join(PIPELINES, 'selfReference.pipeline.ts'), 'dependency_cycle');
  assert.match(self.message, /Steps depend on each other in a cycle: loop → loop\./);
});

void test('loading again after an edit picks up the edit, with the new step lines', async () => {
  await withTempDir(async (dir) => {
    const file = join(dir, 'edited.pipeline.ts');
    const write = (padding: string, name: string): void =>
      writeFileSync(
        file,
        [
          "import { BronzeStep, definePipeline } from '@stepwise/engine';",
          padding,
          'export default definePipeline({',
          "  schema: 'edits',",
          `  steps: [new BronzeStep({ name: '${name}', rules: { id: ['not_null'] } })],`,
          '});',
          '',
        ].join('\n'),
      );
    write('', 'before');
    const first = await loadPipeline(file);
    assert.deepEqual(
      first.definition.steps.map((s) => [s.name, s.definedAt?.line]),
      [['before', 5]],
    );
    write('\n\n\n', 'after');
    const second = await loadPipeline(file);
    assert.deepEqual(
      second.definition.steps.map((s) => [s.name, s.definedAt?.line]),
      [['after', 8]],
    );
  });
});

void test('relative read.parquet and read.csv paths resolve against the pipeline file', async () => {
  await withTempDir(async (dir) => {
    await mkdir(join(dir, 'pipelines'));
    await mkdir(join(dir, 'data'));
    await withSession(async (session) => {
      await session.run(
        `COPY (SELECT range AS id FROM range(4)) TO '${join(dir, 'data', 'ids.parquet')}' (FORMAT parquet)`,
      );
    });
    writeFileSync(join(dir, 'data', 'names.csv'), 'id,name\n1,one\n');
    const file = join(dir, 'pipelines', 'relative.pipeline.ts');
    writeFileSync(
      file,
      [
        "import { BronzeStep, definePipeline, read } from '@stepwise/engine';",
        'export default definePipeline({',
        "  sources: { ids: read.parquet('../data/ids.parquet'), names: read.csv('../data/names.csv') },",
        '  steps: [',
        "    new BronzeStep({ name: 'ids', rules: { id: ['not_null'] } }),",
        "    new BronzeStep({ name: 'names', rules: { id: ['not_null'] } }),",
        '  ],',
        '});',
        '',
      ].join('\n'),
    );
    const { definition } = await loadPipeline(file);
    const paths = Object.values(definition.sources).map((s) => (isSourceSpec(s) ? s.path : ''));
    assert.deepEqual(paths, [join(dir, 'data', 'ids.parquet'), join(dir, 'data', 'names.csv')]);
    await withSession(async (session) => {
      const report = await new SimplePipelineRunner(session, definition.config).runPipeline(
        definition.steps,
        { bronzeSources: definition.sources },
      );
      assert.equal(report.status, 'completed', report.errors.join('\n'));
      assert.deepEqual(
        [resultOf(report, 'ids').outputRows, resultOf(report, 'names').outputRows],
        [4, 1],
      );
    });
  });
});
