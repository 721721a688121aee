/**
 * Commands a user gives while the pipeline is paused, and the places it can be paused at. Shared
 * by the runtime and its tests; no debug-protocol types here.
 */

/** A command that resumes or moves a paused pipeline. */
export type Command =
  | { kind: 'continue' }
  | { kind: 'next' }
  | { kind: 'stepIn' }
  | { kind: 'stepOut' }
  | { kind: 'stepBack' }
  | { kind: 'reverseContinue' }
  | { kind: 'restartFrame'; step: string }
  | { kind: 'terminate' };

/** Where a paused pipeline is: before a step, inside it after a phase, or after it. */
export type PausePoint =
  | { at: 'before'; step: string }
  | { at: 'phase'; step: string; phase: 'transform' | 'validate' | 'write' }
  | { at: 'after'; step: string }
  | { at: 'failed'; step: string };

/** Why the pipeline stopped, in the debug protocol's words. */
export type StopReason =
  'entry' | 'breakpoint' | 'step' | 'exception' | 'pause' | 'restart' | 'function breakpoint';

/** How the loop runs until the next stop. */
export type RunMode = 'run' | 'next' | 'stepIn';

/** Thrown inside a paused step to abandon it (step back, restart, terminate). */
export class AbandonStep extends Error {
  constructor(readonly command: Command) {
    super('The step was abandoned by a debugger command.');
  }
}
