/**
 * The Stepwise commands: run until here, run step, rerun with params, debug until here and show
 * last run. Runs go through the debug adapter (without stopping when only running), so the CLI,
 * the lenses and the debugger share one engine path.
 */
import * as vscode from 'vscode';
import {
  RERUN_STEP_REQUEST,
  type RerunStepResult,
  type StepwiseLaunchArguments,
} from '../../protocol/debugProtocol.js';
import { DEBUG_TYPE } from './debugSetup.js';
import type { Log } from './log.js';
import { ParamsStore } from './paramsStore.js';
import { resolveStepTarget, type StepTarget } from './pipelineTarget.js';

/** Registers every command of the extension except the webviews'. */
export function registerRunCommands(context: vscode.ExtensionContext, log: Log): void {
  const params = new ParamsStore(context.workspaceState);
  const command = (id: string, run: (target: StepTarget) => Promise<void>): vscode.Disposable =>
    vscode.commands.registerCommand(id, async (uri?: unknown, step?: unknown) => {
      if (!requireTrust()) {
        return;
      }
      const target = await resolveStepTarget(uri, step);
      if (target) {
        await run(target).catch((error: unknown) => {
          log.error(`${id} failed: ${String(error)}`);
          void vscode.window.showErrorMessage(
            `Stepwise: ${error instanceof Error ? error.message : String(error)}`,
          );
        });
      }
    });
  context.subscriptions.push(
    command('stepwise.runUntil', (t) =>
      launch(t, `Run until ${t.step}`, { until: t.step, noDebug: true }),
    ),
    command('stepwise.runStep', (t) => launch(t, `Run ${t.step}`, { only: t.step, noDebug: true })),
    command('stepwise.debugUntil', (t) => launch(t, `Debug until ${t.step}`, { until: t.step })),
    command('stepwise.rerunWithParams', (t) => rerunWithParams(t, params, log)),
    vscode.commands.registerCommand('stepwise.showLastRun', (uri?: unknown, step?: unknown) =>
      showLastRun(uri, step),
    ),
    vscode.commands.registerCommand('stepwise.showLog', () => log.show()),
  );
}

async function launch(
  target: StepTarget,
  name: string,
  attributes: Partial<StepwiseLaunchArguments>,
): Promise<void> {
  const document = vscode.workspace.textDocuments.find(
    (d) => d.uri.toString() === target.uri.toString(),
  );
  if (document?.isDirty) {
    await document.save();
  }
  const folder = vscode.workspace.getWorkspaceFolder(target.uri);
  const started = await vscode.debug.startDebugging(
    folder,
    { type: DEBUG_TYPE, request: 'launch', name, pipeline: target.uri.fsPath, ...attributes },
    { noDebug: attributes.noDebug === true },
  );
  if (!started) {
    throw new Error(`could not start '${name}'; see the Debug Console and the Stepwise log.`);
  }
}

async function rerunWithParams(target: StepTarget, store: ParamsStore, log: Log): Promise<void> {
  const last = store.get(target.uri, target.step);
  const text = await vscode.window.showInputBox({
    title: `Rerun ${target.step} with params`,
    prompt: "Params as a JSON object, passed to the step's transform as `params`.",
    value: JSON.stringify(last),
    validateInput: (value) => paramsError(value),
  });
  if (text === undefined) {
    return;
  }
  const params = JSON.parse(text) as Record<string, unknown>;
  await store.set(target.uri, target.step, params);
  const session = pausedSessionOn(target.uri);
  if (session) {
    log.info(`Rerunning ${target.step} in the debug session with ${text}`);
    const result = (await session.customRequest(RERUN_STEP_REQUEST, {
      step: target.step,
      params,
    })) as RerunStepResult;
    const message =
      result.status === 'completed'
        ? `Stepwise: ${target.step} rerun · ${count(result.validRows)} valid rows of ` +
          `${count(result.outputRows)} · ${Math.round(result.durationMs)} ms`
        : `Stepwise: ${target.step} failed: ${result.error ?? result.status}`;
    void (result.status === 'completed'
      ? vscode.window.showInformationMessage(message)
      : vscode.window.showErrorMessage(message));
    return;
  }
  await launch(target, `Rerun ${target.step}`, {
    only: target.step,
    noDebug: true,
    stepParams: { [target.step]: params },
  });
}

/** Why the text is not a params object, or undefined when it is. */
export function paramsError(value: string): string | undefined {
  try {
    const parsed: unknown = JSON.parse(value);
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
      return 'Params must be a JSON object, for example {"threshold": 15}.';
    }
    return undefined;
  } catch (error) {
    return `Not valid JSON: ${error instanceof Error ? error.message : String(error)}. Example: {"threshold": 15}`;
  }
}

function pausedSessionOn(uri: vscode.Uri): vscode.DebugSession | undefined {
  const session = vscode.debug.activeDebugSession;
  const config = session?.configuration as Partial<StepwiseLaunchArguments> | undefined;
  if (session?.type !== DEBUG_TYPE || config?.noDebug || !config?.pipeline) {
    return undefined;
  }
  return vscode.Uri.file(config.pipeline).fsPath === uri.fsPath ? session : undefined;
}

async function showLastRun(uri: unknown, step: unknown): Promise<void> {
  const target = await resolveStepTarget(uri, step);
  if (!target?.range) {
    return;
  }
  const editor = await vscode.window.showTextDocument(target.uri, { selection: target.range });
  editor.revealRange(target.range);
  await vscode.commands.executeCommand('editor.action.showHover');
}

function requireTrust(): boolean {
  if (vscode.workspace.isTrusted) {
    return true;
  }
  void vscode.window.showErrorMessage(
    'Stepwise runs pipelines only in trusted workspaces. Use "Manage Workspace Trust" to trust this folder.',
  );
  return false;
}

function count(n: number): string {
  return n.toLocaleString('en-US');
}
