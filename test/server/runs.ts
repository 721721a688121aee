/**
 * Run history for server tests: a real run of a fixture pipeline with the engine, and history rows
 * written with the engine's warehouse, both into a warehouse file of the test's own.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  createSession,
  SimplePipelineRunner,
  type PipelineReport,
  type RunHistoryRow,
} from '../../engine/src/index.js';
import { loadPipeline } from '../../engine/src/loader.js';

/** A fresh folder with a warehouse path in it (the file itself is not created). */
export function tempWarehouse(): { folder: string; warehouse: string } {
  const folder = mkdtempSync(join(tmpdir(), 'stepwise-server-'));
  return { folder, warehouse: join(folder, '.stepwise', 'warehouse.duckdb') };
}

/** Runs a whole pipeline file with the engine, recording history in `warehouse`. */
export async function runPipeline(pipeline: string, warehouse: string): Promise<PipelineReport> {
  const { file, definition } = await loadPipeline(pipeline);
  const session = await createSession({ database: warehouse });
  try {
    const runner = new SimplePipelineRunner(session, definition.config);
    return await runner.runPipeline(definition.steps, {
      bronzeSources: definition.sources,
      pipelineName: file,
    });
  } finally {
    session.close();
  }
}

/** Appends history rows for steps of a pipeline; unspecified fields get plain values. */
export async function appendRuns(
  warehouse: string,
  pipeline: string,
  rows: (Partial<RunHistoryRow> & { step: string; status: string })[],
): Promise<void> {
  const session = await createSession({ database: warehouse });
  try {
    await session.warehouse.appendHistory(
      rows.map((row) => ({
        runId: 'test-run',
        pipeline,
        mode: 'initial',
        layer: 'silver',
        startedAt: new Date().toISOString(),
        durationMs: 0,
        inputRows: 0,
        outputRows: 0,
        validRows: 0,
        invalidRows: 0,
        validationRate: 100,
        rowsWritten: 0,
        outputTable: null,
        error: null,
        params: null,
        outputSchema: null,
        ...row,
      })),
    );
  } finally {
    session.close();
  }
}
