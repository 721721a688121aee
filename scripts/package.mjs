// Packages the extension as a .vsix: the esbuild bundles, the manifest, the grammar, and the
// native packages the bundles load at run time (DuckDB's binding and esbuild's binary).
import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const stage = join(root, 'build', 'extension');
const target = `${process.platform}-${process.arch}`;
const bundles = ['extension.cjs', 'server.js', 'debugAdapter.js', 'dataViewer.js'];

execFileSync(process.execPath, [join(root, 'scripts', 'build.mjs')], { stdio: 'inherit' });

rmSync(stage, { recursive: true, force: true });
mkdirSync(join(stage, 'dist'), { recursive: true });
const version = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).version;
const manifest = JSON.parse(readFileSync(join(root, 'client', 'package.json'), 'utf8'));
// The Node bundles are ES modules; the extension entry is .cjs for the editor's loader.
// The native packages are declared so that the packager ships them (and only them).
const versionOf = (name) =>
  JSON.parse(readFileSync(join(root, 'node_modules', name, 'package.json'), 'utf8')).version;
const dependencies = Object.fromEntries(
  ['@duckdb/node-bindings', 'esbuild'].map((name) => [name, versionOf(name)]),
);
writeFileSync(
  join(stage, 'package.json'),
  `${JSON.stringify({ ...manifest, version, type: 'module', dependencies }, null, 2)}\n`,
);
cpSync(join(root, 'client', 'package.nls.json'), join(stage, 'package.nls.json'));
cpSync(join(root, 'client', 'README.md'), join(stage, 'README.md'));
cpSync(join(root, 'LICENSE'), join(stage, 'LICENSE'));
cpSync(join(root, 'syntaxes'), join(stage, 'syntaxes'), { recursive: true });
for (const bundle of bundles) {
  cpSync(join(root, 'dist', bundle), join(stage, 'dist', bundle));
}
// npm fetches the native packages for this platform (from its cache after `npm ci`), with exactly
// the versions the bundles were built and tested against.
execFileSync(
  'npm',
  ['install', '--omit=dev', '--no-package-lock', '--no-audit', '--no-fund', '--prefer-offline'],
  { cwd: stage, stdio: 'inherit' },
);

const out = join(root, `stepwise-${version}.vsix`);
execFileSync(
  join(root, 'node_modules', '.bin', 'vsce'),
  ['package', '--allow-missing-repository', '--target', target, '-o', out],
  { cwd: stage, stdio: 'inherit' },
);
console.log(`packaged ${out}`);
