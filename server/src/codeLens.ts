/**
 * CodeLens above each named step: run until here, run step, rerun with params, debug until here,
 * and the last run's summary. In an untrusted workspace each step gets one lens that leads to
 * the trust editor instead, since every other lens would run the pipeline's code.
 */
import type { CodeLens, CodeLensParams, Command } from 'vscode-languageserver/node';
import {
  LENS_COMMANDS,
  MANAGE_TRUST_COMMAND,
  type CodeLensSettings,
  type LensCommand,
  type StepCommandArguments,
} from '../../protocol/languageProtocol.js';
import { fileOf, type ServerContext } from './context.js';
import { lastRunTitle } from './runSummary.js';

/** The title of the one lens per step in an untrusted workspace. */
export const UNTRUSTED_LENS_TITLE = 'Stepwise: trust this workspace to run pipelines';

/** The action lenses in display order, each with its setting, title and command. */
const ACTIONS: { setting: keyof CodeLensSettings; title: string; command: LensCommand }[] = [
  { setting: 'runUntil', title: 'Run until here', command: LENS_COMMANDS.runUntil },
  { setting: 'runStep', title: 'Run step', command: LENS_COMMANDS.runStep },
  {
    setting: 'rerunWithParams',
    title: 'Rerun with params…',
    command: LENS_COMMANDS.rerunWithParams,
  },
  { setting: 'debugUntil', title: 'Debug until here', command: LENS_COMMANDS.debugUntil },
];

/** The lenses of one pipeline file. */
export async function codeLenses(
  context: ServerContext,
  params: CodeLensParams,
): Promise<CodeLens[]> {
  const file = fileOf(context, params.textDocument.uri);
  const settings = context.settings.current.codeLens;
  if (!file || !settings.enabled) {
    return [];
  }
  const uri = params.textDocument.uri;
  const lenses: CodeLens[] = [];
  if (!context.trust.trusted) {
    for (const anchor of file.anchors) {
      const at = file.positionAt(anchor.offset);
      const command: Command = { title: UNTRUSTED_LENS_TITLE, command: MANAGE_TRUST_COMMAND };
      lenses.push({ range: { start: at, end: at }, command });
    }
    return lenses;
  }
  if (settings.lastRun) {
    await context.history.ensure([file]);
  }
  // Anchors are read after the wait, so they belong to the text the positions come from.
  for (const anchor of file.anchors) {
    const at = file.positionAt(anchor.offset);
    const range = { start: at, end: at };
    const args: StepCommandArguments = [uri, anchor.name];
    for (const action of ACTIONS) {
      if (settings[action.setting]) {
        lenses.push({
          range,
          command: { title: action.title, command: action.command, arguments: args },
        });
      }
    }
    const run = settings.lastRun ? context.history.lastRun(file, anchor.name) : undefined;
    if (run) {
      const title = lastRunTitle(run);
      lenses.push({
        range,
        command: { title, command: LENS_COMMANDS.showLastRun, arguments: args },
      });
    }
  }
  return lenses;
}
