/**
 * Completion of step names inside `sourceBronze` and `sourceSilvers` strings, and of column names
 * at rule keys: the columns of the step's last run and of its sources' last runs.
 */
import type { CompletionItem, CompletionParams } from 'vscode-languageserver/node';
import { CompletionItemKind } from 'vscode-languageserver/node';
import type { Layer } from '../../engine/src/steps.js';
import { completionSite, type CompletionSite } from './completionSite.js';
import { fileOf, type ServerContext } from './context.js';
import type { PipelineFile } from './pipelineFile.js';
import { resolveName, sourcesOf, visibleSteps } from './stepNames.js';

/** Characters after which the client should ask for completions. */
export const COMPLETION_TRIGGERS = ["'", '"', '`'];

/** Which layers a field usually names first. */
const LAYER_ORDER: Record<'sourceBronze' | 'sourceSilvers', Layer[]> = {
  sourceBronze: ['bronze', 'silver', 'gold'],
  sourceSilvers: ['silver', 'bronze', 'gold'],
};

/** The completions at the position. */
export async function completion(
  context: ServerContext,
  params: CompletionParams,
): Promise<CompletionItem[]> {
  const file = fileOf(context, params.textDocument.uri);
  const site = file && completionSite(file, params.position);
  if (!file || !site) {
    return [];
  }
  return site.kind === 'stepName'
    ? stepNames(context, file, site)
    : ruleColumns(context, file, site);
}

function stepNames(
  context: ServerContext,
  file: PipelineFile,
  site: CompletionSite,
): CompletionItem[] {
  const order = LAYER_ORDER[site.field ?? 'sourceSilvers'];
  return visibleSteps(context.index, file)
    .filter((t) => t.step.name !== site.step.name)
    .map((t, i) => ({
      label: t.step.name,
      kind: CompletionItemKind.Reference,
      detail: `${t.step.layer} step${t.file === file ? '' : ` from ${t.file.path}`}`,
      sortText: `${order.indexOf(t.step.layer)}${String(i).padStart(5, '0')}`,
      textEdit: { range: site.replace, newText: t.step.name },
    }));
}

async function ruleColumns(
  context: ServerContext,
  file: PipelineFile,
  site: CompletionSite,
): Promise<CompletionItem[]> {
  const name = site.step.name;
  if (name === undefined) {
    return [];
  }
  await context.history.ensure([file]);
  const items = new Map<string, CompletionItem>();
  const add = (step: string, from: string): void => {
    const run = context.history.lastRun(file, step);
    for (const column of run?.outputSchema ?? []) {
      if (items.has(column.name)) {
        continue;
      }
      const bareOk = /^[A-Za-z_$][\w$]*$/.test(column.name);
      items.set(column.name, {
        label: column.name,
        kind: CompletionItemKind.Field,
        detail: `${column.type} · ${from}`,
        sortText: `${items.size}`.padStart(5, '0'),
        textEdit: {
          range: site.replace,
          newText: site.bare && !bareOk ? `'${column.name}'` : column.name,
        },
      });
    }
  };
  add(name, `last run of ${name}`);
  for (const source of sourcesOf(site.step)) {
    if (resolveName(context.index, file, source).length > 0) {
      add(source, `from ${source}`);
    }
  }
  return [...items.values()];
}
