/**
 * The workspace the end-to-end tests open: a copy of the flights example in its usual place under
 * a project folder of its own, so runs write to that project's `.stepwise/warehouse.duckdb` and
 * never to the repository's, plus the small fixtures and a launch configuration.
 */
import { cp, mkdir, mkdtemp, readdir, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { E2E, ROOT } from './paths.js';

/** The flights pipeline, relative to the workspace. */
export const FLIGHTS = 'examples/flights/flights.pipeline.ts';

/** The folder of the fixtures, relative to the workspace. */
export const FIXTURES = 'fixtures';

/** The launch configuration that debugs the flights pipeline. */
export const DEBUG_FLIGHTS = 'Debug flights';

/** Creates a new workspace and returns its folder. */
export async function createWorkspace(): Promise<string> {
  const folder = await mkdtemp(join(tmpdir(), 'stepwise-e2e-workspace-'));
  await writeJson(join(folder, 'package.json'), { name: 'flights-e2e', private: true });
  await cp(join(ROOT, FLIGHTS), join(folder, FLIGHTS));
  // The example reads its data from ../../node_modules/vega-datasets; a link keeps that path.
  await mkdir(join(folder, 'node_modules'));
  await symlink(
    join(ROOT, 'node_modules', 'vega-datasets'),
    join(folder, 'node_modules', 'vega-datasets'),
  );
  const fixtures = await readdir(join(E2E, 'fixtures'));
  for (const name of fixtures.filter((f) => f.endsWith('.pipeline.ts'))) {
    await cp(join(E2E, 'fixtures', name), join(folder, FIXTURES, name));
  }
  // The editor's TypeScript service finds the engine's types through the repository's sources,
  // so pipeline files show no unresolved import.
  await writeJson(join(folder, 'tsconfig.json'), {
    compilerOptions: {
      target: 'ES2022',
      module: 'NodeNext',
      moduleResolution: 'NodeNext',
      strict: true,
      noEmit: true,
      skipLibCheck: true,
      typeRoots: [join(ROOT, 'node_modules', '@types')],
      types: ['node'],
      paths: { '@stepwise/engine': [join(ROOT, 'engine', 'src', 'index.ts')] },
    },
    include: ['**/*.pipeline.ts'],
  });
  await writeJson(join(folder, '.vscode', 'launch.json'), {
    version: '0.2.0',
    configurations: [
      {
        type: 'stepwise',
        request: 'launch',
        name: DEBUG_FLIGHTS,
        pipeline: `\${workspaceFolder}/${FLIGHTS}`,
      },
    ],
  });
  return folder;
}

async function writeJson(path: string, value: unknown): Promise<void> {
  await mkdir(join(path, '..'), { recursive: true });
  await writeFile(path, `${JSON.stringify(value, null, 2)}\n`);
}
