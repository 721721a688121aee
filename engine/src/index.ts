/**
 * The public API of the Stepwise engine: sessions and DataFrames on DuckDB, steps and rules, the
 * stepwise runner and debug session, and `definePipeline` for pipeline files.
 */
export { Column, type ColumnLike } from './column.js';
export { PipelineConfig, type ValidationThresholds } from './config.js';
export { DataFrame, GroupedData, type Field, type JoinType, type Row } from './dataframe.js';
export {
  PipelineDebugSession,
  type DebugRunOptions,
  type DebugSessionOptions,
} from './debugSession.js';
export {
  definePipeline,
  isPipelineDefinition,
  type BronzeSource,
  type PipelineDefinition,
  type PipelineDefinitionOptions,
} from './definePipeline.js';
export {
  isStepwiseError,
  StepwiseError,
  type ErrorLocation,
  type StepwiseErrorCode,
} from './errors.js';
export type { RunEvent, RunEventHandler, StepPhase } from './events.js';
export { F } from './functions.js';
export {
  dependencyOrder,
  downstreamOf,
  findCycles,
  graphProblems,
  upstreamOf,
  type GraphNode,
  type GraphProblem,
} from './graph.js';
export {
  findStepResult,
  formatRate,
  PIPELINE_MODES,
  PipelineMode,
  stepResults,
  type PipelineMetrics,
  type PipelineReport,
  type StepResult,
  type StepStatus,
} from './report.js';
export { compileRules, type CompiledRule, type Rule, type Rules, type RuleTuple } from './rules.js';
export {
  SimplePipelineRunner,
  type RerunOptions,
  type RunOptions,
  type RunResult,
} from './runner.js';
export { createSession, Session, type ColumnSpec, type SessionOptions } from './session.js';
export { read, type ReadOptions, type SourceSpec } from './sources.js';
export { sql, SqlQuery } from './sqlTemplate.js';
export {
  BronzeStep,
  GoldStep,
  SilverStep,
  type Context,
  type Layer,
  type Step,
  type StepParams,
} from './steps.js';
export { FAILED_RULES_COLUMN } from './validation.js';
export { INVALID_SUFFIX, type RunHistoryRow } from './warehouse.js';
