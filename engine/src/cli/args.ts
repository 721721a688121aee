/**
 * Command-line parsing with `node:util` `parseArgs` in strict mode. Every mistake becomes a
 * `usage` error that names the flag and says how to write it.
 */
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { closestName, errorMessage, StepwiseError } from '../errors.js';
import { PIPELINE_MODES, type PipelineMode } from '../report.js';

/** What `stepwise run` was asked to do. */
export interface RunArgs {
  pipeline: string;
  until: string | undefined;
  step: string | undefined;
  /** Raw `--param STEP.KEY=VALUE` values, in order. */
  params: string[];
  paramsFile: string | undefined;
  mode: PipelineMode;
  write: boolean;
  database: string | undefined;
  json: boolean;
}

/** A parsed command line. */
export type Command =
  | { kind: 'help'; topic: 'main' | 'run' | 'list' }
  | { kind: 'version' }
  | { kind: 'run'; args: RunArgs }
  | { kind: 'list'; pipeline: string };

const COMMANDS = ['run', 'list'];

const RUN_OPTIONS = {
  until: { type: 'string' },
  step: { type: 'string' },
  param: { type: 'string', multiple: true },
  params: { type: 'string' },
  mode: { type: 'string' },
  'no-write': { type: 'boolean' },
  database: { type: 'string' },
  json: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const satisfies ParseArgsConfig['options'];

const LIST_OPTIONS = {
  help: { type: 'boolean', short: 'h' },
} as const satisfies ParseArgsConfig['options'];

/** Parses `argv` (without `node` and the script); throws a `usage` StepwiseError on mistakes. */
export function parseCommand(argv: readonly string[]): Command {
  const [first, ...rest] = argv;
  if (first === undefined || first === '--help' || first === '-h' || first === 'help') {
    return { kind: 'help', topic: 'main' };
  }
  if (first === '--version' || first === '-v') {
    return { kind: 'version' };
  }
  if (first === 'run') {
    return parseRun(rest);
  }
  if (first === 'list') {
    return parseList(rest);
  }
  const guess = closestName(first, COMMANDS);
  throw usage(
    `'${first}' is not a stepwise command.${guess ? ` Did you mean '${guess}'?` : ''} ` +
      `The commands are 'run' and 'list'.`,
    'stepwise',
  );
}

function parseRun(argv: string[]): Command {
  const { values, positionals } = attempt('run', RUN_OPTIONS, () =>
    parseArgs({ args: argv, options: RUN_OPTIONS, strict: true, allowPositionals: true }),
  );
  if (values.help) {
    return { kind: 'help', topic: 'run' };
  }
  const pipeline = onePipeline('run', positionals);
  if (values.until !== undefined && values.step !== undefined) {
    throw usage(
      `--until ${values.until} and --step ${values.step} cannot be used together: --until runs a ` +
        'step with everything it depends on, --step runs that step alone. Keep one of them.',
      'run',
    );
  }
  return {
    kind: 'run',
    args: {
      pipeline,
      until: nonEmpty('--until', values.until),
      step: nonEmpty('--step', values.step),
      params: values.param ?? [],
      paramsFile: nonEmpty('--params', values.params),
      mode: parseMode(values.mode),
      write: !values['no-write'],
      database: nonEmpty('--database', values.database),
      json: values.json ?? false,
    },
  };
}

function parseList(argv: string[]): Command {
  const { values, positionals } = attempt('list', LIST_OPTIONS, () =>
    parseArgs({ args: argv, options: LIST_OPTIONS, strict: true, allowPositionals: true }),
  );
  if (values.help) {
    return { kind: 'help', topic: 'list' };
  }
  return { kind: 'list', pipeline: onePipeline('list', positionals) };
}

function attempt<T>(command: string, options: object, parse: () => T): T {
  try {
    return parse();
  } catch (error) {
    throw usage(explainParseError(error, Object.keys(options)), command);
  }
}

/** Rewrites Node's parser messages so they name the flag and the fix. */
function explainParseError(error: unknown, known: string[]): string {
  const code = (error as { code?: unknown }).code;
  const message = errorMessage(error);
  const flag = /'(-[^' ]+)/.exec(message)?.[1];
  if (code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION' && flag !== undefined) {
    const guess = closestName(flag.replace(/^-+/, '').split('=')[0]!, known);
    return `unknown option '${flag}'.${guess ? ` Did you mean '--${guess}'?` : ''}`;
  }
  if (code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE' && flag !== undefined) {
    return /does not take an argument/.test(message)
      ? `option '${flag}' is a switch and takes no value; write it alone, as '${flag}'.`
      : `option '${flag}' needs a value, as in '${flag} VALUE' or '${flag}=VALUE'.`;
  }
  return message;
}

function onePipeline(command: string, positionals: string[]): string {
  if (positionals.length === 0) {
    throw usage(
      `give the pipeline file to ${command}, as in 'stepwise ${command} flights.pipeline.ts'.`,
      command,
    );
  }
  if (positionals.length > 1) {
    throw usage(
      `expected one pipeline file, got ${positionals.length}: ${positionals.join(' ')}. Pass one ` +
        'file; options start with --.',
      command,
    );
  }
  return positionals[0]!;
}

function parseMode(value: string | undefined): PipelineMode {
  if (value === undefined) {
    return 'initial';
  }
  const mode = PIPELINE_MODES.find((m) => m === value);
  if (mode === undefined) {
    const guess = closestName(value, PIPELINE_MODES);
    throw usage(
      `--mode ${value} is not a mode.${guess ? ` Did you mean '${guess}'?` : ''} Use one of: ` +
        `${PIPELINE_MODES.join(', ')}.`,
      'run',
    );
  }
  return mode;
}

function nonEmpty(flag: string, value: string | undefined): string | undefined {
  if (value !== undefined && value.trim() === '') {
    throw usage(`${flag} needs a non-empty value.`, 'run');
  }
  return value;
}

/** A usage error that ends with where to read about the command. */
function usage(message: string, command: string): StepwiseError {
  const help = command === 'stepwise' ? "'stepwise --help'" : `'stepwise ${command} --help'`;
  return new StepwiseError('usage', `${upperFirst(message)} See ${help}.`, { field: command });
}

function upperFirst(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
