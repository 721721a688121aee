/**
 * Step params for `stepwise run`: the pipeline's defaults, then a `--params` JSON file, then
 * `--param STEP.KEY=VALUE` flags, merged per step key by key, each checked against the steps.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { errorMessage, StepwiseError, unknownStepError } from '../errors.js';
import type { StepParams } from '../steps.js';

/** Params per step name. */
export type ParamsByStep = Record<string, StepParams>;

/** One `--param` flag, parsed. */
export interface ParamFlag {
  step: string;
  key: string;
  value: unknown;
}

/** Merges defaults, the params file and the flags; later sources win per key. */
export function resolveStepParams(
  defaults: ParamsByStep,
  steps: readonly string[],
  flags: readonly string[],
  paramsFile: string | undefined,
): ParamsByStep {
  const merged: ParamsByStep = {};
  const add = (step: string, params: StepParams): void => {
    merged[step] = { ...merged[step], ...params };
  };
  for (const [step, params] of Object.entries(defaults)) {
    add(step, params);
  }
  if (paramsFile !== undefined) {
    for (const [step, params] of Object.entries(readParamsFile(paramsFile, steps))) {
      add(step, params);
    }
  }
  for (const flag of flags.map(parseParamFlag)) {
    if (!steps.includes(flag.step)) {
      throw unknownStepError(flag.step, steps, `--param ${flag.step}.${flag.key}`);
    }
    add(flag.step, { [flag.key]: flag.value });
  }
  return merged;
}

/** Parses `STEP.KEY=VALUE`; the value is JSON when it parses, else the text itself. */
export function parseParamFlag(text: string): ParamFlag {
  const dot = text.indexOf('.');
  const equals = text.indexOf('=');
  const step = text.slice(0, dot);
  const key = text.slice(dot + 1, equals);
  if (dot <= 0 || equals < 0 || equals < dot || step.trim() === '' || key.trim() === '') {
    throw new StepwiseError(
      'usage',
      `--param ${text} is not of the form STEP.KEY=VALUE. Write the step name, a dot, the ` +
        "param name, '=' and the value, as in --param clean_flights.maxDelay=300.",
      { field: '--param' },
    );
  }
  return { step, key, value: parseValue(text.slice(equals + 1)) };
}

/**
 * A `--param` value: JSON when it parses, else the text. Whole numbers beyond JavaScript's exact
 * range become bigints, so `9007199254740993` is not silently rounded.
 */
function parseValue(text: string): unknown {
  if (/^-?\d+$/.test(text.trim()) && !Number.isSafeInteger(Number(text))) {
    return BigInt(text.trim());
  }
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

/** Reads `{"step": {"key": value}}` from a JSON file, naming the file in every error. */
export function readParamsFile(path: string, steps: readonly string[]): ParamsByStep {
  const file = resolve(path);
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new StepwiseError(
      'bad_params',
      `--params ${file} cannot be read (${errorMessage(error)}). Check the path; a relative ` +
        'path starts from the current folder.',
      { field: '--params' },
    );
  }
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    throw paramsError(file, `is not valid JSON: ${errorMessage(error)}.`);
  }
  if (!isPlainObject(data)) {
    throw paramsError(file, `must hold a JSON object of steps, got ${kindOf(data)}.`);
  }
  for (const [step, params] of Object.entries(data)) {
    if (!steps.includes(step)) {
      throw unknownStepError(step, steps, `--params ${file}`);
    }
    if (!isPlainObject(params)) {
      throw paramsError(
        file,
        `has ${kindOf(params)} for step '${step}'; it must be an object of named params.`,
      );
    }
  }
  return data as ParamsByStep;
}

function paramsError(file: string, problem: string): StepwiseError {
  return new StepwiseError(
    'bad_params',
    `--params ${file} ${problem} Write the file as {"step": {"key": value}}, for example ` +
      '{"clean_flights": {"maxDelay": 300}}.',
    { field: '--params' },
  );
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function kindOf(value: unknown): string {
  if (value === null) {
    return 'null';
  }
  return Array.isArray(value) ? 'a list' : `a ${typeof value}`;
}
