/**
 * Runs the extension tests in desktop VS Code through @vscode/test-electron, where desktop VS
 * Code can be downloaded. Where it cannot (a machine that reaches only package registries), this
 * says so and exits 0, since the code-server run covers the same suite; every other failure
 * exits 1.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { downloadAndUnzipVSCode, runTests } from '@vscode/test-electron';
import { build } from 'esbuild';
import { E2E, ROOT } from '../harness/paths.js';
import { createWorkspace } from '../harness/workspace.js';

/** Error codes that mean the download server was not reachable. */
const UNREACHABLE = /\b(ENOTFOUND|EAI_AGAIN|ECONNREFUSED|ECONNRESET|ETIMEDOUT|ENETUNREACH)\b/;

/** The VS Code version the manifest's `engines.vscode` asks for at least. */
const VERSION = '1.91.0';

async function main(): Promise<number> {
  let executable: string;
  try {
    executable = await downloadAndUnzipVSCode({
      version: VERSION,
      cachePath: join(ROOT, '.tools', 'vscode-test'),
    });
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    if (UNREACHABLE.test(message) || UNREACHABLE.test(String((error as { code?: string }).code))) {
      console.log(
        `desktop VS Code ${VERSION} could not be downloaded (${message.split('\n')[0]}); ` +
          'the desktop run is skipped and the code-server run is the one that counts.',
      );
      return 0;
    }
    console.error(`desktop VS Code: the download failed in an unexpected way: ${message}`);
    return 1;
  }

  const scratch = await mkdtemp(join(tmpdir(), 'stepwise-e2e-desktop-'));
  const suite = join(scratch, 'suite.cjs');
  await build({
    entryPoints: [join(E2E, 'extensionTests', 'suite.ts')],
    outfile: suite,
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    external: ['vscode'],
    logLevel: 'warning',
  });
  const workspace = await createWorkspace();
  try {
    // build/extension is the unpacked package that `npm run package` turns into the .vsix.
    await runTests({
      vscodeExecutablePath: executable,
      extensionDevelopmentPath: join(ROOT, 'build', 'extension'),
      extensionTestsPath: suite,
      launchArgs: [
        workspace,
        '--disable-workspace-trust',
        '--user-data-dir',
        join(scratch, 'user-data'),
        '--extensions-dir',
        join(scratch, 'extensions'),
      ],
    });
    return 0;
  } catch (error) {
    console.error(`desktop VS Code: the extension tests failed: ${String(error)}`);
    return 1;
  } finally {
    await rm(scratch, { recursive: true, force: true });
    await rm(workspace, { recursive: true, force: true });
  }
}

process.exitCode = await main();
