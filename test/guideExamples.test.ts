// The guide's "Complete Examples" and debugging workflows, ported to the TypeScript API, on the
// four-row data, with the values the guide prints as the expected values.
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
import { cleanEventsWithParams, eventsBronze, guideConfig, multiplierGold } from './guideSteps.js';
import { EVENT_ROWS_4, eventSource, frame, resultOf, withSession } from './helpers.js';

void test('Complete Example 1: runUntil, runStep, params, debug session, tuning', async () => {
  await withSession(async (spark) => {
    const runner = new SimplePipelineRunner(spark, guideConfig());
    const bronzeStep = eventsBronze();
    const silverStep = cleanEventsWithParams();
    const goldStep = multiplierGold('aggregated_events');
    const sourceDf = eventSource(spark, EVENT_ROWS_4);
    const steps = [bronzeStep, silverStep, goldStep];

    // Example 1: run until a step.
    let [report, context] = await runner.runUntil('clean_events', steps, {
      bronzeSources: { events: sourceDf },
    });
    assert.equal(report.status, 'completed');
    assert.equal(await frame(context, 'clean_events').count(), 4);

    // Example 2: run a single step.
    [report, context] = await runner.runStep('clean_events', steps, {
      context: { events: sourceDf },
    });
    assert.equal(report.status, 'completed');

    // Example 3: parameter overrides.
    [report, context] = await runner.runStep('clean_events', [silverStep], {
      context: { events: sourceDf },
      stepParams: { clean_events: { threshold: 15 } },
    });
    assert.equal(await frame(context, 'clean_events').count(), 3);

    // Example 4: a debug session.
    const session = new PipelineDebugSession(spark, guideConfig(), [bronzeStep, silverStep], {
      bronzeSources: { events: sourceDf },
    });
    [report] = await session.runUntil('clean_events');
    assert.equal(report.status, 'completed');
    assert.equal('clean_events' in session.context, true);

    // Example 5: iterative tuning.
    session.setStepParams('clean_events', { threshold: 20 });
    [report] = await session.rerunStep('clean_events', { writeOutputs: false });
    assert.equal(report.status, 'completed');
    assert.equal(await frame(session.context, 'clean_events').count(), 2);
  });
});

void test('Complete Example 1: the gold step over the 4-row silver output', async () => {
  await withSession(async (spark) => {
    const runner = new SimplePipelineRunner(spark, guideConfig());
    const steps = [eventsBronze(), cleanEventsWithParams(), multiplierGold('aggregated_events')];
    const report = await runner.runPipeline(steps, {
      bronzeSources: { events: eventSource(spark, EVENT_ROWS_4) },
    });
    assert.equal(report.status, 'completed');
    assert.equal(resultOf(report, 'aggregated_events').rowsWritten, 4);
    const adjusted = await spark.table('analytics.aggregated_events').orderBy('id').collect();
    // Without params the multiplier defaults to 1.0.
    assert.deepEqual(
      adjusted.map((r) => Number(String(r.adjusted_value))),
      [10, 20, 30, 40],
    );
  });
});

void test('Example 2: thresholds 0..40 give 4, 3, 2, 1, 0 rows; the optimum for 2 rows is 20', async () => {
  await withSession(async (spark) => {
    const session = new PipelineDebugSession(
      spark,
      guideConfig(),
      [eventsBronze(), cleanEventsWithParams()],
      { bronzeSources: { events: eventSource(spark, EVENT_ROWS_4) } },
    );
    const results: [number, number][] = [];
    for (const threshold of [0, 10, 20, 30, 40]) {
      session.setStepParams('clean_events', { threshold });
      const [report] = await session.rerunStep('clean_events', { writeOutputs: false });
      assert.equal(report.status, 'completed', `threshold ${threshold}: ${report.errors.join()}`);
      results.push([threshold, await frame(session.context, 'clean_events').count()]);
    }
    assert.deepEqual(results, [
      [0, 4],
      [10, 3],
      [20, 2],
      [30, 1],
      [40, 0],
    ]);
    const targetRows = 2;
    const optimal = results.reduce((best, r) =>
      Math.abs(r[1] - targetRows) < Math.abs(best[1] - targetRows) ? r : best,
    );
    assert.deepEqual(optimal, [20, 2]);
  });
});

/** A silver step whose rule rejects rows at or below 15 unless `minValue` filters them first. */
function failingStep(): SilverStep {
  return new SilverStep({
    name: 'failing_step',
    sourceBronze: 'events',
    transform: (_s: Session, df: DataFrame, _p: Context, params?: { minValue?: number }) =>
      params?.minValue === undefined ? df : df.filter(F.col('value').gt(params.minValue)),
    rules: { value: [['gt', 15]] },
  });
}

void test('Example 3: debugging workflow: find the failing step, inspect, fix and rerun', async () => {
  await withSession(async (spark) => {
    const runner = new SimplePipelineRunner(spark, guideConfig());
    const steps = [eventsBronze(), failingStep()];
    const sources = { events: eventSource(spark, EVENT_ROWS_4) };

    const full = await runner.runPipeline(steps, { bronzeSources: sources });
    assert.equal(full.status, 'failed');
    assert.match(full.errors.join('\n'), /Step 'failing_step'.*3 of 4 rows are valid \(75\.00%\)/);

    let [report, context] = await runner.runUntil('failing_step', steps, {
      bronzeSources: sources,
    });
    assert.equal(await frame(context, 'events').count(), 4);
    assert.equal('failing_step' in context, false);

    [report, context] = await runner.runStep('failing_step', steps, {
      context,
      writeOutputs: false,
    });
    const result = resultOf(report, 'failing_step');
    assert.equal(result.status, 'failed');
    assert.equal(result.validationRate, 75);
    assert.equal(result.invalidRows, 1);
    assert.deepEqual(result.ruleFailures, { 'value:gt_15': 1 });

    [report, context] = await runner.rerunStep('failing_step', steps, {
      context,
      writeOutputs: false,
      stepParams: { failing_step: { minValue: 15 } },
    });
    assert.equal(report.status, 'completed');
    assert.equal(await frame(context, 'failing_step').count(), 3);
  });
});

void test('debugging a failing step: the inputs show as a table with every column', async () => {
  await withSession(async (spark) => {
    const runner = new SimplePipelineRunner(spark, guideConfig());
    const events = spark.createDataFrame(
      [
        ['1', 'event1', 10, 'active'],
        ['2', 'event2', 20, 'active'],
        ['3', 'event3', 30, 'inactive'],
        ['4', 'event4', 40, 'active'],
      ],
      ['id', 'event', 'value', 'status'],
    );
    const steps = [eventsBronze(), failingStep()];
    const [, context] = await runner.runUntil('events', steps, { bronzeSources: { events } });
    const inputDf = frame(context, 'events');
    assert.equal(await inputDf.count(), 4);
    const shown = (await inputDf.showString()).split('\n');
    assert.equal(shown[1], '| id | event  | value | status   |');
    assert.equal(shown[3], '|  1 | event1 |    10 | active   |');
  });
});
