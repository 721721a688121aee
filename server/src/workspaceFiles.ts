/**
 * Finds the pipeline files of the workspace folders on disk. Dependency folders and hidden
 * folders are skipped: they hold no pipelines of this workspace and can be very large.
 */
import type { Dirent } from 'node:fs';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';

const SKIPPED_FOLDERS: ReadonlySet<string> = new Set(['node_modules', 'dist', 'out']);

/** Absolute paths of the files under `folders` that `isPipelinePath` accepts. */
export async function findPipelineFiles(
  folders: readonly string[],
  isPipelinePath: (path: string) => boolean,
): Promise<string[]> {
  const found: string[] = [];
  const walk = async (dir: string): Promise<void> => {
    let entries: Dirent[];
    try {
      entries = await readdir(dir, { withFileTypes: true });
    } catch {
      return;
    }
    for (const entry of entries) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) {
        if (!entry.name.startsWith('.') && !SKIPPED_FOLDERS.has(entry.name)) {
          await walk(path);
        }
      } else if (entry.isFile() && isPipelinePath(path)) {
        found.push(path);
      }
    }
  };
  for (const folder of folders) {
    await walk(folder);
  }
  return [...new Set(found)].sort();
}
