// Unit tests for finding step definitions and sql templates in pipeline source text.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import {
  analyzePipelineSource,
  findSqlTemplates,
  findStepDefinitions,
  isPipelineFile,
  mapTextOffset,
  stepAt,
  type Range,
  type StepDefinition,
} from './stepDefinitions.js';
import { positionOf as at, range, rangeOf } from './testPositions.js';

const fixture = (name: string): string =>
  readFileSync(new URL(`../../../test/fixtures/source/${name}`, import.meta.url), 'utf8');

const FLIGHTS = fixture('flights-all-fields.pipeline.ts.txt');

const step = (steps: StepDefinition[], name: string): StepDefinition => {
  const found = steps.find((s) => s.name === name);
  assert.ok(found, `step '${name}' is found`);
  return found;
};

/** A value as plain JSON data, so that absent and undefined fields compare equal. */
const plain = (value: unknown): unknown => JSON.parse(JSON.stringify(value));

/** A step's data with every line moved by `lines` and every document offset by `chars`. */
const shifted = (value: unknown, lines: number, chars: number): unknown =>
  JSON.parse(JSON.stringify(value), (key, v: unknown) => {
    if (typeof v !== 'number') {
      return v;
    }
    if (key === 'line' || key === 'headerLine') {
      return v + lines;
    }
    return key === 'offset' || key === 'end' ? v + chars : v;
  });

const ref = (value: string, r: Range): { value: string; range: Range } => ({ value, range: r });

const refs = (
  list: readonly { value: string; range: Range }[],
): { value: string; range: Range }[] => list.map(({ value, range: r }) => ({ value, range: r }));

