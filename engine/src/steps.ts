/**
 * Step definitions: bronze (a validated source), silver (a cleaning transform over a bronze
 * source) and gold (an aggregate over silvers). Constructors check every field and say which one
 * is wrong.
 */
import type { DataFrame } from './dataframe.js';
import { StepwiseError, type ErrorLocation } from './errors.js';
import { compileRules, type CompiledRule, type Rules } from './rules.js';
import type { Session } from './session.js';
import type { SqlQuery } from './sqlTemplate.js';
import { callerLocation } from './stepLocation.js';

/** The medallion layers. */
export type Layer = 'bronze' | 'silver' | 'gold';

/** Parameters of one step, as given in `stepParams`. */
export type StepParams = Record<string, unknown>;

/** Step outputs by step name. */
export type Context = Record<string, DataFrame>;

/** What a transform may return. */
export type TransformResult = DataFrame | SqlQuery;

/** A silver transform: the bronze input, the other named inputs, and the step's params. */
export type SilverTransform = (
  session: Session,
  bronze: DataFrame,
  priorSilvers: Context,
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  params?: any,
) => TransformResult | Promise<TransformResult>;

/** A gold transform: the silver inputs by name and the step's params. */
export type GoldTransform = (
  session: Session,
  silvers: Context,
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  params?: any,
) => TransformResult | Promise<TransformResult>;

interface CommonOptions {
  /** Unique step name; also the table name of the step's output in SQL over the context. */
  name: string;
  rules?: Rules;
  /** Target schema; the pipeline config's schema when omitted. */
  schema?: string;
  description?: string;
}

/** Options of a bronze step. */
export interface BronzeStepOptions extends CommonOptions {
  /** Column that orders new rows, for incremental runs of silver steps reading this step. */
  incrementalCol?: string;
}

/** Options of a silver step. */
export interface SilverStepOptions extends CommonOptions {
  sourceBronze: string;
  transform: SilverTransform;
  /** Output table; the step name when omitted. */
  tableName?: string;
  /** Other steps (silver or bronze) whose outputs arrive in `priorSilvers`. */
  sourceSilvers?: string[];
  /** Column of this step's table that holds the incremental watermark. */
  watermarkCol?: string;
}

/** Options of a gold step. */
export interface GoldStepOptions extends CommonOptions {
  sourceSilvers: string[];
  transform: GoldTransform;
  tableName?: string;
}

abstract class BaseStep {
  readonly name: string;
  readonly rules: Rules;
  readonly schema: string | undefined;
  readonly description: string | undefined;
  /** The rules compiled to named SQL predicates. */
  readonly compiledRules: CompiledRule[];
  /** Where the step was constructed, when it can be told (a pipeline file's line). */
  readonly definedAt: ErrorLocation | undefined;
  abstract readonly layer: Layer;

  protected constructor(kind: string, options: CommonOptions) {
    if (typeof options !== 'object' || options === null) {
      throw new StepwiseError('invalid_step', `new ${kind}(...) needs an options object.`);
    }
    const name: unknown = options.name;
    if (typeof name !== 'string' || name.trim() === '') {
      throw new StepwiseError(
        'invalid_step',
        `${kind}: 'name' must be a non-empty string, got ${JSON.stringify(name)}. Give every ` +
          `step a unique name such as 'clean_flights'.`,
        { field: 'name' },
      );
    }
    this.name = name;
    optionalString(name, options, 'schema');
    optionalString(name, options, 'description');
    this.rules = options.rules ?? {};
    this.schema = options.schema;
    this.description = options.description;
    this.compiledRules = compileRules(name, options.rules);
    this.definedAt = callerLocation();
  }

  /** Names of the steps this one reads. */
  abstract get dependencies(): string[];
}

/** A validated source. Its data comes from the pipeline's `sources` or `bronzeSources`. */
export class BronzeStep extends BaseStep {
  readonly layer = 'bronze' as const;
  readonly incrementalCol: string | undefined;

