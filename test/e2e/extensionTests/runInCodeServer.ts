/**
 * Runs the extension tests in code-server's extension host: bundles the suite, installs the
 * packaged extension, and opens the workbench with a payload that makes VS Code load the suite
 * as `extensionTestsPath` next to the installed extension. The smoke-test driver reports the
 * suite's end through `window.codeAutomationExit`, whose code becomes this process's exit code.
 */
import { createWriteStream, type WriteStream } from 'node:fs';
import { mkdir, readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { build } from 'esbuild';
import { Browser } from '../harness/browser.js';
import { CodeServer } from '../harness/codeServer.js';
import { E2E, RESULTS, requireTools, vsixPath } from '../harness/paths.js';
import { createWorkspace } from '../harness/workspace.js';
import { REPORT_MARKER } from './reportMarker.js';

const SUITE_TIMEOUT_MS = 600_000;

/** Runs the suite once and resolves with its exit code. */
async function main(): Promise<number> {
  requireTools();
  const started = Date.now();
  const server = await CodeServer.create({ smokeTestDriver: true });
  let browser: Browser | undefined;
  let passed = false;
  let log: WriteStream | undefined;
  let workspace: string | undefined;
  try {
    const suite = join(server.home, 'extension-tests', 'suite.cjs');
    await build({
      entryPoints: [join(E2E, 'extensionTests', 'suite.ts')],
      outfile: suite,
      bundle: true,
      platform: 'node',
      format: 'cjs',
      target: 'node20',
      external: ['vscode'],
      sourcemap: 'inline',
      logLevel: 'warning',
    });
    await server.installExtension(vsixPath());
    const extension = await installedExtension(server.extensionsDir);
    await server.start();
    workspace = await createWorkspace();
    browser = await Browser.launch();
    const page = browser.page;

    let finish: (code: number) => void = () => undefined;
    const exited = new Promise<number>((resolve) => (finish = resolve));
    // The suite's own lines go to the console; everything the workbench logs goes to a file.
    await mkdir(RESULTS, { recursive: true });
    const logFile = join(RESULTS, 'extension-tests.log');
    log = createWriteStream(logFile);
    const sink = log;
    await page.exposeFunction('codeAutomationLog', (type: string, args: unknown[]) => {
      const text = (args ?? []).map((a) => (typeof a === 'string' ? a : JSON.stringify(a)));
      const line = `[${type}] ${text.join(' ')}`;
      sink.write(`${line}\n`);
      for (const part of text.join(' ').split('\n')) {
        if (part.startsWith(REPORT_MARKER)) {
          console.log(part.slice(REPORT_MARKER.length));
        }
      }
    });
    await page.exposeFunction('codeAutomationExit', (code: number) => finish(code));

    const remote = (path: string): string => `vscode-remote://${server.authority}${path}`;
    const url = server.folderUrl(workspace, [
      ['extensionDevelopmentPath', remote(extension)],
      ['extensionTestsPath', remote(suite)],
    ]);
    console.log(`extension tests: code-server ${server.url}, extension ${extension}`);
    await page.goto(url);
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<number>((resolve) => {
      timer = setTimeout(() => {
        console.log(`extension tests: no result within ${SUITE_TIMEOUT_MS / 1000} s`);
        resolve(1);
      }, SUITE_TIMEOUT_MS);
    });
    const code = await Promise.race([exited, timeout]);
    clearTimeout(timer);
    passed = code === 0;
    console.log(`extension tests: the workbench's log is in ${logFile}`);
    console.log(
      `extension tests: exit code ${code} after ${((Date.now() - started) / 1000).toFixed(1)} s`,
    );
    return code;
  } finally {
    log?.end();
    try {
      await browser?.close();
    } finally {
      await server.stop({ removeFiles: passed });
      if (passed && workspace) {
        await rm(workspace, { recursive: true, force: true });
      } else {
        console.log(`extension tests: logs kept in ${server.home}, workspace in ${workspace}`);
      }
    }
  }
}

/** The folder that `--install-extension` unpacked the Stepwise package into. */
async function installedExtension(extensionsDir: string): Promise<string> {
  const names = (await readdir(extensionsDir)).filter((n) => n.startsWith('stepwise.stepwise-'));
  if (names.length !== 1) {
    throw new Error(`expected one Stepwise extension in ${extensionsDir}, found ${names.length}`);
  }
  return join(extensionsDir, names[0]!);
}

process.exitCode = await main();
