/**
 * The data viewer (a grid over a context DataFrame, paged as Arrow IPC from the debug session)
 * and the lineage view (the step graph with each step's status, rows and rate).
 */
import * as vscode from 'vscode';
import {
  PREVIEW_PAGE_REQUEST,
  STEP_GRAPH_REQUEST,
  type PreviewPageArguments,
  type PreviewPageResult,
  type StepGraphResult,
} from '../../protocol/debugProtocol.js';
import { DEBUG_TYPE } from './debugSetup.js';
import { lineageHtml } from './lineageHtml.js';
import type { Log } from './log.js';

/** Registers the commands that open the webviews. */
export function registerViews(context: vscode.ExtensionContext, log: Log): void {
  context.subscriptions.push(
    vscode.commands.registerCommand('stepwise.openDataViewer', (frame?: unknown) =>
      openDataViewer(context, log, typeof frame === 'string' ? frame : undefined),
    ),
    vscode.commands.registerCommand('stepwise.showLineage', () => showLineage(log)),
  );
}

function stepwiseSession(): vscode.DebugSession | undefined {
  const session = vscode.debug.activeDebugSession;
  if (session?.type === DEBUG_TYPE) {
    return session;
  }
  void vscode.window.showErrorMessage(
    'Stepwise: start debugging a pipeline first (Debug until here); the data viewer and lineage show its steps.',
  );
  return undefined;
}

async function openDataViewer(
  context: vscode.ExtensionContext,
  log: Log,
  frame?: string,
): Promise<void> {
  const session = stepwiseSession();
  if (!session) {
    return;
  }
  let name = frame;
  if (!name) {
    const graph = (await session.customRequest(STEP_GRAPH_REQUEST)) as StepGraphResult;
    const done = graph.steps.filter((s) => s.status === 'completed');
    const picked = await vscode.window.showQuickPick(
      done.flatMap((s) => [
        {
          label: s.name,
          description: `${s.layer} · ${s.outputRows?.toLocaleString('en-US') ?? '?'} rows`,
        },
        { label: `${s.name}__invalid`, description: 'invalid rows' },
      ]),
      { placeHolder: done.length > 0 ? 'Which step output?' : 'No step has run yet' },
    );
    name = picked?.label;
  }
  if (!name) {
    return;
  }
  const panel = vscode.window.createWebviewPanel(
    'stepwise.dataViewer',
    `Data: ${name}`,
    vscode.ViewColumn.Active,
    {
      enableScripts: true,
      localResourceRoots: [vscode.Uri.joinPath(context.extensionUri, 'dist')],
    },
  );
  const script = panel.webview.asWebviewUri(
    vscode.Uri.joinPath(context.extensionUri, 'dist', 'dataViewer.js'),
  );
  panel.webview.html = dataViewerHtml(panel.webview.cspSource, script.toString(), name);
  const pageSize = vscode.workspace.getConfiguration('stepwise').get<number>('previewRows', 100);
  panel.webview.onDidReceiveMessage(
    async (message: Omit<PreviewPageArguments, 'frame'> & { type: string }) => {
      if (message.type !== 'load') {
        return;
      }
      try {
        const args: PreviewPageArguments = {
          frame: name,
          offset: message.offset,
          limit: pageSize,
          ...(message.orderBy ? { orderBy: message.orderBy } : {}),
          ...(message.filter ? { filter: message.filter } : {}),
        };
        const page = (await session.customRequest(PREVIEW_PAGE_REQUEST, args)) as PreviewPageResult;
        const offset = Math.min(message.offset, Math.max(0, page.totalRows - 1));
        await panel.webview.postMessage({ type: 'page', ...page, offset });
      } catch (error) {
        log.warn(`Data viewer: ${String(error)}`);
        await panel.webview.postMessage({ type: 'error', message: String(error) });
      }
    },
  );
}

async function showLineage(log: Log): Promise<void> {
  const session = stepwiseSession();
  if (!session) {
    return;
  }
  const panel = vscode.window.createWebviewPanel(
    'stepwise.lineage',
    'Stepwise Lineage',
    vscode.ViewColumn.Beside,
    {},
  );
  const refresh = async (): Promise<void> => {
    try {
      const graph = (await session.customRequest(STEP_GRAPH_REQUEST)) as StepGraphResult;
      panel.webview.html = lineageHtml(graph, panel.webview.cspSource);
    } catch (error) {
      log.warn(`Lineage: ${String(error)}`);
    }
  };
  await refresh();
  const subscription = vscode.debug.onDidReceiveDebugSessionCustomEvent((e) => {
    if (e.session.id === session.id) {
      void refresh();
    }
  });
  const stopped = vscode.debug.onDidChangeActiveStackItem(() => void refresh());
  panel.onDidDispose(() => {
    subscription.dispose();
    stopped.dispose();
  });
}

function dataViewerHtml(cspSource: string, script: string, name: string): string {
  return `<!DOCTYPE html>
<html><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src ${cspSource} 'unsafe-inline'; script-src ${cspSource};">
<style>
 body { font-family: var(--vscode-font-family); color: var(--vscode-foreground); }
 table { border-collapse: collapse; font-family: var(--vscode-editor-font-family); font-size: 12px; }
 th, td { border: 1px solid var(--vscode-panel-border); padding: 2px 6px; white-space: nowrap; }
 th { cursor: pointer; background: var(--vscode-editorWidget-background); position: sticky; top: 0; }
 td { text-align: right; } #bar { display: flex; gap: 8px; margin-bottom: 6px; align-items: center; }
 #filter { flex: 1; }
</style></head>
<body><div id="bar"><strong>${escapeHtml(name)}</strong>
<input id="filter" placeholder="SQL filter, e.g. delay > 60 (Enter)">
<button id="prev">◀</button><button id="next">▶</button><span id="status"></span></div>
<table id="grid"></table><script src="${script}"></script></body></html>`;
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
