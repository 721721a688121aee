/**
 * The workspace around the features: pipeline files that appear on disk, the `pipelineFiles`
 * glob, and the default warehouse in the project's `.stepwise` folder, which does not exist until
 * the first run creates it.
 */
import assert from 'node:assert/strict';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { DidChangeWatchedFilesNotification, FileChangeType } from 'vscode-languageserver-protocol';
import { LspClient, positionOf, uriOf } from './lspClient.js';
import { appendRuns, tempWarehouse } from './runs.js';

const BRONZE = [
  "import { BronzeStep } from '@stepwise/engine';",
  '',
  "export const bronze = [new BronzeStep({ name: 'events' })];",
  '',
].join('\n');

const SILVER = [
  "import { definePipeline, SilverStep } from '@stepwise/engine';",
  "import { bronze } from './bronze.pipeline.js';",
  '',
  'export default definePipeline({',
  "  schema: 'w',",
  '  steps: [',
  '    ...bronze,',
  "    new SilverStep({ name: 'sessions', sourceBronze: 'events', transform: (_s, e) => e }),",
  '  ],',
  '});',
  '',
].join('\n');

void describe('workspace', () => {
  let client: LspClient;
  const { folder } = tempWarehouse();
  const src = join(folder, 'src');

  before(async () => {
    writeFileSync(join(folder, 'package.json'), '{ "name": "workspace-test" }\n');
    mkdirSync(src, { recursive: true });
    writeFileSync(join(src, 'bronze.pipeline.ts'), BRONZE);
    client = await LspClient.start({ folders: [folder] });
  });
  after(async () => {
    await client.stop();
    rmSync(folder, { recursive: true, force: true });
  });

  void test('a pipeline file created on disk is found through the file watcher', async () => {
    const bronze = await client.open(join(src, 'bronze.pipeline.ts'), BRONZE);
    const name = positionOf(BRONZE, "'events'", 0, 1);
    assert.deepEqual(await client.references(bronze, name, false), []);
    assert.ok(client.registeredMethods.includes(DidChangeWatchedFilesNotification.method));

    const silver = join(src, 'silver.pipeline.ts');
    writeFileSync(silver, SILVER);
    await client.connection.sendNotification(DidChangeWatchedFilesNotification.type, {
      changes: [{ uri: uriOf(silver), type: FileChangeType.Created }],
    });
    const references = await client.references(bronze, name, false);
    assert.deepEqual(
      references.map((r) => [r.uri, r.range.start]),
      [[uriOf(silver), positionOf(SILVER, "sourceBronze: 'events'", 0, 15)]],
    );
  });

  void test('the default warehouse is read once a run creates it', async () => {
    const silverPath = join(src, 'silver.pipeline.ts');
    const silver = await client.open(silverPath, SILVER);
    const seen = client.lensRefreshCount;
    assert.equal((await client.codeLens(silver)).length, 4);

    // The project's `.stepwise` folder does not exist yet; the server must notice it appear.
    const warehouse = join(folder, '.stepwise', 'warehouse.duckdb');
    await appendRuns(warehouse, silverPath, [
      { step: 'sessions', status: 'completed', outputRows: 12, validRows: 12, durationMs: 2500 },
    ]);
    await client.lensRefreshAfter(seen);
    const titles = (await client.codeLens(silver)).map((l) => l.command?.title);
    assert.equal(titles.at(-1), '✓ 12 rows · 100% valid · 2.5 s');
  });

  void test('the pipelineFiles setting decides which files are pipelines', async () => {
    const flow = join(src, 'orders.flow.ts');
    writeFileSync(flow, BRONZE);
    const seen = client.lensRefreshCount;
    await client.changeSettings({ pipelineFiles: '**/*.flow.ts' });
    await client.lensRefreshAfter(seen);
    const flowUri = await client.open(flow, BRONZE);
    assert.equal((await client.codeLens(flowUri)).length, 4);
    assert.deepEqual(await client.codeLens(uriOf(join(src, 'bronze.pipeline.ts'))), []);
  });
});
