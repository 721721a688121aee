// The guide's examples from "Quick Start" to "Common Workflows", ported to the TypeScript API,
// with the values the guide prints as the expected values.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  F,
  PipelineDebugSession,
  SilverStep,
  SimplePipelineRunner,
  type Context,
  type DataFrame,
  type Session,
} from '../engine/src/index.js';
import {
  aggregatedGold,
  cleanEventsAbove,
  cleanEventsWithParams,
  eventsBronze,
  guideConfig,
  multiplierGold,
} from './guideSteps.js';
import { eventSource, frame, resultOf, withSession } from './helpers.js';

void test('Quick Start: runUntil the silver step prints "Status: completed" and "Rows: 2"', async () => {
  await withSession(async (spark) => {
    const runner = new SimplePipelineRunner(spark, guideConfig());
    const [report, context] = await runner.runUntil(
      'clean_events',
      [eventsBronze(), cleanEventsAbove(10)],
      { bronzeSources: { events: eventSource(spark) } },
    );
    assert.equal(report.status, 'completed');
    assert.equal(await frame(context, 'clean_events').count(), 2);
  });
});

void test('runUntil with three steps executes two and leaves 2 rows in clean_events', async () => {
  await withSession(async (spark) => {
    const runner = new SimplePipelineRunner(spark, guideConfig());
    const steps = [eventsBronze(), cleanEventsAbove(15), aggregatedGold()];
    const [report, context] = await runner.runUntil('clean_events', steps, {
      bronzeSources: { events: eventSource(spark) },
    });
    assert.equal(report.status, 'completed');
    assert.equal(report.metrics.totalSteps, 2);
    assert.deepEqual(report.stepOrder, ['events', 'clean_events']);
    assert.equal('aggregated' in context, false);
    assert.equal(await frame(context, 'clean_events').count(), 2);
  });
});

void test('runStep with the bronze output in the context executes one step', async () => {
  await withSession(async (spark) => {
    const runner = new SimplePipelineRunner(spark, guideConfig());
    const steps = [eventsBronze(), cleanEventsAbove(15), aggregatedGold()];
    const [report, context] = await runner.runStep('clean_events', steps, {
      context: { events: eventSource(spark) },
    });
    assert.equal(report.status, 'completed');
    assert.equal(report.metrics.totalSteps, 1);
    assert.deepEqual(report.stepOrder, ['clean_events']);
    assert.equal('clean_events' in context, true);
  });
});

void test('rerunStep with params completes; a transform without params ignores them', async () => {
  await withSession(async (spark) => {
    const runner = new SimplePipelineRunner(spark, guideConfig());
    const steps = [eventsBronze(), cleanEventsAbove(15), aggregatedGold()];
    const [report1, context1] = await runner.runStep('clean_events', steps, {
      context: { events: eventSource(spark) },
    });
    assert.equal(report1.status, 'completed');
    const stepParams = { clean_events: { threshold: 20, filterMode: 'strict' } };
    const [report2, context2] = await runner.rerunStep('clean_events', steps, {
      context: context1,
      stepParams,
    });
    assert.equal(report2.status, 'completed');
    assert.deepEqual(resultOf(report2, 'clean_events').params, stepParams.clean_events);
    assert.equal(await frame(context2, 'clean_events').count(), 2);
  });
});

void test('silver params threshold 15 and strict mode leave 1 row', async () => {
  await withSession(async (spark) => {
    const runner = new SimplePipelineRunner(spark, guideConfig());
    const [report, context] = await runner.runStep('clean_events', [cleanEventsWithParams()], {
      context: { events: eventSource(spark) },
      stepParams: { clean_events: { threshold: 15, filterMode: 'strict' } },
    });
    assert.equal(report.status, 'completed');
    assert.equal(await frame(context, 'clean_events').count(), 1);
  });
});

