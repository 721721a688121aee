// The one esbuild script: bundles each Stepwise process (CLI, benchmark, and later the debug
// adapter, language server and extension client) into dist/, one entry point per process.
import { build, context } from 'esbuild';
import { chmod, readFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const pkg = JSON.parse(await readFile(join(root, 'package.json'), 'utf8'));

/**
 * One entry per process. `optional` entries are skipped while their source does not exist;
 * `executable` ones get a shebang and the executable bit; `options` overrides the defaults below
 * (an extension client, for instance, needs `format: 'cjs'` and `external: ['vscode']`).
 */
const entries = [
  { entry: 'engine/src/cli/main.ts', outfile: 'dist/cli.js', executable: true },
  { entry: 'debug-adapter/src/main.ts', outfile: 'dist/debugAdapter.js' },
  { entry: 'server/src/main.ts', outfile: 'dist/server.js', optional: true },
  {
    entry: 'client/src/extension.ts',
    outfile: 'dist/extension.cjs',
    options: { format: 'cjs', banner: {} },
  },
  {
    entry: 'client/webview/dataViewer.ts',
    outfile: 'dist/dataViewer.js',
    options: { platform: 'browser', format: 'iife', target: 'es2022', banner: {} },
  },
  { entry: 'bench/main.ts', outfile: 'dist/bench.js', optional: true },
];

/**
 * Defaults for Node processes: ESM for Node 20 with every package bundled except native code
 * (DuckDB's binding, esbuild's binary) and the editor API, so that dist/ plus those native
 * packages is all the packaged extension needs. Bundled CommonJS packages may call `require`,
 * which the banner provides in ESM output.
 */
const defaults = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'esm',
  sourcemap: true,
  external: ['@duckdb/node-bindings', 'esbuild', 'vscode'],
  logLevel: 'warning',
  define: { STEPWISE_VERSION: JSON.stringify(pkg.version) },
  banner: {
    js: [
      "import { createRequire as __stepwiseRequire } from 'node:module';",
      "import { fileURLToPath as __stepwiseFile } from 'node:url';",
      "import { dirname as __stepwiseDir } from 'node:path';",
      'const require = __stepwiseRequire(import.meta.url);',
      'const __filename = __stepwiseFile(import.meta.url);',
      'const __dirname = __stepwiseDir(__filename);',
    ].join(' '),
  },
};

const watch = process.argv.includes('--watch');
const failed = [];

// Every entry is attempted, so one broken process does not hold back the others; the script
// still exits non-zero when any failed. esbuild has printed the errors by then.
for (const { entry, outfile, executable, optional, options } of entries) {
  if (!existsSync(join(root, entry))) {
    if (!optional) {
      console.error(
        `build: entry point ${entry} does not exist; fix the list in scripts/build.mjs.`,
      );
      failed.push(outfile);
    }
    continue;
  }
  const config = {
    ...defaults,
    ...options,
    absWorkingDir: root,
    entryPoints: [entry],
    outfile,
    ...(executable ? { banner: { js: `#!/usr/bin/env node\n${defaults.banner.js}` } } : {}),
  };
  try {
    if (watch) {
      const ctx = await context(config);
      await ctx.rebuild();
      await markExecutable(outfile, executable);
      await ctx.watch();
      console.log(`watching ${entry} → ${outfile}`);
    } else {
      await build(config);
      await markExecutable(outfile, executable);
      console.log(`built ${outfile}`);
    }
  } catch {
    failed.push(outfile);
  }
}

if (failed.length > 0) {
  console.error(`build: failed to build ${failed.join(', ')}`);
  process.exitCode = 1;
}

async function markExecutable(outfile, executable) {
  if (executable) {
    await chmod(join(root, outfile), 0o755);
  }
}
