/** What every feature handler gets: the connection, the settings, the files and the last runs. */
import type { Connection } from 'vscode-languageserver/node';
import type { Logger } from './logger.js';
import type { PipelineFile } from './pipelineFile.js';
import type { PipelineIndex } from './pipelineIndex.js';
import type { RunHistory } from './runHistory.js';
import type { SettingsStore } from './settings.js';
import { pathOf } from './uris.js';

/** Whether the workspace is trusted; the client tells the server when it changes. */
export interface TrustState {
  trusted: boolean;
}

/** The services shared by the feature handlers. */
export interface ServerContext {
  connection: Connection;
  logger: Logger;
  settings: SettingsStore;
  index: PipelineIndex;
  history: RunHistory;
  trust: TrustState;
  /** Settles once the settings are read and the workspace's pipeline files are found. */
  ready: Promise<void>;
}

/** The pipeline file a document URI names, if the server knows it. */
export function fileOf(context: ServerContext, uri: string): PipelineFile | undefined {
  const path = pathOf(uri);
  return path === undefined ? undefined : context.index.get(path);
}
