/** The usage texts of the `stepwise` command and its subcommands. */
import { PIPELINE_MODES } from '../report.js';

/** Text of `stepwise --help`. */
export const MAIN_HELP = `stepwise: develop and debug medallion data pipelines step by step

Usage:
  stepwise run <pipeline> [options]   Run a pipeline, up to a step, or a single step
  stepwise list <pipeline>            List the steps in run order
  stepwise --help                     Show this help
  stepwise --version                  Show the version

Run 'stepwise <command> --help' for the options of a command.
`;

/** Text of `stepwise run --help`. */
export const RUN_HELP = `Usage: stepwise run <pipeline> [options]

Runs the steps of a pipeline file (*.pipeline.ts) in dependency order, shows progress on stderr
and prints a report of every step on stdout.

Options:
  --until STEP             Run STEP and every step it depends on, then stop
  --step STEP              Run only STEP; its inputs come from the warehouse of earlier runs
  --param STEP.KEY=VALUE   Set a param of a step (repeatable); VALUE is read as JSON when it
                           parses (300, true, null, "text", [1,2]) and as text otherwise
  --params FILE.json       Params per step from a file: {"step": {"key": value}}; --param wins
  --mode MODE              ${PIPELINE_MODES.join(', ')} (default: initial)
  --no-write               Run and validate, but write no tables
  --database PATH          Warehouse file (default: .stepwise/warehouse.duckdb in the folder
                           of the nearest package.json above the pipeline)
  --json                   Print the report as JSON instead of a table
  -h, --help               Show this help

Exit codes: 0 the run completed, 1 a step failed, 2 bad usage or an invalid pipeline,
130 cancelled with Ctrl-C (press it twice to stop at once).

Example:
  stepwise run pipelines/flights.pipeline.ts --until clean_flights \\
    --param clean_flights.maxDelay=300 --no-write
`;

/** Text of `stepwise list --help`. */
export const LIST_HELP = `Usage: stepwise list <pipeline>

Lists the steps of a pipeline file in run order, with each step's layer, the steps or source it
reads, its output table and its number of rules.

Options:
  -h, --help   Show this help
`;
