// Unit tests for SimplePipelineRunner: the decisions of DESIGN.md on validation, failures, order,
// unknown names, downstream invalidation, row counts, dependencies, errors and params.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { FIXTURES, frame, resultOf, withSession } from '../../test/helpers.js';
import { PipelineConfig } from './config.js';
import type { DataFrame } from './dataframe.js';
import { PipelineDebugSession } from './debugSession.js';
import { F } from './functions.js';
import { loadPipeline } from './loader.js';
import { SimplePipelineRunner } from './runner.js';
import type { Session } from './session.js';
import { sql } from './sqlTemplate.js';
import {
  BronzeStep,
  GoldStep,
  SilverStep,
  type Context,
  type SilverTransform,
  type Step,
} from './steps.js';

const LOOSE = PipelineConfig.createDefault('analytics').withThresholds({ bronze: 0, silver: 0 });
const RAW = sql`SELECT * FROM (VALUES (1, 'a'), (2, 'b'), (3, 'c'), (4, NULL), (NULL, 'e')) t(id, code)`;

function silver(name: string, options: Partial<ConstructorParameters<typeof SilverStep>[0]> = {}) {
  return new SilverStep({ name, sourceBronze: 'raw', transform: (_s, df) => df, ...options });
}

function gold(name: string, sources: string[], calls: string[] = []): GoldStep {
  return new GoldStep({
    name,
    sourceSilvers: sources,
    transform: (_s, silvers) => {
      calls.push(name);
      return frame(silvers, sources[0] ?? '');
    },
  });
}

const rawBronze = (): BronzeStep => new BronzeStep({ name: 'raw', rules: { id: ['not_null'] } });

void test('Decision 1: a rule that is NULL on a row makes that row invalid', async () => {
  await withSession(async (session) => {
    const step = silver('clean', { rules: { code: [F.col('code').ne('b')] } });
    const [report, context] = await new SimplePipelineRunner(session, LOOSE).runUntil(
      'clean',
      [rawBronze(), step],
      { bronzeSources: { raw: RAW } },
    );
    const result = resultOf(report, 'clean');
    assert.deepEqual([result.validRows, result.invalidRows, result.outputRows], [2, 2, 4]);
    assert.deepEqual(result.ruleFailures, { "code:code <> 'b'": 2 });
    const kept = await frame(context, 'clean').orderBy('id').collect();
    assert.deepEqual(
      kept.map((r) => r.id),
      [1, 3],
    );
  });
});

void test('Decision 2: downstream steps see only valid bronze rows, with or without writes', async () => {
  await withSession(async (session) => {
    const runner = new SimplePipelineRunner(session, LOOSE);
    for (const writeOutputs of [true, false]) {
      const [report, context] = await runner.runUntil('clean', [rawBronze(), silver('clean')], {
        bronzeSources: { raw: RAW },
        writeOutputs,
      });
      assert.equal(resultOf(report, 'raw').invalidRows, 1);
      assert.equal(await frame(context, 'raw').count(), 4);
      assert.equal(resultOf(report, 'clean').inputRows, 4);
      assert.deepEqual(await frame(context, 'clean').filter('id IS NULL').collect(), []);
    }
  });
});

void test('Decision 3: below its threshold a step fails and its downstream steps are skipped', async () => {
  await withSession(async (session) => {
    const calls: string[] = [];
    const config = LOOSE.withThresholds({ silver: 90 });
    const steps = [
      rawBronze(),
      silver('strict', { rules: { code: [['in', ['a', 'b']]] } }),
      gold('after_strict', ['strict'], calls),
      silver('other'),
      gold('after_other', ['other'], calls),
    ];
    const report = await new SimplePipelineRunner(session, config).runPipeline(steps, {
      bronzeSources: { raw: RAW },
    });
    assert.equal(report.status, 'failed');
    assert.match(
      resultOf(report, 'strict').error ?? '',
      /2 of 4 rows are valid \(50\.00%\), below the silver threshold of 90%/,
    );
    const skipped = resultOf(report, 'after_strict');
    assert.equal(skipped.status, 'skipped');
    assert.equal(skipped.error, "Skipped because 'strict' did not complete.");
    assert.deepEqual(calls, ['after_other']);
    assert.equal(report.metrics.skippedSteps, 1);
  });
});

