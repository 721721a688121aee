/**
 * The messages that cross the boundary between the debug adapter and the extension: launch
 * arguments and custom requests, typed once and shared by both sides.
 */

/** The execution modes a launch can ask for. */
export type LaunchMode = 'initial' | 'incremental' | 'full_refresh' | 'validation_only';

/** Attributes of a `stepwise` launch configuration. */
export interface StepwiseLaunchArguments {
  /** The pipeline file to debug (`*.pipeline.ts`). */
  pipeline: string;
  /** Execution mode; `initial` when omitted. */
  mode?: LaunchMode;
  /** Write silver and gold outputs to the warehouse; true when omitted. */
  writeOutputs?: boolean;
  /** Params per step name, e.g. `{ "clean_flights": { "maxDelay": 300 } }`. */
  stepParams?: Record<string, Record<string, unknown>>;
  /** Stop before the first step. */
  stopOnEntry?: boolean;
  /** Run this step and the steps it depends on, then stop after it. */
  until?: string;
  /** Run only this step; its inputs are loaded from the warehouse. */
  only?: string;
  /** Warehouse file; `.stepwise/warehouse.duckdb` in the pipeline's project when omitted. */
  database?: string;
  /** Rows per page when DataFrames are shown in Variables; 100 when omitted. */
  previewRows?: number;
  /** Log the debug adapter's protocol traffic to the Debug Console. */
  trace?: boolean;
  /** Run without stopping (set by VS Code for "Run without debugging"). */
  noDebug?: boolean;
}

/** Name of the custom request that reads a page of a DataFrame as Arrow IPC. */
export const PREVIEW_PAGE_REQUEST = 'stepwise/previewPage';

/** A page of a context DataFrame, sorted and filtered in DuckDB. */
export interface PreviewPageArguments {
  /** A step name (its output) or `<step>__invalid` (its invalid rows). */
  frame: string;
  offset: number;
  limit: number;
  orderBy?: { column: string; descending?: boolean }[];
  /** A SQL boolean over the frame's columns. */
  filter?: string;
}

/** A page of rows as a base64 Arrow IPC stream, with the total row count after filtering. */
export interface PreviewPageResult {
  arrowIpcBase64: string;
  totalRows: number;
  columns: { name: string; type: string }[];
}

/** Name of the custom request that reruns a step with given params. */
export const RERUN_STEP_REQUEST = 'stepwise/rerunStep';

/** Which step to rerun and with what params (replacing its current params). */
export interface RerunStepArguments {
  step: string;
  params?: Record<string, unknown>;
}

/** The rerun step's result, as the engine reports it. */
export interface RerunStepResult {
  status: string;
  outputRows: number;
  validRows: number;
  invalidRows: number;
  validationRate: number;
  durationMs: number;
  error: string | null;
}

/** Name of the custom request that returns the step graph with statuses. */
export const STEP_GRAPH_REQUEST = 'stepwise/stepGraph';

/** One step of the graph, with its state in this debug session. */
export interface StepGraphNode {
  name: string;
  layer: 'bronze' | 'silver' | 'gold';
  dependencies: string[];
  status: 'pending' | 'running' | 'completed' | 'failed' | 'skipped' | 'cancelled';
  outputRows: number | null;
  validationRate: number | null;
  durationMs: number | null;
}

/** The step graph in run order. */
export interface StepGraphResult {
  steps: StepGraphNode[];
  /** The step the debugger is paused at, if any. */
  current: string | null;
}

/** Name of the event the adapter sends when a launch has run to its end. */
export const RUN_FINISHED_EVENT = 'stepwise/runFinished';

/** What a finished launch did, step by step, for the run summary and the step links. */
export interface RunFinishedEventBody {
  pipeline: string;
  status: 'completed' | 'failed' | 'stopped';
  durationMs: number;
  steps: {
    name: string;
    layer: 'bronze' | 'silver' | 'gold';
    status: string;
    outputRows: number;
    validRows: number;
    validationRate: number;
    durationMs: number;
    error: string | null;
    /** 1-based line of the step's definition in the pipeline file. */
    line: number;
  }[];
}
