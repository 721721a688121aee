/**
 * Diagnostics for SQL that DuckDB cannot parse: `sql` templates (each `${...}` stands in as a
 * placeholder name) and rule strings (checked as the expression of a `SELECT`). DuckDB's error
 * position is mapped back through the literal's segments to the character in the pipeline file.
 */
import type { Diagnostic, Range } from 'vscode-languageserver/node';
import { DiagnosticSeverity } from 'vscode-languageserver/node';
import {
  mapTextRange,
  type MappedSegment,
  type SqlTemplateRef,
} from '../../engine/src/source/stepDefinitions.js';
import { DIAGNOSTIC_SOURCE, type DiagnosticCode } from './diagnosticCodes.js';
import type { PipelineFile } from './pipelineFile.js';
import type { SqlParseError, SqlParser } from './sqlParser.js';

const RULE_PREFIX = 'SELECT (';
const RULE_SUFFIX = '\n)';

/** Parse errors in the file's `sql` templates and SQL rule strings. */
export async function sqlDiagnostics(file: PipelineFile, parser: SqlParser): Promise<Diagnostic[]> {
  const templates = file.source.sqlTemplates.filter((t) => !t.unterminated && t.text.trim() !== '');
  const rules = file.steps.flatMap((s) => s.ruleStrings.filter((r) => !r.unterminated));
  const ruleQuery = (value: string): string => `${RULE_PREFIX}${value}${RULE_SUFFIX}`;
  const errors = await parser.checkAll([
    ...templates.map((t) => t.text),
    ...rules.map((r) => ruleQuery(r.value)),
  ]);

  const diagnostics: Diagnostic[] = [];
  for (const template of templates) {
    const error = errors.get(template.text);
    if (error) {
      const message = withExpressions(error.message, template);
      const { range } = errorRange(template.segments, template.text, error, 0);
      diagnostics.push(diagnostic(range, `DuckDB cannot parse this SQL: ${message}.`));
    }
  }
  for (const rule of rules) {
    const error = errors.get(ruleQuery(rule.value));
    if (error) {
      const { range, atEnd } = errorRange(rule.segments, rule.value, error, RULE_PREFIX.length);
      // Past the rule's own text the error is at the parenthesis added around it.
      const why = atEnd ? 'syntax error at end of input' : error.message;
      const message =
        `DuckDB cannot parse the SQL rule on column '${rule.column}': ${why}. ` +
        'A rule string is a SQL expression that is true for valid rows.';
      diagnostics.push(diagnostic(range, message));
    }
  }
  return diagnostics;
}

function diagnostic(range: Range, message: string): Diagnostic {
  const code: DiagnosticCode = 'sql-syntax';
  return { range, message, severity: DiagnosticSeverity.Error, source: DIAGNOSTIC_SOURCE, code };
}

/**
 * The document range of a parse error in `text`, whose DuckDB offset is `shift` characters
 * further on (the rule prefix). The quoted token is underlined; an error at the end of the input
 * (`atEnd`) underlines the last word written.
 */
function errorRange(
  segments: readonly MappedSegment[],
  text: string,
  error: SqlParseError,
  shift: number,
): { range: Range; atEnd: boolean } {
  if (error.offset === undefined) {
    return { range: mapTextRange(segments, 0, text.length), atEnd: false };
  }
  const start = error.offset - shift;
  const written = text.trimEnd().length;
  if (start >= written || start < 0) {
    const lastWord = /[\p{L}\p{N}_$]+$/u.exec(text.slice(0, written))?.[0].length ?? 1;
    const from = Math.max(0, written - lastWord);
    return { range: mapTextRange(segments, from, Math.max(from + 1, written)), atEnd: true };
  }
  const length = error.token?.length || wordLength(text, start) || 1;
  return {
    range: mapTextRange(segments, start, Math.min(text.length, start + length)),
    atEnd: false,
  };
}

/** The length of the identifier-like word at `start`, or 0. */
function wordLength(text: string, start: number): number {
  return /^[\p{L}\p{N}_$]+/u.exec(text.slice(start))?.[0].length ?? 0;
}

/** The message with each placeholder name replaced by the `${...}` it stands for. */
function withExpressions(message: string, template: SqlTemplateRef): string {
  let result = message;
  // Longest numbers first, so `__stepwise_ref_1` does not match inside `__stepwise_ref_10`.
  for (const interpolation of [...template.interpolations].reverse()) {
    result = result.split(interpolation.name).join(`\${${interpolation.expression}}`);
  }
  return result;
}
