/**
 * `npm run bench`: runs the flights pipeline through the engine and the same work as hand-written
 * SQL on DuckDB, each in a fresh process, at 3 and 30 million rows, and prints time ratios and
 * peak memory. Both sides are measured in the same run, alternating, so machine load hits both.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { makeRepeatedFlights, FLIGHTS_3M } from './data.js';
import { debugAdapterLatencies } from './debugAdapterBench.js';
import { languageServerLatencies } from './serverBench.js';
import { runWorker, type WorkerKind, type WorkerResult } from './worker.js';
import { median } from './stats.js';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const REPEATS = Number(process.env.STEPWISE_BENCH_REPEATS ?? 3);

async function main(): Promise<void> {
  const worker = process.argv.indexOf('--worker');
  if (worker >= 0) {
    const result = await runWorker(
      process.argv[worker + 1] as WorkerKind,
      process.argv[worker + 2]!,
    );
    process.stdout.write(`${JSON.stringify(result)}\n`);
    return;
  }
  const dataDir = join(ROOT, 'bench-data');
  mkdirSync(dataDir, { recursive: true });
  const sizes: [string, string][] = [['3M', FLIGHTS_3M]];
  if (!process.env.STEPWISE_BENCH_SMALL) {
    const big = join(dataDir, 'flights-30m.parquet');
    if (!existsSync(big)) {
      console.log('Making 30M-row flights data (once) ...');
      await makeRepeatedFlights(big, 10);
    }
    sizes.push(['30M', big]);
  }
  const rows: string[][] = [];
  for (const [label, file] of sizes) {
    const engine: WorkerResult[] = [];
    const raw: WorkerResult[] = [];
    for (let i = 0; i < REPEATS; i++) {
      raw.push(await spawnWorker('raw', file));
      engine.push(await spawnWorker('engine', file));
      console.log(
        `${label} run ${i + 1}/${REPEATS}: engine ${engine[i]!.ms.toFixed(0)} ms, raw ${raw[i]!.ms.toFixed(0)} ms`,
      );
    }
    const e = median(engine.map((r) => r.ms));
    const r = median(raw.map((x) => x.ms));
    rows.push([
      label,
      `${e.toFixed(0)} ms`,
      `${r.toFixed(0)} ms`,
      (e / r).toFixed(3),
      `${Math.max(...engine.map((x) => x.peakRssMb)).toFixed(0)} MB`,
      `${Math.max(...raw.map((x) => x.peakRssMb)).toFixed(0)} MB`,
    ]);
  }
  const header = ['rows', 'engine', 'raw DuckDB', 'ratio', 'engine peak RSS', 'raw peak RSS'];
  console.log(`\nflights pipeline, median of ${REPEATS} (goal: ratio <= 1.15)`);
  console.log(table(header, rows));

  const latencies = await debugAdapterLatencies();
  console.log('\ndebugger on the flights example (ms)');
  console.log(
    table(
      ['measure', 'ms', 'goal', 'baseline', 'baseline ms', 'ratio'],
      latencies.map((l) => [
        l.what,
        l.ms.toFixed(1),
        l.goal,
        l.baseline,
        l.baselineMs.toFixed(1),
        (l.ms / l.baselineMs).toFixed(2),
      ]),
    ),
  );

  const server = await languageServerLatencies();
  console.log(
    `\nlanguage server on a ${server.steps}-step pipeline file, median of ${server.edits} edits`,
  );
  console.log(
    table(
      ['measure', 'ms', 'goal', 'baseline', 'baseline ms', 'ratio'],
      [
        [
          'edit → lenses',
          server.lensMs.toFixed(1),
          '< 100 ms',
          'parse in-process',
          server.parseMs.toFixed(1),
          (server.lensMs / server.parseMs).toFixed(2),
        ],
        [
          'edit → diagnostics (150 ms typing pause included)',
          server.diagnosticsMs.toFixed(1),
          '< 100 ms after the pause',
          'parse in-process',
          server.parseMs.toFixed(1),
          ((server.diagnosticsMs - 150) / server.parseMs).toFixed(2),
        ],
      ],
    ),
  );
  console.log(
    `server memory: ${server.rssMb.toFixed(0)} MB now, ${server.peakRssMb.toFixed(0)} MB peak`,
  );
}

function spawnWorker(kind: WorkerKind, file: string): Promise<WorkerResult> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(
      process.execPath,
      [fileURLToPath(import.meta.url), '--worker', kind, file],
      {
        stdio: ['ignore', 'pipe', 'inherit'],
      },
    );
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => {
      if (code !== 0) {
        reject(new Error(`${kind} worker exited with ${code}`));
        return;
      }
      resolvePromise(JSON.parse(out.trim().split('\n').pop()!) as WorkerResult);
    });
  });
}

function table(header: string[], rows: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]): string => cells.map((c, i) => c.padEnd(widths[i]!)).join('  ');
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n');
}

await main();