void describe('a full pipeline', () => {
  const steps = findStepDefinitions(FLIGHTS, 'flights.pipeline.ts');

  void test('finds every step with its layer, header and range', () => {
    assert.deepEqual(
      steps.map((s) => [s.layer, s.name, s.headerLine, s.range, s.complete]),
      [
        ['bronze', 'flights', 9, range(9, 4, 9, 87), true],
        ['bronze', 'airports', 10, range(10, 4, 10, 78), true],
        ['silver', 'clean_flights', 11, range(11, 4, 24, 6), true],
        ['gold', 'delay_by_origin', 25, range(25, 4, 34, 6), true],
      ],
    );
    const first = steps[0]!;
    assert.equal(FLIGHTS.slice(first.offset, first.end), FLIGHTS.split('\n')[9]!.slice(4, 87));
  });

  void test('reads names, sources, tables and schemas with content ranges', () => {
    const bronze = step(steps, 'flights');
    assert.deepEqual(bronze.nameRange, range(9, 28, 9, 35));
    assert.deepEqual(refs(bronze.schema ? [bronze.schema] : []), [ref('raw', range(9, 47, 9, 50))]);
    assert.equal(bronze.tableName, undefined);
    assert.equal(bronze.sourceBronze, undefined);

    const silver = step(steps, 'clean_flights');
    assert.deepEqual(silver.nameRange, range(12, 13, 12, 26));
    const bronzeAt = FLIGHTS.indexOf("sourceBronze: 'flights'") + "sourceBronze: '".length;
    assert.deepEqual(silver.sourceBronze, {
      value: 'flights',
      range: range(13, 21, 13, 28),
      offset: bronzeAt,
      end: bronzeAt + 'flights'.length,
    });
    assert.deepEqual(refs(silver.sourceSilvers), [ref('airports', range(14, 23, 14, 31))]);
    assert.deepEqual(refs([silver.tableName!]), [ref('clean_flights_v2', range(22, 18, 22, 34))]);
    assert.deepEqual(refs([silver.schema!]), [ref('silver', range(23, 15, 23, 21))]);
    assert.deepEqual(silver.transformRange, range(15, 17, 16, 141));

    const gold = step(steps, 'delay_by_origin');
    assert.deepEqual(refs(gold.sourceSilvers), [ref('clean_flights', range(27, 23, 27, 36))]);
    assert.deepEqual(refs([gold.tableName!]), [ref('delay_by_origin', range(33, 18, 33, 33))]);
    assert.deepEqual(gold.transformRange, range(28, 17, 31, 28));
  });

  void test('reads rule columns and the rule strings that are SQL', () => {
    const silver = step(steps, 'clean_flights');
    assert.deepEqual(refs(silver.ruleColumns), [
      ref('delay', range(18, 8, 18, 13)),
      ref('distance', range(19, 8, 19, 16)),
      ref('origin state', range(20, 9, 20, 21)),
    ]);
    assert.deepEqual(
      silver.ruleStrings.map((r) => [r.column, r.value, r.range]),
      [
        ['delay', 'delay > -120', range(18, 29, 18, 41)],
        ['origin state', 'length("origin state") = 2', range(20, 39, 20, 67)],
      ],
    );
    const escaped = silver.ruleStrings[1]!;
    assert.deepEqual(mapTextOffset(escaped.segments, escaped.value.indexOf('=')).position, {
      line: 20,
      character: 64,
    });
    assert.deepEqual(refs(step(steps, 'airports').ruleColumns), [
      ref('iata', range(10, 48, 10, 52)),
    ]);
    assert.deepEqual(step(steps, 'airports').ruleStrings, []);
  });

  void test('gives each step its sql templates with placeholders for interpolations', () => {
    const silver = step(steps, 'clean_flights');
    assert.equal(silver.sqlTemplates.length, 1);
    const t = silver.sqlTemplates[0]!;
    assert.equal(
      t.text,
      'SELECT f.*, a.state FROM __stepwise_ref_1 f JOIN __stepwise_ref_2 a ON f.origin = a.iata ' +
        'WHERE f.delay < __stepwise_ref_3',
    );
    assert.deepEqual(t.range, range(16, 11, 16, 141));
    assert.deepEqual(
      t.interpolations.map((i) => [i.name, i.expression, i.range]),
      [
        ['__stepwise_ref_1', 'flights', rangeOf(FLIGHTS, '${flights}')],
        ['__stepwise_ref_2', 'silvers.airports', rangeOf(FLIGHTS, '${silvers.airports}')],
        [
          '__stepwise_ref_3',
          'params?.maxDelay ?? 600',
          rangeOf(FLIGHTS, '${params?.maxDelay ?? 600}'),
        ],
      ],
    );

    const gold = step(steps, 'delay_by_origin').sqlTemplates[0]!;
    assert.equal(
      gold.text,
      'SELECT origin, avg(delay) AS avg_delay\n            FROM __stepwise_ref_1\n' +
        '            GROUP BY origin',
    );
    assert.deepEqual(gold.range, range(29, 11, 31, 28));
  });

  void test('finds templates outside steps too, in document order', () => {
    const all = findSqlTemplates(FLIGHTS, 'flights.pipeline.ts');
    assert.deepEqual(
      all.map((t) => t.range.start),
      [
        { line: 3, character: 19 },
        { line: 16, character: 11 },
        { line: 29, character: 11 },
      ],
    );
    assert.match(all[0]!.text, /^SELECT origin FROM flights/);
    assert.equal(analyzePipelineSource(FLIGHTS).steps.length, 4);
  });

  void test('maps a breakpoint line to the step around it', () => {
    assert.equal(stepAt(steps, 9)?.name, 'flights');
    assert.equal(stepAt(steps, 20)?.name, 'clean_flights');
    assert.equal(stepAt(steps, 24)?.name, 'clean_flights');
    assert.equal(stepAt(steps, 25)?.name, 'delay_by_origin');
    assert.equal(stepAt(steps, 8), undefined);
    assert.equal(stepAt(steps, 36), undefined);
  });
});

void describe('how steps are written', () => {
  void test('finds steps assigned to variables before the pipeline lists them', () => {
    const text = `import { definePipeline, BronzeStep, SilverStep } from '@stepwise/engine';
const flights = new BronzeStep({ name: 'flights' });
export const clean = new SilverStep({
  name: 'clean',
  sourceBronze: 'flights',
  transform: (_s, f) => f,
});
export default definePipeline({ schema: 'a', steps: [flights, clean] });
`;
    const steps = findStepDefinitions(text);
    assert.deepEqual(
      steps.map((s) => [s.name, s.headerLine, s.range.start]),
      [
        ['flights', 1, at(text, 'new BronzeStep')],
        ['clean', 2, at(text, 'new SilverStep')],
      ],
    );
    assert.deepEqual(steps[1]!.range.end, { line: 6, character: 2 });
  });

  void test('counts lines as LSP does: CR LF and CR end lines, U+2028 does not', () => {
    const text =
      "import { BronzeStep } from '@stepwise/engine';\r\n" +
      "const note = 'a\u2028b';\r" +
      "new BronzeStep({ name: 'flights', rules: { 'x\u2029y': ['x > 0'] } });\n";
    const [bronze] = findStepDefinitions(text);
    assert.deepEqual(bronze?.range.start, at(text, 'new BronzeStep'));
    assert.deepEqual(bronze?.nameRange, rangeOf(text, 'flights'));
    assert.deepEqual(bronze?.ruleColumns[0]?.range, rangeOf(text, 'x\u2029y'));
    assert.deepEqual(bronze?.ruleStrings[0]?.range, rangeOf(text, 'x > 0'));
  });

  void test('recognises pipeline file names', () => {
    for (const path of [
      'a.pipeline.ts',
      '/w/p/b.pipeline.mts',
      'c.pipeline.js',
      'd.pipeline.mjs',
    ]) {
      assert.equal(isPipelineFile(path), true, path);
    }
    for (const path of [
      'a.ts',
      'pipeline.ts',
      'a.pipeline.tsx',
      'a.pipeline.ts.txt',
      'a.pipelines.ts',
    ]) {
      assert.equal(isPipelineFile(path), false, path);
    }
  });
});

