/**
 * Hover on a step name or on a source that names a step: its layer, what it reads and what reads
 * it, and its last run's rows, validity, rate, duration and output schema.
 */
import type { Hover, HoverParams } from 'vscode-languageserver/node';
import { MarkupKind } from 'vscode-languageserver/node';
import { fileOf, type ServerContext } from './context.js';
import type { LastRun } from './historyReader.js';
import type { PipelineFile } from './pipelineFile.js';
import { lastRunMarkdown } from './runSummary.js';
import {
  definitionsOf,
  occurrenceAt,
  referencesTo,
  sourcesOf,
  type StepTarget,
} from './stepNames.js';

/** The hover for a step name, or null elsewhere. */
export async function hover(context: ServerContext, params: HoverParams): Promise<Hover | null> {
  const file = fileOf(context, params.textDocument.uri);
  const occurrence = file && occurrenceAt(file, params.position);
  if (!file || !occurrence) {
    return null;
  }
  const target = definitionsOf(context.index, occurrence)[0];
  if (!target) {
    return null;
  }
  const { step } = target;
  const lines = [`**${step.name}** · ${step.layer} step`, ''];
  const reads = sourcesOf(step);
  const readers = [
    ...new Set(referencesTo(context.index, target).flatMap((o) => o.step.name ?? [])),
  ];
  const none = step.layer === 'bronze' ? 'its pipeline source' : 'nothing';
  lines.push(`Reads ${list(reads, none)} · read by ${list(readers, 'no step')}`, '');
  if (target.file !== file) {
    lines.push(`Defined in \`${target.file.path}\``, '');
  }
  const run = await lastRunOf(context, file, target);
  if (run) {
    lines.push(...lastRunMarkdown(run));
  } else if (!context.trust.trusted) {
    lines.push('Trust this workspace to see the last run.');
  } else {
    lines.push('Not run yet.');
  }
  return {
    contents: { kind: MarkupKind.Markdown, value: lines.join('\n').trimEnd() },
    range: occurrence.range,
  };
}

/** The step's last run in the pipeline being read, else in a pipeline that imports its file. */
async function lastRunOf(
  context: ServerContext,
  file: PipelineFile,
  target: StepTarget,
): Promise<LastRun | undefined> {
  const candidates: PipelineFile[] = [file, target.file, ...context.index.importersOf(target.file)];
  await context.history.ensure(candidates);
  for (const candidate of candidates) {
    const run = context.history.lastRun(candidate, target.step.name);
    if (run) {
      return run;
    }
  }
  return undefined;
}

function list(names: readonly string[], none: string): string {
  return names.length === 0 ? none : names.map((n) => `\`${n}\``).join(', ');
}
