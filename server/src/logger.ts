/**
 * The server's one logger. Messages go to the client's log (`window/logMessage`), so they appear
 * in the extension's output channel; debug messages only when the level asks for them.
 */
import type { RemoteConsole } from 'vscode-languageserver/node';

/** Log levels from the quietest to the most verbose. */
export type LogLevel = 'error' | 'warn' | 'info' | 'debug';

const RANK: Record<LogLevel, number> = { error: 0, warn: 1, info: 2, debug: 3 };

/** A leveled logger over the connection's console. */
export class Logger {
  constructor(
    private readonly console: RemoteConsole,
    private readonly level: LogLevel = 'info',
  ) {}

  /** A failure that stops a feature from working. */
  error(message: string): void {
    if (this.enabled('error')) {
      this.console.error(message);
    }
  }

  /** Something the user may want to know about, such as a setting that could not be read. */
  warn(message: string): void {
    if (this.enabled('warn')) {
      this.console.warn(message);
    }
  }

  /** What the server found or did, such as the number of pipeline files. */
  info(message: string): void {
    if (this.enabled('info')) {
      this.console.info(message);
    }
  }

  /** Detail for finding faults, logged only at the debug level. */
  debug(message: string): void {
    if (this.enabled('debug')) {
      this.console.log(message);
    }
  }

  private enabled(level: LogLevel): boolean {
    return RANK[level] <= RANK[this.level];
  }
}

/** The level named by a `--log-level=<level>` argument, if any. */
export function logLevelFromArgs(args: readonly string[]): LogLevel | undefined {
  const value = args.find((a) => a.startsWith('--log-level='))?.slice('--log-level='.length);
  return value !== undefined && value in RANK ? (value as LogLevel) : undefined;
}
