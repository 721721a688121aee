/**
 * Checks launch attributes up front, so a bad configuration ends the launch with a message that
 * names the attribute and says how to fix it.
 */
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { defaultDatabase } from '../../engine/src/project.js';
import type { LaunchMode, StepwiseLaunchArguments } from '../../protocol/debugProtocol.js';

const MODES: readonly LaunchMode[] = ['initial', 'incremental', 'full_refresh', 'validation_only'];

/** Launch attributes after checking, with defaults filled in. */
export interface CheckedLaunch {
  pipeline: string;
  mode: LaunchMode;
  writeOutputs: boolean;
  stepParams: Record<string, Record<string, unknown>>;
  stopOnEntry: boolean;
  until: string | undefined;
  only: string | undefined;
  database: string;
  previewRows: number;
  trace: boolean;
  noDebug: boolean;
}

/** A launch attribute that is wrong, with the message to show. */
export class LaunchError extends Error {
  constructor(
    readonly attribute: string,
    message: string,
  ) {
    super(message);
  }
}

/** The JSON type of each scalar launch attribute. */
const ATTRIBUTE_TYPES: Record<string, 'string' | 'boolean'> = {
  pipeline: 'string',
  mode: 'string',
  until: 'string',
  only: 'string',
  database: 'string',
  writeOutputs: 'boolean',
  stopOnEntry: 'boolean',
  trace: 'boolean',
  noDebug: 'boolean',
};

/** Checks the attributes that do not need the pipeline loaded. */
export function checkLaunchArguments(
  args: Partial<StepwiseLaunchArguments> | undefined,
  cwd: string,
): CheckedLaunch {
  args ??= {};
  for (const [name, type] of Object.entries(ATTRIBUTE_TYPES)) {
    const value: unknown = (args as Record<string, unknown>)[name];
    if (value !== undefined && typeof value !== type) {
      throw new LaunchError(
        name,
        `Launch attribute '${name}' must be a ${type}, got ${JSON.stringify(value)}.`,
      );
    }
  }
  if (typeof args.pipeline !== 'string' || args.pipeline.trim() === '') {
    throw new LaunchError(
      'pipeline',
      "The launch configuration has no 'pipeline' attribute. Set it to the pipeline file, for " +
        'example "pipeline": "${file}" or "pipeline": "${workspaceFolder}/flights.pipeline.ts".',
    );
  }
  const pipeline = resolve(cwd, args.pipeline);
  if (!existsSync(pipeline)) {
    throw new LaunchError(
      'pipeline',
      `The pipeline file ${pipeline} (launch attribute 'pipeline') does not exist. Check the path.`,
    );
  }
  const mode = args.mode ?? 'initial';
  if (!MODES.includes(mode)) {
    throw new LaunchError(
      'mode',
      `Launch attribute 'mode' is '${String(mode)}'; use one of ${MODES.join(', ')}.`,
    );
  }
  if (args.until !== undefined && args.only !== undefined) {
    throw new LaunchError(
      'until',
      "Launch attributes 'until' and 'only' cannot both be set; keep one.",
    );
  }
  const stepParams = args.stepParams ?? {};
  if (typeof stepParams !== 'object' || stepParams === null || Array.isArray(stepParams)) {
    throw new LaunchError(
      'stepParams',
      "Launch attribute 'stepParams' must be an object of params per step, e.g. " +
        '{ "clean_flights": { "maxDelay": 300 } }.',
    );
  }
  for (const [step, params] of Object.entries(stepParams)) {
    if (typeof params !== 'object' || params === null || Array.isArray(params)) {
      throw new LaunchError(
        'stepParams',
        `Launch attribute 'stepParams.${step}' must be an object of named params, got ` +
          `${JSON.stringify(params)}.`,
      );
    }
  }
  const previewRows = args.previewRows ?? 100;
  if (!Number.isInteger(previewRows) || previewRows < 1 || previewRows > 100_000) {
    throw new LaunchError(
      'previewRows',
      "Launch attribute 'previewRows' must be a whole number from 1 to 100000.",
    );
  }
  return {
    pipeline,
    mode,
    writeOutputs: args.writeOutputs ?? true,
    stepParams,
    stopOnEntry: args.stopOnEntry ?? false,
    until: args.until,
    only: args.only,
    database: args.database ? resolve(cwd, args.database) : defaultDatabase(pipeline),
    previewRows,
    trace: args.trace ?? false,
    noDebug: args.noDebug ?? false,
  };
}
