/**
 * The language server under a second, independent client: Neovim's built-in LSP client, headless.
 * A Lua script opens a fixture, asks for code lenses and waits for diagnostics; this test reads
 * what it wrote. Without Neovim the test fails and says how to install it.
 */
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { fixture, FIXTURES, positionOf, SERVER, uriOf } from './lspClient.js';

const SCRIPT = join(import.meta.dirname, 'neovimClient.lua');
const ACTIONS = ['Run until here', 'Run step', 'Rerun with params…', 'Debug until here'];

interface NeovimResult {
  error?: string;
  lenses: { line: number; title: string; command: string; arguments: string[] }[];
  diagnostics: {
    line: number;
    character: number;
    message: string;
    severity: number;
    code: string;
  }[];
}

/** Runs Neovim headless on the script and returns what it wrote. */
async function runNeovim(file: string): Promise<NeovimResult> {
  const dir = mkdtempSync(join(tmpdir(), 'stepwise-nvim-'));
  const out = join(dir, 'result.json');
  const child = spawn('nvim', ['--headless', '--clean', '-c', `luafile ${SCRIPT}`], {
    env: {
      ...process.env,
      XDG_CACHE_HOME: join(dir, 'cache'),
      XDG_DATA_HOME: join(dir, 'data'),
      XDG_STATE_HOME: join(dir, 'state'),
      XDG_CONFIG_HOME: join(dir, 'config'),
      STEPWISE_SERVER: SERVER,
      STEPWISE_FILE: file,
      STEPWISE_ROOT: FIXTURES,
      STEPWISE_OUT: out,
      STEPWISE_WAREHOUSE: join(dir, 'warehouse.duckdb'),
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const killer = setTimeout(() => child.kill('SIGKILL'), 90_000);
  const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
  clearTimeout(killer);
  let result: NeovimResult;
  try {
    result = JSON.parse(readFileSync(out, 'utf8')) as NeovimResult;
  } catch {
    assert.fail(`Neovim exited with ${code} and wrote no result. Its output:\n${output}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  assert.equal(result.error, undefined, `the Lua client failed: ${result.error}`);
  assert.equal(code, 0, output);
  return result;
}

void test('Neovim gets the step lenses and the cycle diagnostics', async () => {
  const found = spawnSync('nvim', ['--version'], { encoding: 'utf8' });
  assert.ok(
    found.status === 0,
    'Neovim is not installed, and this test needs it as a second LSP client. Install it with ' +
      '`apt-get update && apt-get install -y neovim`.',
  );

  const file = fixture('cycle_and_unknown_source');
  const text = readFileSync(file, 'utf8');
  const result = await runNeovim(file);

  const steps = ['raw', 'a', 'b', 'report'];
  const header = (step: string): number => {
    const name = positionOf(text, `name: '${step}'`);
    return text.split('\n')[name.line]!.includes('new ') ? name.line : name.line - 1;
  };
  assert.deepEqual(
    result.lenses.map((l) => [l.line, l.title]),
    steps.flatMap((step) => ACTIONS.map((title) => [header(step), title])),
  );
  assert.deepEqual(result.lenses[4]?.arguments, [uriOf(file), 'a']);

  const cycle =
    'Steps depend on each other in a cycle: a → b → a. Remove one of these dependencies.';
  assert.deepEqual(
    result.diagnostics.filter((d) => d.code === 'dependency-cycle').map((d) => [d.line, d.message]),
    [
      [positionOf(text, "name: 'a'").line, cycle],
      [positionOf(text, "name: 'b'").line, cycle],
    ],
  );
});
