// Unit tests for reading `sql` templates as parseable SQL and mapping SQL offsets to the document.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { DuckDBInstance } from '@duckdb/node-api';
import {
  findSqlTemplates,
  findStepDefinitions,
  mapTextOffset,
  mapTextRange,
  type SqlTemplateRef,
} from './stepDefinitions.js';
import { positionOf as startOf, range, rangeOf } from './testPositions.js';

/** The one template of a file. */
function only(text: string, fileName?: string): SqlTemplateRef {
  const templates = findSqlTemplates(text, fileName);
  assert.equal(templates.length, 1);
  return templates[0]!;
}

/** DuckDB's parser verdict on a text: undefined when it parses, else the error's offset. */
async function parseError(sql: string): Promise<number | undefined> {
  const instance = await DuckDBInstance.create(':memory:');
  try {
    const connection = await instance.connect();
    try {
      const reader = await connection.runAndReadAll('SELECT json_serialize_sql($1::VARCHAR)', [
        sql,
      ]);
      const json = reader.getRowsJS()[0]?.[0];
      assert.equal(typeof json, 'string');
      const result = JSON.parse(json as string) as { error: boolean; position?: string };
      return result.error ? Number(result.position ?? 0) : undefined;
    } finally {
      connection.closeSync();
    }
  } finally {
    instance.closeSync();
  }
}

const GOLD = `import { GoldStep, sql } from '@stepwise/engine';
new GoldStep({
  name: 'delay_by_origin',
  sourceSilvers: ['clean_flights', 'airports'],
  transform: (_s, silvers, params) => sql\`
    SELECT f.origin, a.state, avg(f.delay) AS avg_delay
    FROM \${silvers.clean_flights} AS f
    JOIN \${ silvers['airports'] } AS a ON a.iata = f.origin
    WHERE f.delay > \${params?.minDelay ?? 0}
    GROUP BY ALL\`,
});
`;

void describe('sql templates', () => {
  void test('replace each interpolation by a placeholder name and keep the rest', () => {
    const t = only(GOLD);
    assert.equal(
      t.text,
      '\n    SELECT f.origin, a.state, avg(f.delay) AS avg_delay\n' +
        '    FROM __stepwise_ref_1 AS f\n' +
        '    JOIN __stepwise_ref_2 AS a ON a.iata = f.origin\n' +
        '    WHERE f.delay > __stepwise_ref_3\n' +
        '    GROUP BY ALL',
    );
    assert.deepEqual(
      t.interpolations.map((i) => [i.name, i.expression, i.range]),
      [
        ['__stepwise_ref_1', 'silvers.clean_flights', rangeOf(GOLD, '${silvers.clean_flights}')],
        ['__stepwise_ref_2', "silvers['airports']", rangeOf(GOLD, "${ silvers['airports'] }")],
        ['__stepwise_ref_3', 'params?.minDelay ?? 0', rangeOf(GOLD, '${params?.minDelay ?? 0}')],
      ],
    );
    assert.deepEqual(t.range.start, startOf(GOLD, '`'));
    assert.deepEqual(t.range.end, { line: 9, character: 17 });
    assert.equal(findStepDefinitions(GOLD)[0]!.sqlTemplates[0]?.text, t.text);
  });

  void test('map offsets in the SQL text back to document positions', () => {
    const t = only(GOLD);
    for (const word of ['avg_delay', 'a.iata', 'GROUP BY ALL', 'f.delay >']) {
      const at = t.text.indexOf(word);
      assert.deepEqual(mapTextOffset(t.segments, at).position, startOf(GOLD, word), word);
      assert.deepEqual(mapTextRange(t.segments, at, at + word.length), rangeOf(GOLD, word), word);
    }
    const second = t.text.indexOf('__stepwise_ref_2');
    assert.deepEqual(mapTextOffset(t.segments, second + 5).position, startOf(GOLD, '${ silvers'));
    assert.deepEqual(
      mapTextRange(t.segments, second, second + '__stepwise_ref_2'.length),
      rangeOf(GOLD, "${ silvers['airports'] }"),
    );
    assert.deepEqual(mapTextOffset(t.segments, t.text.length).position, { line: 9, character: 16 });
    assert.equal(mapTextOffset(t.segments, 0).offset, t.offset + 1);
  });

  void test('give DuckDB text it parses, and its error positions land on the source', async () => {
    assert.equal(await parseError(only(GOLD).text), undefined);
    const broken = GOLD.replace('GROUP BY ALL', 'GROUP BY ALL HAVING');
    const t = only(broken);
    const position = await parseError(t.text);
    assert.ok(position !== undefined);
    assert.equal(mapTextOffset(t.segments, position).position.line, 9);
  });

  void test('decode escapes and CR LF line ends and still map each character', () => {
    const text =
      "import { sql } from '@stepwise/engine';\r\n" +
      'const q = sql`SELECT \\`x\\` AS \\u0061, \'\\\\\' AS b,\r\n  1 AS "tab\\tname"`;\r\n';
    const t = only(text);
    assert.equal(t.text, 'SELECT `x` AS a, \'\\\' AS b,\n  1 AS "tab\tname"');
    const b = t.text.indexOf('AS b');
    assert.deepEqual(mapTextRange(t.segments, b, b + 4), rangeOf(text, 'AS b'));
    const one = t.text.indexOf('1 AS');
    assert.deepEqual(mapTextOffset(t.segments, one).position, startOf(text, '1 AS'));
    const tab = t.text.indexOf('\t');
    assert.deepEqual(mapTextRange(t.segments, tab, tab + 1), rangeOf(text, '\\t'));
    const a = t.text.indexOf(' a,') + 1;
    assert.deepEqual(mapTextRange(t.segments, a, a + 1), rangeOf(text, '\\u0061'));
  });

  void test('a template being typed is returned up to the end of the file', () => {
    const open = "import { sql } from '@stepwise/engine';\nconst q = sql`SELECT * FROM ${t} WHERE";
    const t = only(open);
    assert.equal(t.text, 'SELECT * FROM __stepwise_ref_1 WHERE');
    assert.equal(t.unterminated, true);
    assert.deepEqual(t.range.end, { line: 1, character: 38 });

    const plain = only("import { sql } from '@stepwise/engine';\nsql`SELECT 1");
    assert.deepEqual([plain.text, plain.unterminated], ['SELECT 1', true]);

    const hole = only("import { sql } from '@stepwise/engine';\nsql`SELECT * FROM ${t");
    assert.equal(hole.text, 'SELECT * FROM __stepwise_ref_1');
    assert.equal(hole.unterminated, true);
    assert.deepEqual(hole.interpolations[0]!.range, range(1, 18, 1, 21));
  });

  void test('a template with no interpolation maps one to one', () => {
    const text = "import { sql } from '@stepwise/engine';\nconst q = sql`SELECT 42 AS answer`;\n";
    const t = only(text, 'q.pipeline.mjs');
    assert.deepEqual(
      [t.text, t.interpolations, t.unterminated],
      ['SELECT 42 AS answer', [], undefined],
    );
    assert.deepEqual(mapTextRange(t.segments, 13, 19), rangeOf(text, 'answer'));
  });
});
