/** Where a pipeline's project lives, and so where its warehouse file goes by default. */
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';

/** The nearest folder above the pipeline file that holds a package.json, else its own folder. */
export function projectFolder(pipelineFile: string): string {
  const own = dirname(pipelineFile);
  for (let dir = own; ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'package.json'))) {
      return dir;
    }
    if (dirname(dir) === dir) {
      return own;
    }
  }
}

/** `.stepwise/warehouse.duckdb` in the pipeline's project folder. */
export function defaultDatabase(pipelineFile: string): string {
  return join(projectFolder(pipelineFile), '.stepwise', 'warehouse.duckdb');
}
