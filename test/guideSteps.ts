/**
 * The steps of the guide's examples, ported to the TypeScript API, for the guide tests. Each
 * factory returns new steps so that no test shares state with another.
 */
import {
  BronzeStep,
  F,
  GoldStep,
  PipelineConfig,
  SilverStep,
  type Context,
  type DataFrame,
  type Session,
} from '../engine/src/index.js';

/** The params of the guide's `clean_events_transform`. */
export interface CleanEventsParams {
  threshold?: number;
  filterMode?: 'standard' | 'strict';
}

/** `PipelineConfig.create_default(schema="analytics")`. */
export function guideConfig(): PipelineConfig {
  return PipelineConfig.createDefault('analytics');
}

/** The bronze step `events`, with the rule "id is not null". */
export function eventsBronze(): BronzeStep {
  return new BronzeStep({
    name: 'events',
    rules: { id: [F.col('id').isNotNull()] },
    schema: 'analytics',
  });
}

/** The silver step `clean_events` whose transform keeps rows with `value > limit`. */
export function cleanEventsAbove(limit: number): SilverStep {
  return new SilverStep({
    name: 'clean_events',
    sourceBronze: 'events',
    transform: (_spark, df) => df.filter(F.col('value').gt(limit)),
    rules: { value: [F.col('value').isNotNull()] },
    tableName: 'clean_events',
    schema: 'analytics',
  });
}

/** The guide's `clean_events_transform`: a threshold and a strict mode that adds `value > 20`. */
export function cleanEventsTransform(
  _spark: Session,
  bronzeDf: DataFrame,
  _priorSilvers: Context,
  params?: CleanEventsParams,
): DataFrame {
  const threshold = params?.threshold ?? 0;
  const filterMode = params?.filterMode ?? 'standard';
  let df = bronzeDf.filter(F.col('value').gt(threshold));
  if (filterMode === 'strict') {
    df = df.filter(F.col('value').gt(20));
  }
  return df;
}

/** The silver step `clean_events` with `clean_events_transform` (`silver_step_with_params`). */
export function cleanEventsWithParams(): SilverStep {
  return new SilverStep({
    name: 'clean_events',
    sourceBronze: 'events',
    transform: cleanEventsTransform,
    rules: { value: [F.col('value').isNotNull()] },
    tableName: 'clean_events',
    schema: 'analytics',
  });
}

/** The `clean_events` input of a gold transform. */
function cleanEventsOf(silvers: Context): DataFrame {
  const input = silvers.clean_events;
  if (!input) {
    throw new Error('clean_events is missing from the silvers');
  }
  return input;
}

/** The gold step `aggregated`, which passes `clean_events` through. */
export function aggregatedGold(): GoldStep {
  return new GoldStep({
    name: 'aggregated',
    transform: (_spark, silvers) => cleanEventsOf(silvers),
    rules: { id: [F.col('id').isNotNull()] },
    tableName: 'aggregated',
    sourceSilvers: ['clean_events'],
    schema: 'analytics',
  });
}

/** A gold step that adds `adjusted_value = value * multiplier` (default multiplier 1.0). */
export function multiplierGold(name: string): GoldStep {
  return new GoldStep({
    name,
    transform: (_spark, silvers, params?: { multiplier?: number }) => {
      const multiplier = params?.multiplier ?? 1.0;
      return cleanEventsOf(silvers).withColumn(
        'adjusted_value',
        F.col('value').multiply(multiplier),
      );
    },
    rules: { adjusted_value: [F.col('adjusted_value').gt(0)] },
    tableName: name,
    sourceSilvers: ['clean_events'],
    schema: 'analytics',
  });
}
