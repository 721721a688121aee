/**
 * Starts code-server with the packaged extension on a copy of the flights example (with the
 * fixtures and a launch configuration) and prints the URL to open, until Ctrl-C. The port is
 * STEPWISE_PORT, or 8080; another free port when that one is taken.
 */
import { rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { CodeServer } from './harness/codeServer.js';
import { requireTools, vsixPath } from './harness/paths.js';
import { stopSignal } from './harness/processGroup.js';
import { createWorkspace, FLIGHTS } from './harness/workspace.js';

const wanted = Number(process.env.STEPWISE_PORT ?? 8080);

requireTools();
const port = (await portIsFree(wanted)) ? wanted : undefined;
if (port === undefined) {
  console.log(`try:browser: port ${wanted} is taken; using a free one instead.`);
}
const server = await CodeServer.create(port === undefined ? {} : { port });
const stopped = stopSignal();
let workspace: string | undefined;
try {
  await server.installExtension(vsixPath());
  await server.start();
  workspace = await createWorkspace();
  console.log(`\nStepwise in code-server, listening on ${server.url} (this machine only).`);
  console.log(`Open:  ${server.folderUrl(workspace)}`);
  console.log(`Then open ${FLIGHTS} from the Explorer.`);
  console.log(`Workspace: ${workspace}\nServer log: ${server.logFile}\nPress Ctrl-C to stop.`);
  await stopped;
} finally {
  await server.stop({ removeFiles: true });
  if (workspace) {
    await rm(workspace, { recursive: true, force: true });
  }
  console.log('try:browser: stopped.');
}

async function portIsFree(candidate: number): Promise<boolean> {
  const probe = createServer();
  try {
    await new Promise<void>((resolve, reject) => {
      probe.once('error', reject);
      probe.listen(candidate, '127.0.0.1', resolve);
    });
    return true;
  } catch {
    return false;
  } finally {
    probe.close();
  }
}
