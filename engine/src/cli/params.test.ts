// How `--param` values are read and how params from the pipeline, a file and flags are merged.
import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { isStepwiseError } from '../errors.js';
import { makeTempDir, removeDir } from './cliHarness.js';
import { parseParamFlag, resolveStepParams } from './params.js';

void describe('parseParamFlag', () => {
  void it('reads values as JSON when they parse, else as text', () => {
    const value = (text: string): unknown => parseParamFlag(`s.k=${text}`).value;
    assert.equal(value('300'), 300);
    assert.equal(value('-2.5'), -2.5);
    assert.equal(value('true'), true);
    assert.equal(value('null'), null);
    assert.equal(value('"300"'), '300');
    assert.deepEqual(value('[1,"a"]'), [1, 'a']);
    assert.equal(value('JFK'), 'JFK');
    assert.equal(value(''), '');
    assert.equal(value('a=b'), 'a=b');
  });

  void it('splits the step at the first dot and the key at the first equals sign', () => {
    assert.deepEqual(parseParamFlag('clean.window.days=7'), {
      step: 'clean',
      key: 'window.days',
      value: 7,
    });
  });

  void it('rejects text that is not STEP.KEY=VALUE', () => {
    for (const text of ['clean', 'clean.max', 'max=3', '.max=3', 'clean.=3', 'a=b.c']) {
      assert.throws(
        () => parseParamFlag(text),
        (e) => isStepwiseError(e, 'usage') && e.message.includes('STEP.KEY=VALUE'),
        text,
      );
    }
  });
});

void describe('resolveStepParams', () => {
  let dir: string;
  before(async () => {
    dir = await makeTempDir();
  });
  after(async () => {
    await removeDir(dir);
  });

  void it('merges defaults, then the file, then flags, key by key', async () => {
    const file = join(dir, 'params.json');
    await writeFile(file, JSON.stringify({ gold: { cap: 60, top: 5 }, silver: { days: 3 } }));
    const params = resolveStepParams(
      { gold: { cap: 180, minFlights: 1000 } },
      ['silver', 'gold'],
      ['gold.top=10', 'silver.mode=fast'],
      file,
    );
    assert.deepEqual(params, {
      gold: { cap: 60, minFlights: 1000, top: 10 },
      silver: { days: 3, mode: 'fast' },
    });
  });

  void it('rejects a file entry that is not an object of params', async () => {
    const file = join(dir, 'list.json');
    await writeFile(file, JSON.stringify({ gold: [1, 2] }));
    assert.throws(
      () => resolveStepParams({}, ['gold'], [], file),
      (e) => isStepwiseError(e, 'bad_params') && /has a list for step 'gold'/.test(e.message),
    );
  });
});

void describe('--param whole numbers beyond the exact range of a JS number', () => {
  void it('keeps them exact as bigints', () => {
    assert.equal(parseParamFlag('s.v=9007199254740993').value, 9007199254740993n);
    assert.equal(parseParamFlag('s.v=-12345678901234567890').value, -12345678901234567890n);
    assert.equal(parseParamFlag('s.v=42').value, 42);
  });
});
