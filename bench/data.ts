/** Benchmark data: the real 3M-row flights file, and a 30M-row file made by repeating it. */
import { DuckDBInstance } from '@duckdb/node-api';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

// The package exports only its JS entry (build/index.js); its data folder sits beside build/.
const datasets = dirname(dirname(createRequire(import.meta.url).resolve('vega-datasets')));

/** The 3-million-row flights file of the vega-datasets package. */
export const FLIGHTS_3M = join(datasets, 'data', 'flights-3m.parquet');

/** The airports file of the vega-datasets package. */
export const AIRPORTS = join(datasets, 'data', 'airports.csv');

/** Writes the flights `times` times over, each copy shifted by a year, to a parquet file. */
export async function makeRepeatedFlights(target: string, times: number): Promise<void> {
  const instance = await DuckDBInstance.create(':memory:');
  const connection = await instance.connect();
  try {
    await connection.run(
      `COPY (SELECT f.* REPLACE (f.date + to_years(CAST(r.i AS INTEGER)) AS date)
             FROM read_parquet('${FLIGHTS_3M}') f, range(${times}) r(i))
       TO '${target}' (FORMAT parquet)`,
    );
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
}
