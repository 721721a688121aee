// Runs every unit and protocol test (*.test.ts outside the end-to-end folder) with Node's test
// runner. Node 20 does not expand globs for --test, so the files are listed here.
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(fileURLToPath(import.meta.url), '..', '..');
const folders = ['engine', 'debug-adapter', 'server', 'client', 'protocol', 'test'];
const skip = new Set(['node_modules', 'dist', 'fixtures', 'e2e', '.tools']);

function testsIn(dir) {
  let entries;
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch {
    return [];
  }
  return entries.flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) {
      return skip.has(entry.name) ? [] : testsIn(path);
    }
    return entry.name.endsWith('.test.ts') ? [relative(root, path)] : [];
  });
}

const filter = process.argv.slice(2);
const files = folders
  .flatMap((folder) => testsIn(join(root, folder)))
  .filter((file) => filter.length === 0 || filter.some((f) => file.includes(f)))
  .sort();
if (files.length === 0) {
  console.error(`test: no test files match ${filter.join(' ')}`);
  process.exit(1);
}
const result = spawnSync(
  process.execPath,
  ['--import', 'tsx', '--test', '--test-reporter=spec', ...files],
  { cwd: root, stdio: 'inherit' },
);
process.exit(result.status ?? 1);
