/**
 * One benchmark measurement in a fresh process: the flights pipeline through the engine, or the
 * same work written by hand as SQL on DuckDB. Both read the same files and write the same tables
 * (valid and invalid rows of silver, both gold tables) into a fresh warehouse file.
 */
import { DuckDBInstance } from '@duckdb/node-api';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createSession, read, SimplePipelineRunner } from '../engine/src/index.js';
import { loadPipeline } from '../engine/src/loader.js';
import { AIRPORTS } from './data.js';

/** Which side of the comparison a worker measures. */
export type WorkerKind = 'engine' | 'raw';

/** What a worker reports. */
export interface WorkerResult {
  ms: number;
  peakRssMb: number;
  rows: number;
}

const PIPELINE = resolve(
  dirname(fileURLToPath(import.meta.url)),
  '..',
  'examples',
  'flights',
  'flights.pipeline.ts',
);

/** Runs one measurement on the flights file `flights`. */
export async function runWorker(kind: WorkerKind, flights: string): Promise<WorkerResult> {
  const dir = mkdtempSync(join(tmpdir(), 'stepwise-bench-'));
  try {
    const database = join(dir, 'warehouse.duckdb');
    const started = performance.now();
    const rows = kind === 'engine' ? await engine(flights, database) : await raw(flights, database);
    return { ms: performance.now() - started, peakRssMb: peakRssMb(), rows };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function engine(flights: string, database: string): Promise<number> {
  const { definition } = await loadPipeline(PIPELINE);
  const session = await createSession({ database });
  try {
    const runner = new SimplePipelineRunner(session, definition.config);
    const report = await runner.runPipeline(definition.steps, {
      bronzeSources: { ...definition.sources, flights: read.parquet(flights) },
      stepParams: definition.params,
    });
    if (report.status !== 'completed') {
      throw new Error(`The engine run failed: ${report.errors.join('; ')}`);
    }
    return report.silverResults.clean_flights!.validRows;
  } finally {
    session.close();
  }
}

/** The same work as the example pipeline, written directly in SQL. */
async function raw(flights: string, database: string): Promise<number> {
  const instance = await DuckDBInstance.create(':memory:');
  const c = await instance.connect();
  try {
    await c.run(`ATTACH '${database}' AS wh`);
    await c.run(`
      CREATE TABLE bronze_flights AS SELECT * FROM read_parquet('${flights}')
        WHERE date IS NOT NULL AND origin IS NOT NULL AND destination IS NOT NULL;
      CREATE TABLE bronze_airports AS SELECT * FROM read_csv('${AIRPORTS}') WHERE iata IS NOT NULL;
      CREATE TABLE silver_checked AS SELECT *,
        coalesce(date IS NOT NULL AND delay IS NOT NULL AND delay BETWEEN -120 AND 600
          AND distance > 0 AND origin IS NOT NULL AND regexp_matches(origin, '^[A-Z]{3}$')
          AND destination IS NOT NULL AND regexp_matches(destination, '^[A-Z]{3}$')
          AND origin_state IS NOT NULL, false) AS ok
        FROM (
          SELECT f.* REPLACE (upper(trim(f.origin)) AS origin, upper(trim(f.destination)) AS destination),
                 CAST(f.date AS DATE) AS flight_date,
                 a.name AS origin_name, a.city AS origin_city, a.state AS origin_state
          FROM bronze_flights f LEFT JOIN bronze_airports a ON upper(trim(f.origin)) = a.iata
        );`);
    await c.run(`BEGIN;
      CREATE SCHEMA IF NOT EXISTS wh.flights;
      CREATE OR REPLACE TABLE wh.flights.clean_flights AS SELECT * EXCLUDE (ok) FROM silver_checked WHERE ok;
      CREATE OR REPLACE TABLE wh.flights.clean_flights__invalid AS SELECT * EXCLUDE (ok) FROM silver_checked WHERE NOT ok;
      COMMIT;`);
    await c.run(`BEGIN;
      CREATE OR REPLACE TABLE wh.flights.delay_by_origin AS
        SELECT origin, any_value(origin_name) AS origin_name, any_value(origin_city) AS origin_city,
          count(*) AS flights, round(avg(least(delay, CAST(180 AS BIGINT))), 2) AS avg_delay,
          quantile_cont(delay, 0.9) AS p90_delay,
          round(avg(CASE WHEN delay > 15 THEN 1 ELSE 0 END), 4) AS share_delayed
        FROM silver_checked WHERE ok GROUP BY origin HAVING count(*) >= 1000 ORDER BY flights DESC;
      COMMIT;`);
    await c.run(`BEGIN;
      CREATE OR REPLACE TABLE wh.flights.delay_by_day AS
        SELECT flight_date, count(*) AS flights, round(avg(delay), 2) AS avg_delay,
          round(avg(CASE WHEN delay > 15 THEN 1 ELSE 0 END), 4) AS share_delayed
        FROM silver_checked WHERE ok GROUP BY flight_date ORDER BY flight_date;
      COMMIT;`);
    const reader = await c.runAndReadAll('SELECT count(*) FROM wh.flights.clean_flights');
    const rows = Number(reader.getRows()[0]![0]);
    await c.run('DETACH wh');
    return rows;
  } finally {
    c.closeSync();
    instance.closeSync();
  }
}

/** Peak resident memory of this process, from the kernel's high-water mark. */
function peakRssMb(): number {
  const status = readFileSync('/proc/self/status', 'utf8');
  const kb = Number(/VmHWM:\s+(\d+)/.exec(status)?.[1] ?? 0);
  return kb / 1024;
}
