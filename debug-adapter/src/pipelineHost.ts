/**
 * Holds what a debug session works on: the loaded pipeline, its steps in run order, where each
 * step is defined in the file, and the engine session with the working data.
 */
import { readFileSync } from 'node:fs';
import {
  createSession,
  StepwiseError,
  type PipelineDefinition,
  type Session,
  type Step,
} from '../../engine/src/index.js';
import { unknownStepError } from '../../engine/src/errors.js';
import { loadPipeline } from '../../engine/src/loader.js';
import { orderOf } from '../../engine/src/runner.js';
import {
  findStepDefinitions,
  type StepDefinition,
} from '../../engine/src/source/stepDefinitions.js';
import { LaunchError, type CheckedLaunch } from './launchArguments.js';

/** A pipeline loaded for debugging. */
export class PipelineHost {
  private constructor(
    readonly launch: CheckedLaunch,
    readonly session: Session,
    public definition: PipelineDefinition,
    public steps: Step[],
    public sourceSteps: StepDefinition[],
  ) {}

  /** Loads the pipeline and checks the launch attributes that name steps. */
  static async open(launch: CheckedLaunch): Promise<PipelineHost> {
    const { definition, steps, sourceSteps } = await load(launch);
    const session = await createSession({ database: launch.database });
    return new PipelineHost(launch, session, definition, steps, sourceSteps);
  }

  /** Loads the file again, picking up edits; the working data stays. */
  async reload(): Promise<void> {
    const { definition, steps, sourceSteps } = await load(this.launch);
    this.definition = definition;
    this.steps = steps;
    this.sourceSteps = sourceSteps;
  }

  /** Reads step locations from the file as it is on disk now, without running it. */
  rescanSource(): void {
    this.sourceSteps = scan(this.launch.pipeline);
  }

  /** The step with this name. */
  step(name: string): Step | undefined {
    return this.steps.find((s) => s.name === name);
  }

  /** The 1-based line where a step is defined, for stack frames and breakpoints. */
  stepLine(name: string): number {
    const found = this.sourceSteps.find((d) => d.name === name);
    if (found) {
      return found.headerLine + 1;
    }
    return this.step(name)?.definedAt?.line ?? 1;
  }

  /** Closes the engine session. */
  close(): void {
    this.session.close();
  }
}

async function load(
  launch: CheckedLaunch,
): Promise<{ definition: PipelineDefinition; steps: Step[]; sourceSteps: StepDefinition[] }> {
  let definition: PipelineDefinition;
  try {
    definition = (await loadPipeline(launch.pipeline)).definition;
  } catch (error) {
    if (error instanceof StepwiseError) {
      throw new LaunchError('pipeline', error.message);
    }
    throw error;
  }
  const steps = orderOf(definition.steps);
  const names = steps.map((s) => s.name);
  for (const attribute of ['until', 'only'] as const) {
    const name = launch[attribute];
    if (name !== undefined && !names.includes(name)) {
      throw new LaunchError(
        attribute,
        unknownStepError(name, names, `Launch attribute '${attribute}'`).message,
      );
    }
  }
  for (const name of Object.keys(launch.stepParams)) {
    if (!names.includes(name)) {
      throw new LaunchError(
        'stepParams',
        unknownStepError(name, names, "Launch attribute 'stepParams'").message,
      );
    }
  }
  return { definition, steps, sourceSteps: scan(launch.pipeline) };
}

function scan(file: string): StepDefinition[] {
  try {
    return findStepDefinitions(readFileSync(file, 'utf8'), file);
  } catch {
    return [];
  }
}