void describe('files being typed', () => {
  const names = (text: string): (string | undefined)[] =>
    findStepDefinitions(text).map((s) => s.name);

  void test('an unterminated string leaves the name undefined and the other steps intact', () => {
    const text = FLIGHTS.replace("name: 'clean_flights',", "name: 'clean_flights,");
    assert.deepEqual(names(text), ['flights', 'airports', undefined, 'delay_by_origin']);
    assert.equal(step(findStepDefinitions(text), 'delay_by_origin').headerLine, 25);
    const open = FLIGHTS.replace("sourceBronze: 'flights',", "sourceBronze: 'fli");
    const silver = step(findStepDefinitions(open), 'clean_flights');
    assert.equal(silver.sourceBronze?.value, 'fli');
    assert.equal(silver.sourceBronze?.unterminated, true);
    assert.deepEqual(silver.sourceBronze?.range, range(13, 21, 13, 24));
  });

  void test('an unclosed comment hides only the steps after it', () => {
    const text = FLIGHTS.replace('    new SilverStep({', '    /* new SilverStep({');
    assert.deepEqual(names(text), ['flights', 'airports']);
    assert.deepEqual(findStepDefinitions(text)[1]!.range, range(10, 4, 10, 78));
  });

  void test('a half-written step at the end of the file is returned as incomplete', () => {
    const text = `import { BronzeStep, SilverStep } from '@stepwise/engine';
new BronzeStep({ name: 'flights' });
new SilverStep({ name: 'x', sourceBronze: `;
    const steps = findStepDefinitions(text);
    assert.deepEqual(
      steps.map((s) => [s.name, s.headerLine, s.complete, s.sourceBronze]),
      [
        ['flights', 1, true, undefined],
        ['x', 2, false, undefined],
      ],
    );
    assert.deepEqual(steps[1]!.range.end, { line: 2, character: 41 });
    for (const cut of ['new SilverStep(', 'new SilverStep({', 'new SilverStep({ name: ']) {
      const half = findStepDefinitions(text.replace(/new SilverStep\(\{ name: 'x'.*$/, cut));
      assert.deepEqual(
        half.map((s) => [s.name, s.layer, s.complete]),
        [
          ['flights', 'bronze', true],
          [undefined, 'silver', false],
        ],
        cut,
      );
    }
  });

  void test('a step whose name is computed has no name but keeps its other fields', () => {
    const text = `const prefix = 'clean';
new SilverStep({ name: \`\${prefix}_flights\`, sourceBronze: 'flights', transform: (_s, f) => f });
new SilverStep({ name: NAMES.clean, sourceBronze: 'flights' });
new SilverStep({ name, sourceBronze: 'flights' });
new SilverStep(options);
new SilverStep({ ['name']: 'literal_key', sourceBronze: 'flights' });
`;
    const steps = findStepDefinitions(text);
    assert.deepEqual(
      steps.map((s) => [s.name, s.nameRange === undefined, s.sourceBronze?.value]),
      [
        [undefined, true, 'flights'],
        [undefined, true, 'flights'],
        [undefined, true, 'flights'],
        [undefined, true, undefined],
        ['literal_key', false, 'flights'],
      ],
    );
  });

  void test('a half-written step between two steps leaves the second one found on its own', () => {
    const text = FLIGHTS.replace(
      '    new GoldStep({',
      "    new SilverStep({ name: 'typing', sourceBronze: \n    new GoldStep({",
    );
    const steps = findStepDefinitions(text);
    assert.deepEqual(
      steps.map((s) => [s.name, s.headerLine, s.complete]),
      [
        ['flights', 9, true],
        ['airports', 10, true],
        ['clean_flights', 11, true],
        ['typing', 25, false],
        ['delay_by_origin', 26, true],
      ],
    );
    assert.equal(step(steps, 'typing').sqlTemplates.length, 0);
    assert.equal(step(steps, 'delay_by_origin').sqlTemplates.length, 1);
    assert.equal(stepAt(steps, 30)?.name, 'delay_by_origin');
  });

  void test('lines inserted above a step move it exactly, with a half-typed step below', () => {
    const before = findStepDefinitions(FLIGHTS);
    const lines = FLIGHTS.split('\n');
    const inserted = ['    // one', '', '    // three'];
    const typing = "    new GoldStep({ name: 'by_carrier', sourceSilvers: ['clean_fl";
    lines.splice(11, 0, ...inserted);
    lines.splice(28, 0, typing);
    const after = findStepDefinitions(lines.join('\n'));
    assert.deepEqual(
      after.map((s) => [s.name, s.headerLine, s.complete]),
      [
        ['flights', 9, true],
        ['airports', 10, true],
        ['clean_flights', 14, true],
        ['by_carrier', 28, false],
        ['delay_by_origin', 29, true],
      ],
    );
    const chars = inserted.join('\n').length + 1;
    assert.deepEqual(plain(after.slice(0, 2)), plain(before.slice(0, 2)));
    assert.deepEqual(plain(after[2]), shifted(before[2], 3, chars));
    assert.deepEqual(plain(after[4]), shifted(before[3], 4, chars + typing.length + 1));
    assert.equal(after[3]!.sourceSilvers[0]?.unterminated, true);
  });

  void test('never throws on any prefix of a pipeline and keeps the steps it has seen', () => {
    const full = findStepDefinitions(FLIGHTS);
    for (let cut = 0; cut <= FLIGHTS.length; cut++) {
      const prefix = FLIGHTS.slice(0, cut);
      const steps = findStepDefinitions(prefix);
      for (const done of full.filter((s) => s.end < cut)) {
        const same = steps.find((s) => s.offset === done.offset);
        assert.deepEqual(same, done, `prefix of ${cut} characters keeps '${done.name}'`);
      }
      assert.ok(steps.length <= full.length + 1);
    }
  });
});

void describe('large files', () => {
  void test('parses a generated 1,000-step pipeline', (t) => {
    const text = generatedPipeline(1000);
    const times: number[] = [];
    let steps: StepDefinition[] = [];
    for (let run = 0; run < 5; run++) {
      const started = performance.now();
      steps = findStepDefinitions(text, 'big.pipeline.ts');
      times.push(performance.now() - started);
    }
    assert.equal(steps.length, 1000);
    assert.equal(steps[999]!.name, 'step_999');
    assert.equal(steps[999]!.sqlTemplates[0]!.interpolations.length, 2);
    const lines = text.split('\n').length;
    t.diagnostic(
      `1,000 steps, ${lines} lines, ${text.length} characters: first parse ` +
        `${times[0]!.toFixed(1)} ms, then ${times
          .slice(1)
          .map((ms) => ms.toFixed(1))
          .join(', ')} ms`,
    );
  });
});

/** A pipeline of one bronze step and `count - 1` silver steps, each reading the previous one. */
function generatedPipeline(count: number): string {
  const steps = ["    new BronzeStep({ name: 'step_0', rules: { id: ['not_null'] } }),"];
  for (let i = 1; i < count; i++) {
    steps.push(`    new SilverStep({
      name: 'step_${i}',
      sourceBronze: 'step_0',
      sourceSilvers: ['step_${i - 1}'],
      transform: (_s, b, prior) =>
        sql\`SELECT b.* FROM \${b} b JOIN \${prior.step_${i - 1}} p USING (id) WHERE b.v > ${i}\`,
      rules: { id: ['not_null', 'id > 0'], v: [['between', 0, ${i}]], 'v text': ['not_empty'] },
      tableName: 'step_${i}',
    }),`);
  }
  return `import { definePipeline, BronzeStep, SilverStep, sql } from '@stepwise/engine';

export default definePipeline({
  schema: 'generated',
  steps: [
${steps.join('\n')}
  ],
});
`;
}
