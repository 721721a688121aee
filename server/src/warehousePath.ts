/** Which warehouse file holds the run history of a pipeline file. */
import { dirname, isAbsolute, resolve } from 'node:path';
import { defaultDatabase } from '../../engine/src/project.js';

/**
 * The warehouse of a pipeline: the `stepwise.warehouse` setting, relative to the pipeline's
 * workspace folder (or to the pipeline's folder outside any), else the project's default.
 */
export function warehouseFor(
  pipeline: string,
  setting: string,
  folder: string | undefined,
): string {
  if (setting === '') {
    return defaultDatabase(pipeline);
  }
  return isAbsolute(setting) ? setting : resolve(folder ?? dirname(pipeline), setting);
}