void test('gold params multiplier 1.5 give 3 rows with an adjusted_value column', async () => {
  await withSession(async (spark) => {
    const runner = new SimplePipelineRunner(spark, guideConfig());
    const silverStep = cleanEventsWithParams();
    const goldStep = multiplierGold('user_metrics');
    let [report, context] = await runner.runStep('clean_events', [silverStep], {
      context: { events: eventSource(spark) },
    });
    assert.equal(report.status, 'completed');
    [report, context] = await runner.runStep('user_metrics', [goldStep], {
      context,
      stepParams: { user_metrics: { multiplier: 1.5 } },
    });
    assert.equal(report.status, 'completed');
    const metrics = frame(context, 'user_metrics');
    assert.equal(await metrics.count(), 3);
    // Decision 4: the guide's Python keeps only ruled columns, so its table has `value` and
    // `adjusted_value`; Stepwise keeps the unruled `id` and `event` too.
    assert.deepEqual(await metrics.columns(), ['id', 'event', 'value', 'adjusted_value']);
    const adjusted = (await metrics.orderBy('id').collect()).map((r) =>
      Number(String(r.adjusted_value)),
    );
    assert.deepEqual(adjusted, [15, 30, 45]);
  });
});

void test('a transform destructuring its params gets its defaults when no params are given', async () => {
  // The TypeScript counterpart of the guide's `**kwargs` transform.
  await withSession(async (spark) => {
    const runner = new SimplePipelineRunner(spark, guideConfig());
    const step = new SilverStep({
      name: 'clean_events',
      sourceBronze: 'events',
      transform: (_s: Session, df: DataFrame, _p: Context, { threshold = 0 } = {}) =>
        df.filter(F.col('value').gt(threshold)),
      rules: { value: ['not_null'] },
    });
    const context = { events: eventSource(spark) };
    const [, plain] = await runner.runStep('clean_events', [step], { context });
    assert.equal(await frame(plain, 'clean_events').count(), 3);
    const [, tuned] = await runner.runStep('clean_events', [step], {
      context,
      stepParams: { clean_events: { threshold: 15 } },
    });
    assert.equal(await frame(tuned, 'clean_events').count(), 2);
  });
});

void test('backward compatibility: a transform without params still works', async () => {
  await withSession(async (spark) => {
    const runner = new SimplePipelineRunner(spark, guideConfig());
    const simpleTransform = (_spark: Session, bronzeDf: DataFrame): DataFrame =>
      bronzeDf.filter(F.col('status').eq('active'));
    const silverStep = new SilverStep({
      name: 'active_events',
      sourceBronze: 'events',
      transform: simpleTransform,
      rules: { status: [F.col('status').isNotNull()] },
      tableName: 'active_events',
      schema: 'analytics',
    });
    const events = spark.createDataFrame(
      [
        ['1', 'event1', 10, 'active'],
        ['2', 'event2', 20, 'active'],
        ['3', 'event3', 30, 'inactive'],
      ],
      ['id', 'event', 'value', 'status'],
    );
    const [report, context] = await runner.runStep('active_events', [silverStep], {
      context: { events },
    });
    assert.equal(report.status, 'completed');
    assert.equal(resultOf(report, 'active_events').params, null);
    assert.deepEqual(
      (await frame(context, 'active_events').orderBy('id').collect()).map((r) => r.id),
      ['1', '2'],
    );
  });
});

void test('debug session basic usage: runUntil, runStep, set params, rerun, clear params', async () => {
  await withSession(async (spark) => {
    const session = new PipelineDebugSession(
      spark,
      guideConfig(),
      [eventsBronze(), cleanEventsAbove(15), aggregatedGold()],
      { bronzeSources: { events: eventSource(spark) } },
    );
    let [report] = await session.runUntil('clean_events');
    assert.equal(report.status, 'completed');
    assert.equal('clean_events' in session.context, true);
    [report] = await session.runStep('clean_events');
    assert.equal(report.status, 'completed');
    session.setStepParams('clean_events', { threshold: 20 });
    assert.deepEqual(session.stepParams, { clean_events: { threshold: 20 } });
    [report] = await session.rerunStep('clean_events');
    assert.equal(report.status, 'completed');
    assert.equal(await frame(session.context, 'clean_events').count(), 2);
    session.clearStepParams('clean_events');
    assert.deepEqual(session.stepParams, {});
    assert.equal(session.runner instanceof SimplePipelineRunner, true);
    assert.deepEqual(
      session.steps.map((s) => s.name),
      ['events', 'clean_events', 'aggregated'],
    );
    assert.equal(session.mode, 'initial');
  });
});

