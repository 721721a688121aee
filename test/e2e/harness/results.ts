/** Screenshots of the end-to-end tests, named after the scenario they show. */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { RESULTS } from './paths.js';

/** The path of the screenshot `name`.png, creating the results folder when needed. */
export function screenshotPath(name: string): string {
  mkdirSync(RESULTS, { recursive: true });
  return join(RESULTS, `${name}.png`);
}