  constructor(options: BronzeStepOptions) {
    super('BronzeStep', options);
    optionalString(this.name, options, 'incrementalCol');
    this.incrementalCol = options.incrementalCol;
  }

  get dependencies(): string[] {
    return [];
  }
}

/** A cleaning or conforming transform over a bronze source. */
export class SilverStep extends BaseStep {
  readonly layer = 'silver' as const;
  readonly sourceBronze: string;
  readonly transform: SilverTransform;
  readonly tableName: string;
  readonly sourceSilvers: string[];
  readonly watermarkCol: string | undefined;

  constructor(options: SilverStepOptions) {
    super('SilverStep', options);
    const name = this.name;
    requiredString(name, options, 'sourceBronze', "the bronze step it reads, e.g. 'flights'");
    requiredFunction(name, options, 'transform');
    optionalString(name, options, 'tableName');
    optionalString(name, options, 'watermarkCol');
    this.sourceSilvers = stringList(name, options, 'sourceSilvers', false);
    this.sourceBronze = options.sourceBronze;
    this.transform = options.transform;
    this.tableName = options.tableName ?? name;
    this.watermarkCol = options.watermarkCol;
  }

  get dependencies(): string[] {
    return unique([this.sourceBronze, ...this.sourceSilvers]);
  }
}

/** An aggregate or report over silver outputs. */
export class GoldStep extends BaseStep {
  readonly layer = 'gold' as const;
  readonly sourceSilvers: string[];
  readonly transform: GoldTransform;
  readonly tableName: string;

  constructor(options: GoldStepOptions) {
    super('GoldStep', options);
    requiredFunction(this.name, options, 'transform');
    optionalString(this.name, options, 'tableName');
    this.sourceSilvers = stringList(this.name, options, 'sourceSilvers', true);
    this.transform = options.transform;
    this.tableName = options.tableName ?? this.name;
  }

  get dependencies(): string[] {
    return unique(this.sourceSilvers);
  }
}

/** Any step. */
export type Step = BronzeStep | SilverStep | GoldStep;

/** The output table of a step, or undefined for bronze steps, which are never written. */
export function tableNameOf(step: Step): string | undefined {
  return step.layer === 'bronze' ? undefined : step.tableName;
}

function unique(names: string[]): string[] {
  return [...new Set(names)];
}

function fieldError(step: string, field: string, why: string): StepwiseError {
  return new StepwiseError('invalid_step', `Step '${step}': ${why}`, { step, field });
}

function optionalString(step: string, options: object, field: string): void {
  const value: unknown = (options as Record<string, unknown>)[field];
  if (value !== undefined && (typeof value !== 'string' || value.trim() === '')) {
    throw fieldError(
      step,
      field,
      `'${field}' must be a non-empty string when given, got ${JSON.stringify(value)}.`,
    );
  }
}

function requiredString(step: string, options: object, field: string, what: string): void {
  const value: unknown = (options as Record<string, unknown>)[field];
  if (typeof value !== 'string' || value.trim() === '') {
    throw fieldError(step, field, `'${field}' is required: name ${what}.`);
  }
}

function requiredFunction(step: string, options: object, field: string): void {
  const value: unknown = (options as Record<string, unknown>)[field];
  if (typeof value !== 'function') {
    throw fieldError(
      step,
      field,
      `'${field}' must be a function that returns a DataFrame or a sql\`...\` query, got ` +
        `${value === undefined ? 'nothing' : typeof value}.`,
    );
  }
}

function stringList(step: string, options: object, field: string, required: boolean): string[] {
  const value: unknown = (options as Record<string, unknown>)[field];
  if (value === undefined && !required) {
    return [];
  }
  const ok = Array.isArray(value) && value.every((v) => typeof v === 'string' && v.trim() !== '');
  if (!ok || (required && value.length === 0)) {
    throw fieldError(
      step,
      field,
      `'${field}' must be a ${required ? 'non-empty ' : ''}list of step names, got ` +
        `${JSON.stringify(value)}.`,
    );
  }
  return value as string[];
}
