/**
 * `stepwise run`: loads a pipeline file, checks the command line against its steps, runs the
 * whole pipeline, a step with its upstream, or a single step, and prints the report.
 */
import { resolve } from 'node:path';
import { unknownStepError } from '../errors.js';
import { loadPipeline } from '../loader.js';
import { PipelineMode, type PipelineReport } from '../report.js';
import { orderOf, SimplePipelineRunner, type RunOptions } from '../runner.js';
import { createSession } from '../session.js';
import type { Step } from '../steps.js';
import { jsonReplacer } from '../values.js';
import type { RunArgs } from './args.js';
import { ExitCode } from './errorView.js';
import { displayPath } from './format.js';
import { cancelOnInterrupt } from './interrupts.js';
import { resolveStepParams } from './params.js';
import { ProgressPrinter, type ProgressStream } from './progress.js';
import { defaultDatabase } from '../project.js';
import { renderReport } from './reportView.js';

/** The streams a command writes to. */
export interface CliStreams {
  stdout: { write(text: string): unknown };
  stderr: ProgressStream;
}

/** Runs the command and returns its exit code; usage and load problems throw StepwiseErrors. */
export async function runCommand(args: RunArgs, io: CliStreams): Promise<ExitCode> {
  const controller = new AbortController();
  let progress: ProgressPrinter | undefined;
  const stopListening = cancelOnInterrupt(controller, (text) =>
    progress ? progress.note(text) : io.stderr.write(`${text}\n`),
  );
  try {
    const { file, definition } = await loadPipeline(args.pipeline);
    const steps = definition.steps;
    const names = orderOf(steps).map((s) => s.name);
    checkTarget(args, names);
    const stepParams = resolveStepParams(definition.params, names, args.params, args.paramsFile);
    const database = resolve(args.database ?? defaultDatabase(file));
    if (controller.signal.aborted) {
      return ExitCode.cancelled;
    }

    progress = new ProgressPrinter(io.stderr, displayPath(file));
    const session = await createSession({ database });
    session.warehouse.onWaiting = (path, pid) =>
      progress?.note(
        `… waiting for the warehouse ${displayPath(path)}, in use by another process` +
          `${pid ? ` (pid ${pid})` : ''}`,
      );
    let report: PipelineReport;
    try {
      const runner = new SimplePipelineRunner(session, definition.config);
      const options: RunOptions = {
        mode: args.mode,
        bronzeSources: definition.sources,
        stepParams,
        writeOutputs: args.write,
        signal: controller.signal,
        onEvent: progress.handle,
        pipelineName: file,
      };
      report = await run(runner, steps, args, options);
    } finally {
      session.close();
    }

    for (const warning of report.warnings) {
      io.stderr.write(`warning: ${warning}\n`);
    }
    const cancelled = controller.signal.aborted;
    io.stdout.write(
      args.json
        ? `${JSON.stringify(report, jsonReplacer, 2)}\n`
        : renderReport(report, {
            warehouse: displayPath(database),
            written: args.write && args.mode !== PipelineMode.VALIDATION_ONLY,
            cancelled,
          }),
    );
    if (cancelled) {
      return ExitCode.cancelled;
    }
    return report.status === 'completed' ? ExitCode.ok : ExitCode.failed;
  } finally {
    stopListening();
  }
}

async function run(
  runner: SimplePipelineRunner,
  steps: Step[],
  args: RunArgs,
  options: RunOptions,
): Promise<PipelineReport> {
  if (args.until !== undefined) {
    return (await runner.runUntil(args.until, steps, options))[0];
  }
  if (args.step !== undefined) {
    return (await runner.runStep(args.step, steps, options))[0];
  }
  return runner.runPipeline(steps, options);
}

/** Fails early, before any work, when --until or --step names no step of the pipeline. */
function checkTarget(args: RunArgs, names: readonly string[]): void {
  for (const [flag, name] of [
    ['--until', args.until],
    ['--step', args.step],
  ] as const) {
    if (name !== undefined && !names.includes(name)) {
      throw unknownStepError(name, names, flag);
    }
  }
}