void test('Decision 4: unruled columns are kept; pruneUnruledColumns drops them from silver', async () => {
  await withSession(async (session) => {
    const steps = (): Step[] => [rawBronze(), silver('clean', { rules: { code: ['not_null'] } })];
    const [, kept] = await new SimplePipelineRunner(session, LOOSE).runUntil('clean', steps(), {
      bronzeSources: { raw: RAW },
    });
    assert.deepEqual(await frame(kept, 'clean').columns(), ['id', 'code']);
    const prune = new PipelineConfig('pruned', LOOSE.thresholds, { pruneUnruledColumns: true });
    const [report, pruned] = await new SimplePipelineRunner(session, prune).runUntil(
      'clean',
      steps(),
      {
        bronzeSources: { raw: RAW },
      },
    );
    assert.equal(report.status, 'completed', report.errors.join('\n'));
    assert.deepEqual(await frame(pruned, 'raw').columns(), ['id', 'code']);
    assert.deepEqual(await frame(pruned, 'clean').columns(), ['code']);
    assert.deepEqual(await session.table('pruned.clean').columns(), ['code']);
  });
});

void test('Decision 5: steps run in topological order with declaration order breaking ties', async () => {
  await withSession(async (session) => {
    const declared = (): Step[] => [
      gold('both', ['s_b', 's_a']),
      silver('s_b'),
      silver('s_a'),
      rawBronze(),
      gold('only_a', ['s_a']),
    ];
    const runner = new SimplePipelineRunner(session, LOOSE);
    const expected = ['raw', 's_b', 's_a', 'both', 'only_a'];
    for (let run = 0; run < 3; run++) {
      const started: string[] = [];
      const report = await runner.runPipeline(declared(), {
        bronzeSources: { raw: RAW },
        writeOutputs: false,
        onEvent: (e) => {
          if (e.type === 'stepStarted') {
            started.push(e.step.name);
          }
        },
      });
      assert.deepEqual(report.stepOrder, expected);
      assert.deepEqual(started, expected);
    }
  });
});

void test('Decision 6: an unknown step name rejects with the known names and a suggestion', async () => {
  await withSession(async (session) => {
    const runner = new SimplePipelineRunner(session, LOOSE);
    const steps = [rawBronze(), silver('clean_events')];
    const known = /Did you mean 'clean_events'\? Known steps: 'raw' and 'clean_events'\./;
    await assert.rejects(
      runner.runUntil('clean_evnts', steps),
      (e: Error) =>
        /^runUntil: there is no step named 'clean_evnts'\./.test(e.message) &&
        known.test(e.message),
    );
    await assert.rejects(runner.runStep('clean_evnts', steps), known);
    await assert.rejects(runner.rerunStep('clean_evnts', steps), known);
    await assert.rejects(runner.runUntil('zzz', steps), /no step named 'zzz'\. Known steps:/);
  });
});

void test('Decision 6: when the runUntil target fails, nothing after it runs', async () => {
  await withSession(async (session) => {
    const calls: string[] = [];
    const failing = silver('s1', { rules: { code: [['eq', 'zzz']] } });
    const steps = [rawBronze(), failing, gold('g1', ['s1'], calls), silver('s2')];
    const config = LOOSE.withThresholds({ silver: 50 });
    const [report, context] = await new SimplePipelineRunner(session, config).runUntil(
      's1',
      steps,
      {
        bronzeSources: { raw: RAW },
      },
    );
    assert.equal(report.status, 'failed');
    assert.deepEqual(report.stepOrder, ['raw', 's1']);
    assert.deepEqual(calls, []);
    assert.deepEqual(Object.keys(context).sort(), ['raw']);
  });
});

