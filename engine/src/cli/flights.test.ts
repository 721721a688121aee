// The flights example end to end through the built CLI, on the real 3,000,000-row data set: exact
// counts from the JSON report, and a gold step whose row count follows its minFlights param.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { stepResults, type PipelineReport } from '../report.js';
import { makeTempDir, REPO, removeDir, runPipeline } from './cliHarness.js';

const PIPELINE = join(REPO, 'examples', 'flights', 'flights.pipeline.ts');

async function runJson(flags: string, database: string): Promise<PipelineReport> {
  const { code, stdout, stderr } = await runPipeline(PIPELINE, `${flags} --json`, database);
  assert.equal(code, 0, stderr);
  return JSON.parse(stdout) as PipelineReport;
}

void describe('the flights example', () => {
  let dir: string;
  let database: string;

  before(async () => {
    dir = await makeTempDir();
    database = join(dir, 'flights.duckdb');
  });
  after(async () => {
    await removeDir(dir);
  });

  void it('runs end to end with exact counts', async () => {
    const report = await runJson('', database);

    assert.equal(report.status, 'completed');
    assert.deepEqual(report.stepOrder, [
      'flights',
      'airports',
      'clean_flights',
      'delay_by_origin',
      'delay_by_day',
    ]);
    for (const r of stepResults(report)) {
      assert.equal(r.validRows + r.invalidRows, r.outputRows, `valid + invalid rows of ${r.name}`);
    }
    const flights = report.bronzeResults.flights!;
    assert.equal(flights.outputRows, 3_000_000);
    assert.equal(flights.invalidRows, 0);
    assert.equal(report.bronzeResults.airports!.outputRows, 3376);

    // The left join keeps every flight; only implausible delays are rejected, well under 1%.
    const clean = report.silverResults.clean_flights!;
    assert.equal(clean.outputRows, 3_000_000);
    assert.equal(clean.invalidRows, 275);
    assert.equal(clean.ruleFailures['delay:between_-120_600'], 275);
    assert.equal(clean.ruleFailures['origin_state:not_null'], 0);
    assert.equal(clean.rowsWritten, 2_999_725);
    assert.ok(clean.validationRate >= clean.threshold);

    assert.equal(report.goldResults.delay_by_origin!.outputRows, 156);
    assert.equal(report.goldResults.delay_by_day!.outputRows, 182);
  });

  void it('keeps fewer airports in delay_by_origin when minFlights rises', async () => {
    const report = await runJson(
      '--step delay_by_origin --param delay_by_origin.minFlights=5000',
      database,
    );

    assert.deepEqual(report.stepOrder, ['delay_by_origin']);
    const gold = report.goldResults.delay_by_origin!;
    assert.equal(gold.inputRows, 2_999_725);
    assert.equal(gold.outputRows, 84);
    assert.deepEqual(gold.params, { minFlights: 5000, delayCap: 180 });
  });
});
