/**
 * Warnings for rules on columns that a step's last completed run did not produce, from the output
 * schema in the run history. Without such a run nothing is known, so nothing is reported.
 */
import type { Diagnostic } from 'vscode-languageserver/node';
import { DiagnosticSeverity } from 'vscode-languageserver/node';
import { DIAGNOSTIC_SOURCE, type DiagnosticCode } from './diagnosticCodes.js';
import type { PipelineFile } from './pipelineFile.js';
import type { RunHistory } from './runHistory.js';

/** Rule keys of the file's steps that name columns their last run did not have. */
export function ruleColumnDiagnostics(file: PipelineFile, history: RunHistory): Diagnostic[] {
  const result: Diagnostic[] = [];
  for (const step of file.steps) {
    if (step.name === undefined || step.ruleColumns.length === 0) {
      continue;
    }
    const run = history.lastRun(file, step.name);
    if (run?.status !== 'completed' || !run.outputSchema) {
      continue;
    }
    const columns = run.outputSchema.map((c) => c.name);
    const known = new Set(columns);
    for (const key of step.ruleColumns) {
      if (known.has(key.value) || key.unterminated) {
        continue;
      }
      const had = columns.length === 0 ? 'no columns' : columns.map((c) => `'${c}'`).join(', ');
      const code: DiagnosticCode = 'unknown-rule-column';
      result.push({
        range: key.range,
        severity: DiagnosticSeverity.Warning,
        source: DIAGNOSTIC_SOURCE,
        code,
        message:
          `Step '${step.name}' has a rule on column '${key.value}', which its last run did not ` +
          `produce (it had ${had}). Fix the column name, or run the step again if the transform ` +
          'now adds it.',
      });
    }
  }
  return result;
}
