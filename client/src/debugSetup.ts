/**
 * Registers the `stepwise` debugger: how VS Code starts the adapter, how a launch configuration
 * is completed from the active file and the settings, and what happens when a run finishes.
 */
import * as vscode from 'vscode';
import {
  RUN_FINISHED_EVENT,
  type RunFinishedEventBody,
  type StepwiseLaunchArguments,
} from '../../protocol/debugProtocol.js';
import type { Log } from './log.js';
import { showRunSummary } from './runSummary.js';

/** The debug type of Stepwise launch configurations. */
export const DEBUG_TYPE = 'stepwise';

/** Registers the adapter, the configuration provider and the run-summary tracker. */
export function registerDebugger(
  context: vscode.ExtensionContext,
  log: Log,
  adapterPath: string,
  onRunFinished: (body: RunFinishedEventBody) => void,
): void {
  context.subscriptions.push(
    vscode.debug.registerDebugAdapterDescriptorFactory(DEBUG_TYPE, {
      createDebugAdapterDescriptor: () =>
        new vscode.DebugAdapterExecutable(process.execPath, [adapterPath], {
          env: { ELECTRON_RUN_AS_NODE: '1' },
        }),
    }),
    vscode.debug.registerDebugConfigurationProvider(DEBUG_TYPE, new ConfigurationProvider(log)),
    vscode.debug.registerDebugConfigurationProvider(
      DEBUG_TYPE,
      { provideDebugConfigurations: () => [defaultConfiguration()] },
      vscode.DebugConfigurationProviderTriggerKind.Dynamic,
    ),
    vscode.debug.registerDebugAdapterTrackerFactory(DEBUG_TYPE, {
      createDebugAdapterTracker: (session) => ({
        onDidSendMessage: (message: { type?: string; event?: string; body?: unknown }) => {
          if (message.type === 'event' && message.event === RUN_FINISHED_EVENT) {
            const body = message.body as RunFinishedEventBody;
            log.info(
              `${session.name}: pipeline ${body.status} in ${Math.round(body.durationMs)} ms`,
            );
            onRunFinished(body);
            void showRunSummary(body, session.configuration.noDebug === true);
          }
        },
        // The stream closes with a read error when the adapter exits at the end of a session.
        onError: (error) => log.debug(`Debug adapter stream: ${error.message}`),
      }),
    }),
  );
}

/** A launch configuration for the pipeline in the active editor. */
function defaultConfiguration(): vscode.DebugConfiguration {
  return {
    type: DEBUG_TYPE,
    request: 'launch',
    name: 'Debug pipeline',
    pipeline: '${file}',
    stopOnEntry: true,
  };
}

class ConfigurationProvider implements vscode.DebugConfigurationProvider {
  constructor(private readonly log: Log) {}

  resolveDebugConfiguration(
    folder: vscode.WorkspaceFolder | undefined,
    config: vscode.DebugConfiguration,
  ): vscode.DebugConfiguration | undefined {
    if (!vscode.workspace.isTrusted) {
      void vscode.window.showErrorMessage(
        'Stepwise runs pipelines only in trusted workspaces, because running a pipeline runs its ' +
          'code. Use "Manage Workspace Trust" to trust this folder.',
      );
      return undefined;
    }
    const resolved: vscode.DebugConfiguration & Partial<StepwiseLaunchArguments> = { ...config };
    if (!resolved.type && !resolved.request && !resolved.name) {
      const editor = vscode.window.activeTextEditor;
      if (!editor || !/\.pipeline\.(ts|mts|js|mjs)$/.test(editor.document.fileName)) {
        return undefined;
      }
      Object.assign(resolved, defaultConfiguration(), { pipeline: editor.document.fileName });
    }
    if (!resolved.pipeline) {
      resolved.pipeline = vscode.window.activeTextEditor?.document.fileName ?? '';
    }
    const settings = vscode.workspace.getConfiguration('stepwise', folder);
    const warehouse = settings.get<string>('warehouse', '');
    if (resolved.database === undefined && warehouse) {
      resolved.database =
        folder && !warehouse.startsWith('/')
          ? vscode.Uri.joinPath(folder.uri, warehouse).fsPath
          : warehouse;
    }
    resolved.previewRows ??= settings.get<number>('previewRows', 100);
    this.log.info(
      `Launching ${resolved.name}: ${JSON.stringify({ ...resolved, type: undefined })}`,
    );
    return resolved;
  }
}
