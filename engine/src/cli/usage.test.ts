// Usage errors and the help, version and list commands of the built CLI: every mistake exits 2
// with one message on stderr that names the flag, step or file and prints nothing on stdout.
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import {
  fixture,
  makeTempDir,
  REPO,
  removeDir,
  rowText,
  runCli,
  runPipeline,
  type CliResult,
} from './cliHarness.js';

const PIPELINE = fixture('three_layers');

/** Asserts a usage error: exit 2, nothing on stdout, one stderr message matching every pattern. */
function assertUsageError(result: CliResult, ...patterns: RegExp[]): void {
  assert.equal(result.code, 2, `exit code ${result.code}; stderr:\n${result.stderr}`);
  assert.equal(result.stdout, '');
  assert.match(result.stderr, /^stepwise: /);
  for (const pattern of patterns) {
    assert.match(result.stderr, pattern);
  }
}

void describe('stepwise usage errors', () => {
  let dir: string;
  let database: string;

  before(async () => {
    dir = await makeTempDir();
    database = join(dir, 'warehouse.duckdb');
  });
  after(async () => {
    await removeDir(dir);
  });

  void it('rejects an unknown flag with a suggestion', async () => {
    const result = await runPipeline(PIPELINE, '--untill clean_events', database);
    assertUsageError(result, /Unknown option '--untill'/, /Did you mean '--until'\?/, /run --help/);
  });

  void it('rejects --until together with --step', async () => {
    const result = await runPipeline(PIPELINE, '--until clean_events --step events', database);
    assertUsageError(result, /--until clean_events and --step events cannot be used together/);
  });

  void it('rejects a flag without its value', async () => {
    const result = await runCli(['run', PIPELINE, '--until']);
    assertUsageError(result, /Option '--until' needs a value/);
  });

  void it('rejects a --param that is not STEP.KEY=VALUE', async () => {
    const result = await runPipeline(PIPELINE, '--param minAmount=3', database);
    assertUsageError(result, /--param minAmount=3 is not of the form STEP\.KEY=VALUE/);
  });

  void it('names the unknown step of a --param, with the known steps', async () => {
    const result = await runPipeline(PIPELINE, '--param clean_event.minAmount=3', database);
    assertUsageError(
      result,
      /--param clean_event\.minAmount: there is no step named 'clean_event'/,
      /Did you mean 'clean_events'\?/,
      /Known steps: 'events', 'clean_events' and 'totals_by_user'/,
    );
  });

  void it('names the unknown step of --until and --step', async () => {
    const until = await runPipeline(PIPELINE, '--until total_by_user', database);
    assertUsageError(
      until,
      /--until: there is no step named 'total_by_user'/,
      /'totals_by_user'\?/,
    );
    const step = await runPipeline(PIPELINE, '--step nothing', database);
    assertUsageError(step, /--step: there is no step named 'nothing'/, /Known steps: 'events'/);
    // The steps are checked before any work, so no warehouse was created.
    assert.equal(existsSync(database), false);
  });

  void it('names a --params file that cannot be read', async () => {
    const missing = join(dir, 'missing.json');
    const result = await runPipeline(PIPELINE, `--params ${missing}`, database);
    assertUsageError(result, new RegExp(`--params ${missing} cannot be read`), /ENOENT/);
  });

  void it('names a --params file that is not JSON, with the JSON error', async () => {
    const file = join(dir, 'broken.json');
    await writeFile(file, '{"clean_events": {"minAmount": 3,}}');
    const result = await runPipeline(PIPELINE, `--params ${file}`, database);
    assertUsageError(result, new RegExp(`--params ${file} is not valid JSON: .*position`));
  });

  void it('names an unknown step in a --params file', async () => {
    const file = join(dir, 'unknown-step.json');
    await writeFile(file, '{"clean": {"minAmount": 3}}');
    const result = await runPipeline(PIPELINE, `--params ${file}`, database);
    assertUsageError(result, /there is no step named 'clean'/, new RegExp(file));
  });

  void it('lists the modes for a bad --mode', async () => {
    const result = await runPipeline(PIPELINE, '--mode fast', database);
    assertUsageError(
      result,
      /--mode fast is not a mode/,
      /initial, incremental, full_refresh, validation_only/,
    );
  });

  void it('names a pipeline file that does not exist', async () => {
    const result = await runPipeline(join(dir, 'nowhere.pipeline.ts'), '', database);
    assertUsageError(result, /Pipeline file not found: .*nowhere\.pipeline\.ts/);
  });

  void it('asks for the pipeline file when it is missing', async () => {
    assertUsageError(await runCli(['run']), /Give the pipeline file to run/);
  });

  void it('points at a syntax error with file, line and column', async () => {
    // Written at test time: a broken file in the repository would break type checks and linting.
    const file = join(dir, 'syntax_error.pipeline.ts');
    await writeFile(file, "import { definePipeline } from '@stepwise/engine';\n\nconst x = ;\n");
    const result = await runPipeline(file, '', database);
    assertUsageError(result, new RegExp(`syntax error in the pipeline: ${file}:3:11: `));
  });

  void it('shows the whole path of a dependency cycle', async () => {
    const result = await runPipeline(fixture('cycle'), '', database);
    assertUsageError(result, /cycle\.pipeline\.ts:\d+:\d+/, /first → second → first/);
  });

  void it('suggests the step a misspelt source meant', async () => {
    const result = await runPipeline(fixture('unknown_source'), '', database);
    assertUsageError(
      result,
      /unknown_source\.pipeline\.ts:\d+:\d+/,
      /Step 'clean_events' reads 'evnts', which is not a step of this pipeline\. Did you mean 'events'\?/,
    );
  });

  void it('rejects an unknown command', async () => {
    assertUsageError(
      await runCli(['rnu', PIPELINE]),
      /'rnu' is not a stepwise command\. Did you mean 'run'\?/,
    );
  });
});

void describe('stepwise help, version and list', () => {
  void it('prints the usage with --help and for each command', async () => {
    const main = await runCli(['--help']);
    assert.equal(main.code, 0);
    assert.match(main.stdout, /stepwise run <pipeline> \[options\]/);
    const run = await runCli(['run', '--help']);
    assert.equal(run.code, 0);
    for (const flag of [
      '--until',
      '--step',
      '--param',
      '--params',
      '--mode',
      '--no-write',
      '--database',
      '--json',
    ]) {
      assert.ok(run.stdout.includes(`  ${flag} `), `run --help lacks ${flag}`);
    }
  });

  void it('prints the package version', async () => {
    const pkg = JSON.parse(await readFile(join(REPO, 'package.json'), 'utf8')) as {
      version: string;
    };
    const { code, stdout } = await runCli(['--version']);
    assert.equal(code, 0);
    assert.equal(stdout, `${pkg.version}\n`);
  });

  void it('lists steps in run order with layer, inputs, table and rules', async () => {
    const { code, stdout, stderr } = await runCli(['list', PIPELINE]);
    assert.equal(code, 0, stderr);
    assert.equal(rowText(stdout, '1'), '1 | events | bronze | sql query | – (not written) | 1');
    assert.equal(
      rowText(stdout, '2'),
      '2 | clean_events | silver | events | fixture.clean_events | 1',
    );
    assert.equal(
      rowText(stdout, '3'),
      '3 | totals_by_user | gold | clean_events | fixture.totals_by_user | 1',
    );
    assert.match(
      stdout,
      /^3 steps · schema fixture · thresholds bronze 50%, silver 50%, gold 50%$/m,
    );
  });
});
