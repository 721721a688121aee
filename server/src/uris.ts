/** Conversions between document URIs and file paths; only `file:` URIs name files. */
import { fileURLToPath, pathToFileURL } from 'node:url';

/** The absolute path of a `file:` URI, or undefined for other schemes. */
export function pathOf(uri: string): string | undefined {
  if (!uri.startsWith('file:')) {
    return undefined;
  }
  try {
    return fileURLToPath(uri);
  } catch {
    return undefined;
  }
}

/** The `file:` URI of an absolute path. */
export function uriOf(path: string): string {
  return pathToFileURL(path).href;
}
