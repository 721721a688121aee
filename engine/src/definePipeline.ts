/**
 * What a `*.pipeline.ts` file exports: its steps, sources, config and default params. The CLI and
 * the debugger load such files and run them.
 */
import { PipelineConfig } from './config.js';
import type { DataFrame } from './dataframe.js';
import { StepwiseError } from './errors.js';
import { dependencyOrder } from './graph.js';
import type { SourceSpec } from './sources.js';
import type { SqlQuery } from './sqlTemplate.js';
import { BronzeStep, GoldStep, SilverStep, type Step, type StepParams } from './steps.js';

/** A bronze step's data: a file source (`read.parquet(...)`), a DataFrame or a query. */
export type BronzeSource = SourceSpec | DataFrame | SqlQuery;

/** The options of `definePipeline`. Give `schema` or a full `config`. */
export interface PipelineDefinitionOptions {
  schema?: string;
  config?: PipelineConfig;
  /** Data for bronze steps, by step name. File paths are relative to the pipeline file. */
  sources?: Record<string, BronzeSource>;
  steps: Step[];
  /** Default params per step, overridden by params given at run time. */
  params?: Record<string, StepParams>;
}

/** A loaded pipeline definition. */
export interface PipelineDefinition {
  readonly kind: 'stepwise-pipeline';
  readonly config: PipelineConfig;
  readonly sources: Record<string, BronzeSource>;
  readonly steps: Step[];
  readonly params: Record<string, StepParams>;
}

/** Declares a pipeline; the default export of a pipeline file. Checks names and dependencies. */
export function definePipeline(options: PipelineDefinitionOptions): PipelineDefinition {
  if (typeof options !== 'object' || options === null) {
    throw new StepwiseError('invalid_config', 'definePipeline(...) needs an options object.');
  }
  const config = options.config ?? PipelineConfig.createDefault(options.schema ?? 'main');
  if (!Array.isArray(options.steps) || options.steps.length === 0) {
    throw new StepwiseError(
      'invalid_config',
      "definePipeline: 'steps' must be a non-empty list of BronzeStep, SilverStep and GoldStep.",
      { field: 'steps' },
    );
  }
  options.steps.forEach((step, i) => {
    if (!(step instanceof BronzeStep || step instanceof SilverStep || step instanceof GoldStep)) {
      throw new StepwiseError(
        'invalid_config',
        `definePipeline: steps[${i}] is not a step; create it with new BronzeStep(...), ` +
          'new SilverStep(...) or new GoldStep(...).',
        { field: `steps[${i}]` },
      );
    }
  });
  try {
    dependencyOrder(options.steps);
  } catch (error) {
    // Point at the step the problem is about rather than at this call.
    const step =
      error instanceof StepwiseError
        ? options.steps.find((s) => s.name === error.details.step)
        : undefined;
    if (error instanceof StepwiseError && step?.definedAt) {
      throw new StepwiseError(error.code, error.message, {
        ...error.details,
        location: step.definedAt,
      });
    }
    throw error;
  }
  const names = new Set(options.steps.map((s) => s.name));
  for (const key of Object.keys(options.params ?? {})) {
    if (!names.has(key)) {
      throw new StepwiseError(
        'bad_params',
        `definePipeline: 'params' has an entry for '${key}', which is not a step of this pipeline.`,
        { field: `params.${key}` },
      );
    }
  }
  return {
    kind: 'stepwise-pipeline',
    config,
    sources: options.sources ?? {},
    steps: options.steps,
    params: options.params ?? {},
  };
}

/** True for what `definePipeline` returns. */
export function isPipelineDefinition(value: unknown): value is PipelineDefinition {
  return (
    typeof value === 'object' &&
    value !== null &&
    (value as { kind?: unknown }).kind === 'stepwise-pipeline'
  );
}
