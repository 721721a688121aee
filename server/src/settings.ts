/**
 * The `stepwise` settings, asked of the client with `workspace/configuration` and merged over the
 * defaults one field at a time, so a missing or mistyped value never disables a feature.
 */
import type { Connection } from 'vscode-languageserver/node';
import {
  DEFAULT_SETTINGS,
  SETTINGS_SECTION,
  type CodeLensSettings,
  type StepwiseSettings,
} from '../../protocol/languageProtocol.js';
import type { Logger } from './logger.js';

/** The current settings and how to refresh them. */
export class SettingsStore {
  private value: StepwiseSettings = DEFAULT_SETTINGS;

  constructor(
    private readonly connection: Connection,
    private readonly logger: Logger,
    /** False when the client cannot answer `workspace/configuration`. */
    private readonly canAsk: () => boolean,
  ) {}

  /** The settings as last read; the defaults until then. */
  get current(): StepwiseSettings {
    return this.value;
  }

  /** Asks the client for the settings again; keeps the old ones when it cannot answer. */
  async refresh(pushed?: unknown): Promise<StepwiseSettings> {
    let raw: unknown = sectionOf(pushed);
    if (this.canAsk()) {
      try {
        const [answer] = (await this.connection.workspace.getConfiguration([
          { section: SETTINGS_SECTION },
        ])) as unknown[];
        raw = answer;
      } catch (error) {
        this.logger.warn(`Could not read the ${SETTINGS_SECTION} settings: ${String(error)}`);
        return this.value;
      }
    }
    this.value = mergeSettings(raw);
    return this.value;
  }
}

/** The `stepwise` section of a `didChangeConfiguration` payload, when the client pushes one. */
function sectionOf(pushed: unknown): unknown {
  return isRecord(pushed) ? pushed[SETTINGS_SECTION] : undefined;
}

/** Settings from whatever the client answered, with defaults for every missing or bad field. */
export function mergeSettings(raw: unknown): StepwiseSettings {
  const given = isRecord(raw) ? raw : {};
  const lens = isRecord(given.codeLens) ? given.codeLens : {};
  const codeLens = { ...DEFAULT_SETTINGS.codeLens };
  for (const key of Object.keys(codeLens) as (keyof CodeLensSettings)[]) {
    const value = lens[key];
    if (typeof value === 'boolean') {
      codeLens[key] = value;
    }
  }
  return {
    pipelineFiles: nonEmptyString(given.pipelineFiles) ?? DEFAULT_SETTINGS.pipelineFiles,
    warehouse: typeof given.warehouse === 'string' ? given.warehouse.trim() : '',
    codeLens,
  };
}

function nonEmptyString(value: unknown): string | undefined {
  return typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
