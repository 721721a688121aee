/**
 * How a step's last run reads in the editor: the one-line lens summary and the hover's markdown
 * table, with counts, rates and durations formatted as the CLI formats them.
 */
import { formatCount, formatDuration } from '../../engine/src/cli/format.js';
import { formatRate } from '../../engine/src/report.js';
import type { LastRun } from './historyReader.js';

const MAX_ERROR_LENGTH = 100;

/** The lens title for a last run: `✓ 2,999,977 rows · 99.9% valid · 1.2 s`. */
export function lastRunTitle(run: LastRun): string {
  switch (run.status) {
    case 'completed': {
      const rows = `${formatCount(run.outputRows)} ${run.outputRows === 1 ? 'row' : 'rows'}`;
      const valid = run.outputRows === 0 ? '' : ` · ${formatRate(run)} valid`;
      return `✓ ${rows}${valid} · ${formatDuration(run.durationMs)}`;
    }
    case 'failed':
      return `✗ failed: ${firstLine(withoutStepPrefix(run.error ?? 'no error message was recorded'))}`;
    default:
      return `– ${run.status}`;
  }
}

/** An engine error without its "Step 'x' (file:line) failed: " opening, which the lens's place says. */
export function withoutStepPrefix(message: string): string {
  return message.replace(/^Step '(?:[^']|'')*'(?: \([^)]*\))? failed: /, '');
}

/** The first line of an error message, shortened to fit a lens. */
export function firstLine(message: string): string {
  const line = message.split(/\r?\n/, 1)[0]!.trim();
  return line.length > MAX_ERROR_LENGTH ? `${line.slice(0, MAX_ERROR_LENGTH - 1)}…` : line;
}

/** Markdown lines describing a last run: outcome, counts, rate, duration and schema. */
export function lastRunMarkdown(run: LastRun): string[] {
  const when = run.startedAt.replace('T', ' ').replace(/\.\d+Z$/, ' UTC');
  const lines = [`**Last run** (${when}): ${run.status}`, ''];
  if (run.status === 'failed' && run.error) {
    lines.push('```text', run.error, '```', '');
  }
  if (run.status === 'completed') {
    lines.push(
      '| rows | valid | invalid | rate | duration |',
      '| ---: | ---: | ---: | ---: | ---: |',
      `| ${formatCount(run.outputRows)} | ${formatCount(run.validRows)} | ` +
        `${formatCount(run.invalidRows)} | ${formatRate(run)} | ${formatDuration(run.durationMs)} |`,
      '',
    );
  }
  if (run.outputSchema && run.outputSchema.length > 0) {
    lines.push('| column | type |', '| --- | --- |');
    for (const column of run.outputSchema) {
      lines.push(`| ${escapeCell(column.name)} | ${escapeCell(column.type)} |`);
    }
  }
  return lines;
}

function escapeCell(text: string): string {
  return text.replace(/\|/g, '\\|');
}
