/**
 * Text the debugger shows: stack frame titles and locations, and the hover summary of a step.
 */
import { formatRate } from '../../engine/src/index.js';
import { locationInStack } from '../../engine/src/stepLocation.js';
import type { DebugRuntime } from './runtime.js';
import type { PausePoint } from './stepControl.js';

/** Title and position of a stack frame for a step. */
export function frameLocation(
  runtime: DebugRuntime,
  point: PausePoint,
  step: string,
  top: boolean,
): { title: string; line: number; column: number } {
  const layer = runtime.host.step(step)?.layer ?? 'step';
  const base = `${layer} ${step}`;
  const line = runtime.host.stepLine(step);
  if (!top) {
    return { title: base, line, column: 1 };
  }
  switch (point.at) {
    case 'before':
      return { title: base, line, column: 1 };
    case 'phase':
      return { title: `${base} · after ${point.phase}`, line, column: 1 };
    case 'after':
      return { title: `${base} · done`, line, column: 1 };
    case 'failed': {
      const stack = runtime.results.get(step)?.errorStack ?? '';
      const thrown = locationInStack(stack, runtime.host.launch.pipeline);
      return { title: `${base} · failed`, line: thrown?.line ?? line, column: thrown?.column ?? 1 };
    }
  }
}

/** The summary shown when hovering a step name while paused, or undefined for other words. */
export function hoverText(runtime: DebugRuntime, expression: string): string | undefined {
  const name = expression.trim().replace(/^['"`]|['"`]$/g, '');
  const step = runtime.host.step(name);
  if (!step) {
    return undefined;
  }
  const result = runtime.results.get(name);
  const head = `${step.layer} step ${name}, reads ${step.dependencies.join(', ') || 'its source'}`;
  if (!result) {
    return `${head}: not run yet`;
  }
  if (result.status !== 'completed') {
    return `${head}: ${result.status}${result.error ? ` (${result.error})` : ''}`;
  }
  return (
    `${head}: ${result.validRows.toLocaleString('en-US')} valid rows of ` +
    `${result.outputRows.toLocaleString('en-US')} (${formatRate(result)}), ` +
    `${result.invalidRows.toLocaleString('en-US')} invalid, ${(result.durationMs / 1000).toFixed(2)} s`
  );
}
