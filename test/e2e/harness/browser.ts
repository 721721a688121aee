/**
 * Headless Debian Chromium through playwright-core, with a fresh profile and the flags that keep
 * it off the network except for the loopback code-server it is pointed at.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { CHROMIUM } from './paths.js';

const FLAGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** A browser with one page, and the folder of its profile. */
export class Browser {
  private constructor(
    readonly context: BrowserContext,
    readonly page: Page,
    private readonly profile: string,
  ) {}

  /** Launches Chromium with a new profile and a workbench-sized viewport. */
  static async launch(): Promise<Browser> {
    const profile = await mkdtemp(join(tmpdir(), 'stepwise-e2e-chromium-'));
    const context = await chromium.launchPersistentContext(join(profile, 'user-data'), {
      executablePath: CHROMIUM,
      headless: true,
      args: FLAGS,
      viewport: { width: 1500, height: 1100 },
      // Chromium writes crash reports under $HOME/.config even with its own profile.
      env: { ...process.env, HOME: profile, XDG_CONFIG_HOME: join(profile, 'config') },
    });
    const page = context.pages()[0] ?? (await context.newPage());
    return new Browser(context, page, profile);
  }

  /** Closes the browser and deletes its profile. */
  async close(): Promise<void> {
    await this.context.close();
    await rm(this.profile, { recursive: true, force: true });
  }
}