void test('Decision 7: invalidateDownstream drops exactly the transitive dependents', async () => {
  await withSession(async (session) => {
    const steps = [
      rawBronze(),
      silver('s1'),
      silver('s2', { sourceSilvers: ['s1'] }),
      gold('g1', ['s2']),
      silver('s3'),
      gold('g2', ['s3']),
    ];
    const one = session.sql('SELECT 1 AS id, 1 AS code');
    const context: Context = Object.fromEntries(steps.map((s) => [s.name, one]));
    const runner = new SimplePipelineRunner(session, LOOSE);
    const [, after] = await runner.rerunStep('s1', steps, { context, writeOutputs: false });
    assert.deepEqual(Object.keys(after).sort(), ['g2', 'raw', 's1', 's3']);
    assert.equal(Object.keys(context).length, 6, "the caller's context is not changed");
    const [, kept] = await runner.rerunStep('s1', steps, {
      context,
      writeOutputs: false,
      invalidateDownstream: false,
    });
    assert.deepEqual(Object.keys(kept).sort(), ['g1', 'g2', 'raw', 's1', 's2', 's3']);

    const debug = new PipelineDebugSession(session, LOOSE, steps, { bronzeSources: { raw: RAW } });
    await debug.runUntil('g1', { writeOutputs: false });
    await debug.runStep('s3', { writeOutputs: false });
    await debug.runStep('g2', { writeOutputs: false });
    assert.deepEqual(Object.keys(debug.context).sort(), ['g1', 'g2', 'raw', 's1', 's2', 's3']);
    await debug.rerunStep('s1', { writeOutputs: false });
    assert.deepEqual(Object.keys(debug.context).sort(), ['g2', 'raw', 's1', 's3']);
  });
});

void test('Decision 8: rowsWritten is 0 when nothing is written; inputRows is the real input', async () => {
  await withSession(async (session) => {
    const runner = new SimplePipelineRunner(session, LOOSE);
    const steps = [
      rawBronze(),
      silver('big', { transform: (_s, df) => df.filter('id > 2') }),
      gold('g', ['big']),
    ];
    for (const writeOutputs of [true, false]) {
      const report = await runner.runPipeline(steps, { bronzeSources: { raw: RAW }, writeOutputs });
      const raw = resultOf(report, 'raw');
      const big = resultOf(report, 'big');
      const g = resultOf(report, 'g');
      assert.deepEqual(
        [raw.inputRows, raw.outputRows, raw.validRows, raw.rowsWritten],
        [5, 5, 4, 0],
      );
      assert.deepEqual([big.inputRows, big.outputRows], [4, 2]);
      assert.deepEqual([g.inputRows, g.outputRows], [2, 2]);
      assert.equal(big.rowsWritten, writeOutputs ? 2 : 0);
      assert.equal(big.outputTable, writeOutputs ? 'analytics.big' : null);
      assert.equal(report.metrics.totalRowsWritten, writeOutputs ? 4 : 0);
    }
  });
});

void test('Decision 9: runStep loads a missing dependency from the warehouse', async () => {
  await withSession(async (session) => {
    const runner = new SimplePipelineRunner(session, LOOSE);
    const steps = [rawBronze(), silver('clean'), gold('summary', ['clean'])];
    await runner.runPipeline(steps, { bronzeSources: { raw: RAW } });
    const [report, context] = await runner.runStep('summary', steps);
    assert.equal(report.status, 'completed', report.errors.join('\n'));
    assert.equal(await frame(context, 'clean').count(), 4);
    assert.equal(resultOf(report, 'summary').inputRows, 4);
  });
});

void test('Decision 9: a dependency in neither context nor warehouse fails the step saying how', async () => {
  await withSession(async (session) => {
    const runner = new SimplePipelineRunner(session, LOOSE);
    const steps = [rawBronze(), silver('clean'), gold('summary', ['clean'])];
    const [report] = await runner.runStep('summary', steps);
    assert.equal(resultOf(report, 'summary').status, 'failed');
    assert.match(
      resultOf(report, 'summary').error ?? '',
      /needs the output of 'clean', which is neither in the context nor in the warehouse \(the in-memory warehouse\)\. Run 'clean' first, for example runUntil\('clean'\)/,
    );
    const [bronzeless] = await runner.runStep('clean', steps);
    assert.match(
      resultOf(bronzeless, 'clean').error ?? '',
      /needs the output of 'raw'.*Give bronze step 'raw' a source \(sources or bronzeSources\)/,
    );
  });
});

