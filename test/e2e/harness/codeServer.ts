/**
 * One code-server, isolated from the machine's: its own user data, extensions, XDG and home
 * folders under a temporary directory, listening on a free loopback port, in its own process
 * group, with settings that keep the workbench quiet.
 */
import { createWriteStream, type WriteStream } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { CODE_SERVER_ENTRY, NODE24 } from './paths.js';
import { ProcessGroup } from './processGroup.js';

/** Settings that keep welcome pages, chat, update checks and port scans out of the way. */
const QUIET_SETTINGS = {
  'workbench.startupEditor': 'none',
  'workbench.tips.enabled': false,
  'workbench.welcomePage.walkthroughs.openOnInstall': false,
  'workbench.secondarySideBar.defaultVisibility': 'hidden',
  'chat.disableAIFeatures': true,
  'telemetry.telemetryLevel': 'off',
  'extensions.autoCheckUpdates': false,
  'extensions.autoUpdate': false,
  'extensions.ignoreRecommendations': true,
  'remote.autoForwardPorts': false,
  'update.mode': 'none',
  'git.enabled': false,
  'editor.minimap.enabled': false,
  'window.commandCenter': false,
};

/** How long code-server may take to listen. */
const START_TIMEOUT_MS = 60_000;

/** Options of a code-server. */
export interface CodeServerOptions {
  /** Lets a page run extension tests (`payload` in the URL) and report through `codeAutomationExit`. */
  smokeTestDriver?: boolean;
  /** Settings added to the quiet defaults. */
  settings?: Record<string, unknown>;
  /** A fixed port, for a server a person opens; a free one when omitted. */
  port?: number;
}

/** A code-server that has been prepared and possibly started. */
export class CodeServer {
  private group: ProcessGroup | undefined;
  private log: WriteStream | undefined;
  private port = 0;

  private constructor(
    /** The temporary folder that holds everything this server writes. */
    readonly home: string,
    private readonly options: CodeServerOptions,
  ) {}

  /** Prepares the folders and settings of a new server. */
  static async create(options: CodeServerOptions = {}): Promise<CodeServer> {
    const home = await mkdtemp(join(tmpdir(), 'stepwise-e2e-'));
    const server = new CodeServer(home, options);
    for (const dir of ['user-data/User', 'extensions', 'xdg/config', 'xdg/data', 'xdg/cache']) {
      await mkdir(join(home, dir), { recursive: true });
    }
    await mkdir(join(home, 'xdg', 'state'), { recursive: true });
    const settings = { ...QUIET_SETTINGS, ...options.settings };
    await writeFile(
      join(home, 'user-data', 'User', 'settings.json'),
      `${JSON.stringify(settings, null, 2)}\n`,
    );
    return server;
  }

  /** The server's log file (its stdout and stderr). */
  get logFile(): string {
    return join(this.home, 'code-server.log');
  }

  /** The folder extensions are installed into. */
  get extensionsDir(): string {
    return join(this.home, 'extensions');
  }

  /** The base URL, once started. */
  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  /** The host:port authority that `vscode-remote://` URIs of this server use. */
  get authority(): string {
    return `127.0.0.1:${this.port}`;
  }

  /** The URL that opens `folder` in the workbench, with an optional smoke-test payload. */
  folderUrl(folder: string, payload?: [string, string][]): string {
    // Slashes stay readable; code-server takes the folder either way.
    const path = encodeURIComponent(folder).replace(/%2F/g, '/');
    const extra = payload ? `&payload=${encodeURIComponent(JSON.stringify(payload))}` : '';
    return `${this.url}/?folder=${path}${extra}`;
  }

  /** Installs a .vsix with code-server's own `--install-extension`. */
  async installExtension(vsix: string): Promise<void> {
    const output: string[] = [];
    const group = ProcessGroup.spawn(
      join(NODE24, 'bin', 'node'),
      [CODE_SERVER_ENTRY, ...this.dirArgs(), '--install-extension', vsix],
      { env: this.env(), stdio: ['ignore', 'pipe', 'pipe'] },
    );
    group.child.stdout!.on('data', (chunk: Buffer) => output.push(chunk.toString()));
    group.child.stderr!.on('data', (chunk: Buffer) => output.push(chunk.toString()));
    const timer = setTimeout(() => void group.stop(), START_TIMEOUT_MS);
    const code = await group.exit();
    clearTimeout(timer);
    await group.stop();
    const text = output.join('');
    if (code !== 0 || !/was successfully installed/.test(text)) {
      throw new Error(`code-server --install-extension ${vsix} failed (exit ${code}):\n${text}`);
    }
  }

  /** Starts the server and resolves once it listens and answers its health check. */
  async start(): Promise<void> {
    this.port = this.options.port ?? (await freePort());
    this.log = createWriteStream(this.logFile);
    const args = [
      CODE_SERVER_ENTRY,
      '--bind-addr',
      this.authority,
      '--auth',
      'none',
      ...this.dirArgs(),
      '--disable-telemetry',
      '--disable-update-check',
      '--disable-workspace-trust',
      '--disable-getting-started-override',
      '--reconnection-grace-time',
      '5',
      ...(this.options.smokeTestDriver ? ['--vscode-option', 'enable-smoke-test-driver'] : []),
    ];
    this.group = ProcessGroup.spawn(join(NODE24, 'bin', 'node'), args, {
      env: this.env(),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const child = this.group.child;
    child.stdout!.pipe(this.log, { end: false });
    child.stderr!.pipe(this.log, { end: false });
    const listening = new Promise<void>((resolve, reject) => {
      const lines = createInterface({ input: child.stdout! });
      lines.on('line', (line) => {
        if (line.includes('HTTP server listening on')) {
          lines.close();
          resolve();
        }
      });
      void this.group!.exit().then((code) =>
        reject(new Error(`code-server exited with ${code} before listening; see ${this.logFile}`)),
      );
    });
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(new Error(`code-server did not listen within ${START_TIMEOUT_MS} ms`)),
        START_TIMEOUT_MS,
      );
    });
    try {
      await Promise.race([listening, timeout]);
    } finally {
      clearTimeout(timer);
    }
    const health = await fetch(`${this.url}/healthz`);
    if (!health.ok) {
      throw new Error(`code-server's /healthz answered ${health.status}; see ${this.logFile}`);
    }
  }

  /** Stops the server's whole process group; `removeFiles` also deletes its folders. */
  async stop({ removeFiles = false }: { removeFiles?: boolean } = {}): Promise<void> {
    await this.group?.stop();
    this.group = undefined;
    this.log?.end();
    if (removeFiles) {
      await rm(this.home, { recursive: true, force: true });
    }
  }

  private dirArgs(): string[] {
    return [
      '--user-data-dir',
      join(this.home, 'user-data'),
      '--extensions-dir',
      this.extensionsDir,
    ];
  }

  /** Node 24 first on PATH, and every per-user folder inside this server's home. */
  private env(): NodeJS.ProcessEnv {
    return {
      ...process.env,
      PATH: `${join(NODE24, 'bin')}:${process.env.PATH ?? ''}`,
      HOME: this.home,
      XDG_CONFIG_HOME: join(this.home, 'xdg', 'config'),
      XDG_DATA_HOME: join(this.home, 'xdg', 'data'),
      XDG_CACHE_HOME: join(this.home, 'xdg', 'cache'),
      XDG_STATE_HOME: join(this.home, 'xdg', 'state'),
    };
  }
}

/** A port on 127.0.0.1 that nothing listens on right now. */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (address === null || typeof address === 'string') {
    throw new Error('could not find a free port');
  }
  return address.port;
}
