/**
 * Entry point of the `stepwise` command (bundled to dist/cli.js): parses the command line,
 * runs the command and sets the exit code. Progress and errors go to stderr, reports to stdout.
 */
import { loadPipeline } from '../loader.js';
import { parseCommand, type Command } from './args.js';
import { describeError, ExitCode } from './errorView.js';
import { LIST_HELP, MAIN_HELP, RUN_HELP } from './help.js';
import { renderStepList } from './listView.js';
import { runCommand, type CliStreams } from './runCommand.js';

// Set by the build script; absent when this file runs unbundled.
declare const STEPWISE_VERSION: string | undefined;

/** Runs one command line and returns the exit code. */
export async function main(argv: readonly string[], io: CliStreams): Promise<ExitCode> {
  try {
    return await dispatch(parseCommand(argv), io);
  } catch (error) {
    const { text, exitCode } = describeError(error);
    io.stderr.write(`${text}\n`);
    return exitCode;
  }
}

async function dispatch(command: Command, io: CliStreams): Promise<ExitCode> {
  switch (command.kind) {
    case 'help':
      io.stdout.write({ main: MAIN_HELP, run: RUN_HELP, list: LIST_HELP }[command.topic]);
      return ExitCode.ok;
    case 'version':
      io.stdout.write(`${typeof STEPWISE_VERSION === 'string' ? STEPWISE_VERSION : 'dev'}\n`);
      return ExitCode.ok;
    case 'list': {
      const { definition } = await loadPipeline(command.pipeline);
      io.stdout.write(renderStepList(definition));
      return ExitCode.ok;
    }
    case 'run':
      return runCommand(command.args, io);
  }
}

process.exitCode = await main(process.argv.slice(2), {
  stdout: process.stdout,
  stderr: process.stderr,
});