void test('write control: with writeOutputs false the output is in the context only', async () => {
  await withSession(async (spark) => {
    const runner = new SimplePipelineRunner(spark, guideConfig());
    const steps = [eventsBronze(), cleanEventsAbove(15)];
    const [report, context] = await runner.runStep('clean_events', steps, {
      context: { events: eventSource(spark) },
      writeOutputs: false,
    });
    assert.equal(report.status, 'completed');
    assert.equal(await frame(context, 'clean_events').count(), 2);
    const result = resultOf(report, 'clean_events');
    assert.equal(result.rowsWritten, 0);
    assert.equal(result.outputTable, null);
    assert.equal(
      await spark.warehouse.tableSchema({ schema: 'analytics', table: 'clean_events' }),
      undefined,
    );
    await assert.rejects(spark.table('analytics.clean_events').count(), /does not exist/);
  });
});

void test('iterative tuning in a debug session: thresholds default, 15 and 25 give 3, 2, 1', async () => {
  await withSession(async (spark) => {
    const session = new PipelineDebugSession(
      spark,
      guideConfig(),
      [eventsBronze(), cleanEventsWithParams()],
      { bronzeSources: { events: eventSource(spark) } },
    );
    await session.runStep('clean_events', { writeOutputs: false });
    assert.equal(await frame(session.context, 'clean_events').count(), 3);
    session.setStepParams('clean_events', { threshold: 15, filterMode: 'standard' });
    await session.rerunStep('clean_events', { writeOutputs: false });
    assert.equal(await frame(session.context, 'clean_events').count(), 2);
    session.setStepParams('clean_events', { threshold: 25, filterMode: 'standard' });
    await session.rerunStep('clean_events', { writeOutputs: false });
    assert.equal(await frame(session.context, 'clean_events').count(), 1);
  });
});

void test('testing parameter changes: 10 standard, 20 strict, 30 strict give 2, 1, 0 rows', async () => {
  await withSession(async (spark) => {
    const runner = new SimplePipelineRunner(spark, guideConfig());
    const testParams = [
      { threshold: 10, filterMode: 'standard' },
      { threshold: 20, filterMode: 'strict' },
      { threshold: 30, filterMode: 'strict' },
    ];
    let context: Context = { events: eventSource(spark) };
    const counts: number[] = [];
    for (const params of testParams) {
      let report;
      [report, context] = await runner.runStep('clean_events', [cleanEventsWithParams()], {
        context,
        stepParams: { clean_events: params },
        writeOutputs: false,
      });
      assert.equal(report.status, 'completed');
      counts.push(await frame(context, 'clean_events').count());
    }
    assert.deepEqual(counts, [2, 1, 0]);
  });
});

void test('building context incrementally, step by step, up to gold', async () => {
  await withSession(async (spark) => {
    const runner = new SimplePipelineRunner(spark, guideConfig());
    const silver2 = new SilverStep({
      name: 'big_events',
      sourceBronze: 'events',
      sourceSilvers: ['clean_events'],
      transform: (_s, _bronze, prior) => frame(prior, 'clean_events').filter(F.col('value').ge(30)),
      rules: { value: ['not_null'] },
    });
    const steps = [eventsBronze(), cleanEventsAbove(15), silver2, aggregatedGold()];
    let [report, context] = await runner.runUntil('events', steps, {
      bronzeSources: { events: eventSource(spark) },
    });
    assert.deepEqual(report.stepOrder, ['events']);
    for (const name of ['clean_events', 'big_events', 'aggregated']) {
      [report, context] = await runner.runStep(name, steps, { context });
      assert.equal(report.status, 'completed', report.errors.join('\n'));
      assert.deepEqual(report.stepOrder, [name]);
    }
    assert.equal(await frame(context, 'big_events').count(), 1);
    assert.equal(await frame(context, 'aggregated').count(), 2);
  });
});

void test('validating before a full run: each step without writes, then the whole pipeline', async () => {
  await withSession(async (spark) => {
    const runner = new SimplePipelineRunner(spark, guideConfig());
    const steps = [eventsBronze(), cleanEventsAbove(15), aggregatedGold()];
    const sources = { events: eventSource(spark) };
    let context: Context = {};
    for (const name of ['events', 'clean_events', 'aggregated']) {
      let report;
      [report, context] = await runner.runStep(name, steps, {
        context,
        bronzeSources: sources,
        writeOutputs: false,
      });
      assert.equal(report.status, 'completed', `${name}: ${report.errors.join('\n')}`);
    }
    assert.equal(
      await spark.warehouse.tableSchema({ schema: 'analytics', table: 'aggregated' }),
      undefined,
    );
    const full = await runner.runPipeline(steps, { bronzeSources: sources });
    assert.equal(full.status, 'completed');
    assert.equal(await spark.table('analytics.aggregated').count(), 2);
  });
});
