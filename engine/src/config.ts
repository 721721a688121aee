/** Pipeline configuration: the default schema and the minimum valid-row rate per layer. */
import { StepwiseError } from './errors.js';

/** Minimum valid-row percentages (0–100) per layer. */
export interface ValidationThresholds {
  bronze: number;
  silver: number;
  gold: number;
}

/** How a pipeline runs: where tables go and what quality each layer must reach. */
export class PipelineConfig {
  constructor(
    readonly schema: string,
    readonly thresholds: ValidationThresholds,
    readonly options: { verbose?: boolean; pruneUnruledColumns?: boolean } = {},
  ) {
    if (typeof schema !== 'string' || schema.trim() === '') {
      throw new StepwiseError(
        'invalid_config',
        `Pipeline config: 'schema' must be a non-empty string, got ${JSON.stringify(schema)}.`,
        { field: 'schema' },
      );
    }
    for (const layer of ['bronze', 'silver', 'gold'] as const) {
      const value = thresholds[layer];
      if (typeof value !== 'number' || !(value >= 0 && value <= 100)) {
        throw new StepwiseError(
          'invalid_config',
          `Pipeline config: the ${layer} threshold must be a number from 0 to 100, got ` +
            `${JSON.stringify(value)}.`,
          { field: `thresholds.${layer}` },
        );
      }
    }
  }

  /** Thresholds 95 / 98 / 99. */
  static createDefault(schema: string): PipelineConfig {
    return new PipelineConfig(schema, { bronze: 95, silver: 98, gold: 99 }, { verbose: true });
  }

  /** Strict thresholds 99 / 99.5 / 99.9, quiet. */
  static createHighPerformance(schema: string): PipelineConfig {
    return new PipelineConfig(schema, { bronze: 99, silver: 99.5, gold: 99.9 }, { verbose: false });
  }

  /** Strict thresholds 99 / 99.5 / 99.9, verbose. */
  static createConservative(schema: string): PipelineConfig {
    return new PipelineConfig(schema, { bronze: 99, silver: 99.5, gold: 99.9 }, { verbose: true });
  }

  /** Loose thresholds 80 / 85 / 90 for development. */
  static createDevelopment(schema: string): PipelineConfig {
    return new PipelineConfig(schema, { bronze: 80, silver: 85, gold: 90 }, { verbose: true });
  }

  /** Thresholds 95 / 98 / 99.5 for production. */
  static createProduction(schema: string): PipelineConfig {
    return new PipelineConfig(schema, { bronze: 95, silver: 98, gold: 99.5 }, { verbose: false });
  }

  /** Thresholds 50 / 50 / 50 for tests. */
  static createTest(schema: string): PipelineConfig {
    return new PipelineConfig(schema, { bronze: 50, silver: 50, gold: 50 }, { verbose: false });
  }

  /** A copy with some thresholds changed. */
  withThresholds(thresholds: Partial<ValidationThresholds>): PipelineConfig {
    return new PipelineConfig(this.schema, { ...this.thresholds, ...thresholds }, this.options);
  }

  /** Whether columns without rules are dropped from step outputs (off by default). */
  get pruneUnruledColumns(): boolean {
    return this.options.pruneUnruledColumns ?? false;
  }

  get minBronzeRate(): number {
    return this.thresholds.bronze;
  }
  get minSilverRate(): number {
    return this.thresholds.silver;
  }
  get minGoldRate(): number {
    return this.thresholds.gold;
  }
}
