/**
 * Events a run emits while it goes, for progress displays and the debugger. The runner awaits
 * each handler, so a debugger can hold a run at any of these points.
 */
import type { DataFrame } from './dataframe.js';
import type { PipelineMode, PipelineReport, StepResult } from './report.js';
import type { Layer, Step } from './steps.js';

/** The phases of a step, in order. */
export type StepPhase = 'transform' | 'validate' | 'write';

/** What a run reports as it goes. */
export type RunEvent =
  | { type: 'runStarted'; runId: string; mode: PipelineMode; steps: string[] }
  | {
      type: 'stepStarted';
      step: Step;
      index: number;
      total: number;
      inputs: Record<string, DataFrame>;
    }
  | {
      type: 'phaseFinished';
      step: Step;
      phase: StepPhase;
      /** The transform output (after transform) or the valid rows (after validate and write). */
      output?: DataFrame;
      invalid?: DataFrame;
      /** The step's result so far: counts and rates once validation has run. */
      result?: StepResult;
    }
  | { type: 'stepProgress'; step: string; layer: Layer; percent: number }
  | {
      type: 'stepFinished';
      step: Step;
      result: StepResult;
      output?: DataFrame;
      invalid?: DataFrame;
    }
  | { type: 'runFinished'; report: PipelineReport };

/** A handler for run events; a returned Promise holds the run until it settles. */
export type RunEventHandler = (event: RunEvent) => void | Promise<void>;
