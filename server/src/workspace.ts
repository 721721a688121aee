/**
 * The workspace around the features: its folders and their pipeline files, file and warehouse
 * watching, settings and trust changes, and the refreshes each of these calls for.
 */
import type {
  ClientCapabilities,
  Disposable,
  DidChangeConfigurationParams,
  DidChangeWatchedFilesParams,
  InitializeParams,
  WorkspaceFoldersChangeEvent,
} from 'vscode-languageserver/node';
import {
  CodeLensRefreshRequest,
  DidChangeWatchedFilesNotification,
  FileChangeType,
} from 'vscode-languageserver/node';
import type { StepwiseInitializationOptions } from '../../protocol/languageProtocol.js';
import type { ServerContext } from './context.js';
import type { DiagnosticsPublisher } from './diagnostics.js';
import type { OpenDocuments } from './openDocuments.js';
import { pathOf } from './uris.js';
import { WarehouseWatcher } from './warehouseWatcher.js';
import { findPipelineFiles } from './workspaceFiles.js';

/** What the client can do, as far as the workspace cares. */
export interface ClientSupport {
  configuration: boolean;
  watchedFiles: boolean;
  codeLensRefresh: boolean;
  workspaceFolders: boolean;
}

/** What the client supports, from its capabilities. */
export function clientSupport(capabilities: ClientCapabilities): ClientSupport {
  const workspace = capabilities.workspace;
  return {
    configuration: workspace?.configuration === true,
    watchedFiles: workspace?.didChangeWatchedFiles?.dynamicRegistration === true,
    codeLensRefresh: workspace?.codeLens?.refreshSupport === true,
    workspaceFolders: workspace?.workspaceFolders === true,
  };
}

/** The workspace folders of an `initialize` request, as paths. */
export function initialFolders(params: InitializeParams): string[] {
  const uris =
    params.workspaceFolders?.map((f) => f.uri) ?? (params.rootUri ? [params.rootUri] : []);
  return uris.flatMap((uri) => pathOf(uri) ?? []);
}

/** Whether `initializationOptions` say the workspace is trusted; trusted when not said. */
export function initialTrust(params: InitializeParams): boolean {
  const options = params.initializationOptions as StepwiseInitializationOptions | undefined;
  return options?.trusted !== false;
}

/** Keeps the index, the watchers and the client's views up to date. */
export class Workspace {
  private readonly warehouseWatcher: WarehouseWatcher;
  private folders: string[];
  private watchedGlob: string | undefined;
  private watchRegistration: Disposable | undefined;

  constructor(
    private readonly context: ServerContext,
    private readonly documents: OpenDocuments,
    private readonly diagnostics: DiagnosticsPublisher,
    private readonly support: ClientSupport,
    folders: readonly string[],
  ) {
    this.folders = [...folders];
    this.warehouseWatcher = new WarehouseWatcher((warehouse) => {
      void this.warehouseChanged(warehouse);
    });
    context.index.onDidChange((paths) => {
      this.diagnostics.filesChanged(paths);
      this.warehouseWatcher.watch(this.context.history.warehouses());
    });
  }

  /** Reads the settings, finds the pipeline files and starts watching. */
  async start(): Promise<void> {
    await this.context.settings.refresh();
    await this.rescan();
  }

  /** The client's settings changed: pick up the new glob, warehouse and lens switches. */
  async settingsChanged(params: DidChangeConfigurationParams): Promise<void> {
    const before = this.context.settings.current;
    const after = await this.context.settings.refresh(params.settings);
    if (after.pipelineFiles !== before.pipelineFiles) {
      await this.rescan();
    } else if (after.warehouse !== before.warehouse) {
      this.warehouseWatcher.watch(this.context.history.warehouses());
    }
    await this.refreshViews();
  }

  /** Workspace folders were added or removed. */
  async foldersChanged(event: WorkspaceFoldersChangeEvent): Promise<void> {
    const removed = new Set(event.removed.flatMap((f) => pathOf(f.uri) ?? []));
    const added = event.added.flatMap((f) => pathOf(f.uri) ?? []);
    this.folders = [...this.folders.filter((f) => !removed.has(f)), ...added];
    await this.rescan();
  }

  /** Pipeline files changed on disk outside the editor. */
  async watchedFilesChanged(params: DidChangeWatchedFilesParams): Promise<void> {
    const { index } = this.context;
    // Every read starts at once, so requests that follow wait for all of them.
    const reads = params.changes.map(async (change) => {
      const path = pathOf(change.uri);
      if (path === undefined) {
        return;
      }
      if (change.type === FileChangeType.Deleted) {
        index.diskDeleted(path);
      } else {
        await index.diskChanged(path);
      }
    });
    await Promise.all(reads);
  }

  /** Trust was granted or revoked. */
  async trustChanged(trusted: boolean): Promise<void> {
    if (this.context.trust.trusted === trusted) {
      return;
    }
    this.context.trust.trusted = trusted;
    if (trusted) {
      await this.context.history.refresh();
    }
    await this.refreshViews();
  }

  /** The client says a run finished: re-read the warehouses and refresh what shows runs. */
  async runFinished(): Promise<void> {
    await this.context.history.refresh();
    await this.refreshViews();
  }

  /** A warehouse changed on disk: re-read it, and refresh the views if a last run changed. */
  async warehouseChanged(warehouse: string): Promise<void> {
    if (await this.context.history.refresh([warehouse])) {
      await this.refreshViews();
    }
  }

  /** Stops the watchers. */
  dispose(): void {
    this.warehouseWatcher.close();
    this.watchRegistration?.dispose();
  }

  /** Asks the client for new lenses and re-publishes diagnostics. */
  private async refreshViews(): Promise<void> {
    this.diagnostics.all();
    if (this.support.codeLensRefresh) {
      try {
        await this.context.connection.sendRequest(CodeLensRefreshRequest.type);
      } catch (error) {
        this.context.logger.debug(`The client did not refresh lenses: ${String(error)}`);
      }
    }
  }

  /** Finds the pipeline files of every folder again and watches them. */
  private async rescan(): Promise<void> {
    const { index, settings } = this.context;
    const glob = settings.current.pipelineFiles;
    index.configure(this.folders, glob);
    await this.documents.reclassify();
    const paths = await findPipelineFiles(this.folders, (p) => index.isPipelinePath(p));
    await index.loadFromDisk(paths);
    this.context.logger.info(
      `Found ${paths.length} pipeline files in ${this.folders.length} workspace folders.`,
    );
    await this.watchFiles(glob);
    this.warehouseWatcher.watch(this.context.history.warehouses());
  }

  /** Registers a file watcher for the glob with the client, once per glob. */
  private async watchFiles(glob: string): Promise<void> {
    if (!this.support.watchedFiles || this.watchedGlob === glob) {
      return;
    }
    this.watchedGlob = glob;
    this.watchRegistration?.dispose();
    try {
      this.watchRegistration = await this.context.connection.client.register(
        DidChangeWatchedFilesNotification.type,
        { watchers: [{ globPattern: glob }] },
      );
    } catch (error) {
      this.context.logger.warn(`Could not watch pipeline files: ${String(error)}`);
    }
  }
}
