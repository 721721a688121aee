/**
 * Progress lines on stderr while a pipeline runs: one line when a step starts and one when it
 * ends. On a terminal the start line shows a live percentage and is replaced by the end line.
 */
import type { RunEvent } from '../events.js';
import { formatRate, type StepResult } from '../report.js';
import type { Layer } from '../steps.js';
import { formatDuration, plural } from './format.js';

/** Where progress goes: a stream that may be a terminal. */
export interface ProgressStream {
  write(text: string): unknown;
  isTTY?: boolean;
}

const CLEAR_LINE = '\r\x1b[2K';

/** Prints run events as progress lines. */
export class ProgressPrinter {
  private readonly live: boolean;
  private readonly color: boolean;
  /** The start line on screen that a later write will replace, on terminals only. */
  private pending: string | undefined;

  /** `color` defaults to on for terminals, unless the NO_COLOR environment variable is set. */
  constructor(
    private readonly out: ProgressStream,
    private readonly pipelineLabel: string,
    color?: boolean,
  ) {
    this.live = out.isTTY === true;
    this.color = color ?? (this.live && process.env.NO_COLOR === undefined);
  }

  /** The `onEvent` handler of a run. */
  readonly handle = (event: RunEvent): void => {
    switch (event.type) {
      case 'runStarted':
        this.line(
          `Running ${plural(event.steps.length, 'step')} of ${this.pipelineLabel} (mode ${event.mode})`,
        );
        return;
      case 'stepStarted':
        this.started(`${event.step.layer} ${event.step.name}`, event.index, event.total);
        return;
      case 'stepProgress':
        this.progress(event.step, event.layer, event.percent);
        return;
      case 'stepFinished':
        this.finished(event.result);
        return;
      case 'phaseFinished':
      case 'runFinished':
        return;
    }
  };

  /** A message between progress lines, such as a notice that the run is being cancelled. */
  note(text: string): void {
    this.line(text);
  }

  private started(label: string, index: number, total: number): void {
    const text = `→ ${label} (${index + 1}/${total})`;
    if (this.live) {
      this.clearPending();
      this.pending = text;
      this.out.write(text);
    } else {
      this.out.write(`${text}\n`);
    }
  }

  private progress(step: string, layer: Layer, percent: number): void {
    if (!this.live || this.pending === undefined) {
      return;
    }
    const label = `→ ${layer} ${step} `;
    if (this.pending.startsWith(label)) {
      this.out.write(`${CLEAR_LINE}${this.pending} ${Math.floor(percent)}%`);
    }
  }

  private finished(r: StepResult): void {
    const label = `${r.layer} ${r.name}`;
    const time = formatDuration(r.durationMs);
    switch (r.status) {
      case 'completed': {
        const rate = r.outputRows === 0 ? '' : ` · ${formatRate(r)} valid`;
        this.line(
          `${this.mark('✓', 32)} ${label}  ${plural(r.outputRows, 'row')}${rate} · ${time}`,
        );
        return;
      }
      case 'failed':
        this.line(`${this.mark('✗', 31)} ${label}  failed after ${time}\n${indent(r.error ?? '')}`);
        return;
      case 'cancelled':
        this.line(`${this.mark('✗', 33)} ${label}  cancelled after ${time}`);
        return;
      case 'skipped':
        this.line(`${this.mark('–', 90)} ${label}  ${lowerFirst(r.error ?? 'skipped')}`);
        return;
    }
  }

  private line(text: string): void {
    this.clearPending();
    this.out.write(`${text}\n`);
  }

  private clearPending(): void {
    if (this.pending !== undefined) {
      this.out.write(CLEAR_LINE);
      this.pending = undefined;
    }
  }

  private mark(symbol: string, ansi: number): string {
    return this.color ? `\x1b[${ansi}m${symbol}\x1b[0m` : symbol;
  }
}

function indent(text: string): string {
  return text
    .split('\n')
    .map((l) => `    ${l}`)
    .join('\n');
}

function lowerFirst(text: string): string {
  return text.charAt(0).toLowerCase() + text.slice(1);
}
