/** The codes of the server's diagnostics, which code actions and clients can rely on. */

/** The `source` of every diagnostic the server publishes. */
export const DIAGNOSTIC_SOURCE = 'stepwise';

/** One code per kind of problem. */
export type DiagnosticCode =
  | 'duplicate-step'
  | 'unknown-source'
  | 'dependency-cycle'
  | 'missing-source-bronze'
  | 'missing-source-silvers'
  | 'unknown-rule-column'
  | 'sql-syntax';

/** The `data` of an `unknown-source` diagnostic: the step name to use instead, if one is close. */
export interface UnknownSourceData {
  suggestion?: string;
}
