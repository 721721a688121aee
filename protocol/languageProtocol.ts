/**
 * The messages that cross the boundary between the language server and the extension client:
 * custom notifications, the commands that CodeLens items carry, initialization options and the
 * settings shape, declared once and imported by both sides.
 */

/** Name of the notification the client sends after a run has written to the run history. */
export const RUNS_CHANGED_NOTIFICATION = 'stepwise/runsChanged';

/** Which run finished; the server re-reads every warehouse it knows whatever is given. */
export interface RunsChangedParams {
  /** The pipeline file that ran, as a URI. */
  uri?: string;
  /** The warehouse the run wrote to, as an absolute path. */
  warehouse?: string;
}

/** Name of the notification the client sends when workspace trust is granted or revoked. */
export const TRUST_CHANGED_NOTIFICATION = 'stepwise/trustChanged';

/** Whether the workspace is trusted now. */
export interface TrustChangedParams {
  trusted: boolean;
}

/** What the client passes as `initializationOptions`. */
export interface StepwiseInitializationOptions {
  /** False in an untrusted workspace; trusted when omitted. */
  trusted?: boolean;
}

/** The commands that step lenses carry; the client registers them. */
export const LENS_COMMANDS = {
  runUntil: 'stepwise.runUntil',
  runStep: 'stepwise.runStep',
  rerunWithParams: 'stepwise.rerunWithParams',
  debugUntil: 'stepwise.debugUntil',
  showLastRun: 'stepwise.showLastRun',
} as const;

/** One of the step lens command ids. */
export type LensCommand = (typeof LENS_COMMANDS)[keyof typeof LENS_COMMANDS];

/** The arguments of every step lens command: the pipeline file's URI and the step's name. */
export type StepCommandArguments = [uri: string, step: string];

/** VS Code's own command that opens the workspace trust editor; the untrusted lens runs it. */
export const MANAGE_TRUST_COMMAND = 'workbench.trust.manage';

/** The configuration section of every Stepwise setting. */
export const SETTINGS_SECTION = 'stepwise';

/** The `stepwise.codeLens.*` settings: a master switch and one switch per lens. */
export interface CodeLensSettings {
  enabled: boolean;
  runUntil: boolean;
  runStep: boolean;
  rerunWithParams: boolean;
  debugUntil: boolean;
  lastRun: boolean;
}

/** The `stepwise` settings section as the server reads it. */
export interface StepwiseSettings {
  /** Glob of pipeline files, relative to each workspace folder. */
  pipelineFiles: string;
  /** Warehouse file; empty for `.stepwise/warehouse.duckdb` in the pipeline's project. */
  warehouse: string;
  codeLens: CodeLensSettings;
}

/** The value of every setting the user has not set. */
export const DEFAULT_SETTINGS: StepwiseSettings = {
  pipelineFiles: '**/*.pipeline.{ts,mts,js,mjs}',
  warehouse: '',
  codeLens: {
    enabled: true,
    runUntil: true,
    runStep: true,
    rerunWithParams: true,
    debugUntil: true,
    lastRun: true,
  },
};