void test('Decision 11: a throwing transform fails its step and points into the pipeline file', async () => {
  const file = join(FIXTURES, 'pipelines', 'transformThrows.pipeline.ts');
  const lines = readFileSync(file, 'utf8').split('\n');
  const stepLine = lines.findIndex((l) => l.includes('new SilverStep(')) + 1;
  const throwLine = lines.findIndex((l) => l.includes('throw new Error')) + 1;
  const { definition } = await loadPipeline(file);
  await withSession(async (session) => {
    const runner = new SimplePipelineRunner(session, definition.config);
    const report = await runner.runPipeline(definition.steps, {
      bronzeSources: definition.sources,
    });
    const result = resultOf(report, 'checked');
    assert.equal(result.status, 'failed');
    assert.ok(
      result.error?.startsWith(
        `Step 'checked' (${file}:${stepLine}) failed: the transform threw: limit 2 is out of range (at ${file}:${throwLine}:`,
      ),
      result.error ?? '',
    );
    assert.match(
      result.errorStack ?? '',
      new RegExp(`at checkedLimit \\(${file}:${throwLine}:\\d+\\)`),
    );
    const [fixed] = await runner.runUntil('checked', definition.steps, {
      bronzeSources: definition.sources,
      stepParams: { checked: { limit: 1 } },
    });
    assert.equal(fixed.status, 'completed');
  });
});

void test('a transform that returns nothing fails with a "did you forget return" message', async () => {
  await withSession(async (session) => {
    const forgot = ((_s: Session, df: DataFrame) => {
      df.filter('id > 1');
    }) as unknown as SilverTransform;
    const [report] = await new SimplePipelineRunner(session, LOOSE).runUntil(
      'clean',
      [rawBronze(), silver('clean', { transform: forgot })],
      { bronzeSources: { raw: RAW } },
    );
    assert.match(
      resultOf(report, 'clean').error ?? '',
      /the transform returned undefined; it must return a DataFrame or a sql`\.\.\.` query \(did you forget `return`\?\)/,
    );
  });
});

void test('a transform may return a sql template or a Promise; params default when absent', async () => {
  await withSession(async (session) => {
    const seen: unknown[] = [];
    const steps = [
      rawBronze(),
      silver('tens', {
        transform: (_s, df, _p, params?: { min?: number }) => {
          seen.push(params);
          return sql`SELECT id * 10 AS id FROM ${df} WHERE id > ${params?.min ?? 2} ORDER BY id`;
        },
      }),
      silver('later', {
        transform: async (_s, df, _p, { factor = 3 } = {}) => {
          await Promise.resolve();
          return df.select(F.col('id').multiply(factor).alias('id'));
        },
      }),
    ];
    const runner = new SimplePipelineRunner(session, LOOSE);
    const [, context] = await runner.runUntil('tens', steps, { bronzeSources: { raw: RAW } });
    assert.deepEqual(
      (await frame(context, 'tens').collect()).map((r) => r.id),
      [30, 40],
    );
    const [, tuned] = await runner.runUntil('later', steps, {
      bronzeSources: { raw: RAW },
      stepParams: { tens: { min: 3 } },
    });
    assert.deepEqual(seen, [undefined]);
    assert.deepEqual(
      (await frame(tuned, 'later').orderBy('id').collect()).map((r) => r.id),
      [3, 6, 9, 12],
    );
    const [report] = await runner.runUntil('tens', steps, {
      bronzeSources: { raw: RAW },
      stepParams: { tens: { min: 3 } },
    });
    assert.deepEqual(resultOf(report, 'tens').params, { min: 3 });
    assert.deepEqual(seen, [undefined, { min: 3 }]);
  });
});

void test('stepParams for an unknown step, or params that are not an object, reject', async () => {
  await withSession(async (session) => {
    const runner = new SimplePipelineRunner(session, LOOSE);
    const steps = [rawBronze(), silver('clean_events')];
    await assert.rejects(
      runner.runPipeline(steps, { stepParams: { clean_evnts: { min: 1 } } }),
      /stepParams: there is no step named 'clean_evnts'\. Did you mean 'clean_events'\?/,
    );
    await assert.rejects(
      runner.runPipeline(steps, { stepParams: { clean_events: 5 as unknown as object } as never }),
      /stepParams\['clean_events'\] must be an object of named params, got 5/,
    );
  });
});
