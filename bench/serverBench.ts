/**
 * Language server latency on a generated 1,000-step pipeline file, through the protocol: after an
 * edit, the time until the code lenses come back and until diagnostics are published, and the
 * server's memory. The engine's parse of the same text, in this process, is the baseline.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import {
  CodeLensRequest,
  ConfigurationRequest,
  DidChangeTextDocumentNotification,
  DidOpenTextDocumentNotification,
  ExitNotification,
  InitializedNotification,
  InitializeRequest,
  PublishDiagnosticsNotification,
  ShutdownRequest,
  type PublishDiagnosticsParams,
} from 'vscode-languageserver-protocol';
import {
  createProtocolConnection,
  StreamMessageReader,
  StreamMessageWriter,
} from 'vscode-languageserver-protocol/node';
import { analyzePipelineSource } from '../engine/src/source/stepDefinitions.js';
import { median } from './stats.js';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const SERVER = join(ROOT, 'dist', 'server.js');

/** What one measurement of the language server found. */
export interface ServerLatencies {
  steps: number;
  edits: number;
  /** Median time from `didChange` to the `textDocument/codeLens` response. */
  lensMs: number;
  /**
   * Median time from `didChange` to `publishDiagnostics` for the new version. It includes the
   * quiet time the server waits for typing to pause (`DIAGNOSTICS_DELAY_MS`, 150 ms).
   */
  diagnosticsMs: number;
  /** Median time to parse the same text with the engine in this process: the baseline. */
  parseMs: number;
  /** The server's resident memory after the edits (VmRSS) and at its peak (VmHWM). */
  rssMb: number;
  peakRssMb: number;
}

/** A pipeline file of `count` steps: one bronze, then silver steps each with SQL and rules. */
export function generatedPipeline(count: number): string {
  const steps = ["    new BronzeStep({ name: 'raw', rules: { id: ['not_null'] } }),"];
  for (let i = 1; i < count; i++) {
    const previous = i === 1 ? 'raw' : `step_${i - 1}`;
    steps.push(
      [
        '    new SilverStep({',
        `      name: 'step_${i}',`,
        "      sourceBronze: 'raw',",
        `      sourceSilvers: ['${previous}'],`,
        '      transform: (_session, _raw, silvers) =>',
        `        sql\`SELECT id, amount + ${i} AS amount FROM \${silvers.${previous}} WHERE amount > ${i}\`,`,
        `      rules: { id: ['not_null'], amount: ['amount >= ${i}', ['gt', -1]] },`,
        '    }),',
      ].join('\n'),
    );
  }
  return [
    "import { BronzeStep, definePipeline, SilverStep, sql } from '@stepwise/engine';",
    '',
    'export default definePipeline({',
    "  schema: 'generated',",
    '  sources: { raw: sql`SELECT 1 AS id, 2 AS amount` },',
    '  steps: [',
    ...steps,
    '  ],',
    '});',
    '',
  ].join('\n');
}

/** Measures lens and diagnostics latency after `edits` edits of a `steps`-step file. */
export async function languageServerLatencies(steps = 1000, edits = 7): Promise<ServerLatencies> {
  const folder = mkdtempSync(join(tmpdir(), 'stepwise-server-bench-'));
  const file = join(folder, 'generated.pipeline.ts');
  const text = generatedPipeline(steps);
  writeFileSync(file, text);
  const uri = pathToFileURL(file).href;

  const child = spawn(process.execPath, [SERVER, '--stdio'], { stdio: 'pipe' });
  const connection = createProtocolConnection(
    new StreamMessageReader(child.stdout),
    new StreamMessageWriter(child.stdin),
  );
  const waiting = new Map<number, (params: PublishDiagnosticsParams) => void>();
  connection.onRequest(ConfigurationRequest.type, () => [
    { warehouse: join(folder, 'warehouse.duckdb') },
  ]);
  connection.onNotification(PublishDiagnosticsNotification.type, (params) => {
    if (params.uri === uri && params.version !== undefined) {
      waiting.get(params.version)?.(params);
    }
  });
  connection.listen();
  const published = (version: number): Promise<PublishDiagnosticsParams> =>
    new Promise((resolve) => waiting.set(version, resolve));

  try {
    await connection.sendRequest(InitializeRequest.type, {
      processId: process.pid,
      rootUri: pathToFileURL(folder).href,
      workspaceFolders: [{ uri: pathToFileURL(folder).href, name: 'bench' }],
      capabilities: { workspace: { configuration: true } },
    });
    await connection.sendNotification(InitializedNotification.type, {});
    const first = published(1);
    await connection.sendNotification(DidOpenTextDocumentNotification.type, {
      textDocument: { uri, languageId: 'typescript', version: 1, text },
    });
    await connection.sendRequest(CodeLensRequest.type, { textDocument: { uri } });
    await first;

    const lens: number[] = [];
    const diagnostics: number[] = [];
    for (let version = 2; version < edits + 2; version++) {
      const done = published(version);
      const started = performance.now();
      // A comment line above every step: all lenses move and every step is re-read.
      await connection.sendNotification(DidChangeTextDocumentNotification.type, {
        textDocument: { uri, version },
        contentChanges: [
          {
            range: { start: { line: 5, character: 0 }, end: { line: 5, character: 0 } },
            text: `  // edit ${version}\n`,
          },
        ],
      });
      await connection.sendRequest(CodeLensRequest.type, { textDocument: { uri } });
      lens.push(performance.now() - started);
      await done;
      diagnostics.push(performance.now() - started);
    }
    const memory = readFileSync(`/proc/${child.pid}/status`, 'utf8');

    const parses: number[] = [];
    for (let i = 0; i < edits; i++) {
      const started = performance.now();
      analyzePipelineSource(text, file);
      parses.push(performance.now() - started);
    }
    return {
      steps,
      edits,
      lensMs: median(lens),
      diagnosticsMs: median(diagnostics),
      parseMs: median(parses),
      rssMb: kilobytes(memory, 'VmRSS') / 1024,
      peakRssMb: kilobytes(memory, 'VmHWM') / 1024,
    };
  } finally {
    const exited = new Promise((resolve) => child.once('exit', resolve));
    await connection.sendRequest(ShutdownRequest.type).catch(() => undefined);
    await connection.sendNotification(ExitNotification.type).catch(() => undefined);
    await exited;
    connection.dispose();
    rmSync(folder, { recursive: true, force: true });
  }
}

function kilobytes(status: string, field: string): number {
  return Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN);
}
