/**
 * Where a step was constructed: the first stack frame outside the engine, mapped through source
 * maps when the pipeline was loaded with them, so editors can point at the step's definition.
 */
import type { ErrorLocation } from './errors.js';

const FRAME = /\(?((?:file:\/\/)?[^()\s]+?):(\d+):(\d+)\)?$/;

/** The location of the nearest caller that is not engine code, if any. */
export function callerLocation(): ErrorLocation | undefined {
  return firstUserFrame(new Error().stack?.split('\n').slice(1).join('\n') ?? '');
}

/** The first frame of a stack trace that is not engine or library code. */
export function firstUserFrame(stack: string): ErrorLocation | undefined {
  for (const line of stack.split('\n')) {
    if (!line.trim().startsWith('at ')) {
      continue;
    }
    const match = FRAME.exec(line.trim());
    if (!match) {
      continue;
    }
    const file = match[1]!.replace(/^file:\/\//, '');
    if (isEngineFile(file)) {
      continue;
    }
    return { file, line: Number(match[2]), column: Number(match[3]) };
  }
  return undefined;
}

function isEngineFile(file: string): boolean {
  return (
    file.startsWith('node:') ||
    file.includes('/node_modules/') ||
    /[\\/]engine[\\/]src[\\/]/.test(file) ||
    /[\\/]dist[\\/][^\\/]+\.js$/.test(file)
  );
}

/** A stack trace cut at the first engine frame, so it shows only the user's code. */
export function userStackTrace(stack: string): string {
  const lines = stack.split('\n');
  const firstFrame = lines.findIndex((l) => l.trim().startsWith('at '));
  if (firstFrame < 0) {
    return stack;
  }
  const kept = lines.slice(0, firstFrame);
  for (const line of lines.slice(firstFrame)) {
    const match = FRAME.exec(line.trim());
    if (match && isEngineFile(match[1]!.replace(/^file:\/\//, ''))) {
      break;
    }
    kept.push(line);
  }
  return kept.join('\n');
}

/** The first place in a stack trace that lies in `file`, if any. */
export function locationInStack(stack: string, file: string): ErrorLocation | undefined {
  for (const line of stack.split('\n')) {
    const index = line.indexOf(file);
    if (index < 0) {
      continue;
    }
    const match = /^:(\d+):(\d+)/.exec(line.slice(index + file.length));
    if (match) {
      return { file, line: Number(match[1]), column: Number(match[2]) };
    }
  }
  return undefined;
}
