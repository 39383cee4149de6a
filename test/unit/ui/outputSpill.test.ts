import * as assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { OutputSpill } from '../../../src/ui/results/outputSpill';
import { ContextResults } from '../../../src/ui/results/resultsModel';

describe('full output of truncated runs on disk', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'ki-spill-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('keeps every character of a run that went over its bound, while the panel keeps only the bound', async () => {
    const spill = new OutputSpill(join(dir, 'outputs'));
    const results = new ContextResults({ maxRuns: 5, maxCharsPerRun: 1_000_000, maxLinesPerRun: 100 }, (id, t, r) =>
      spill.write(id, t, r),
    );
    results.start(9, 'for i in range(10000): print(i)');
    let expected = '';
    for (let i = 0; i < 10_000; i += 50) {
      const chunk = Array.from({ length: 50 }, (_, k) => `${i + k}\n`).join('');
      expected += chunk;
      results.apply(9, { kind: 'output', output: { output_type: 'stream', name: 'stdout', text: chunk } });
    }
    const path = await spill.pathOf(9);
    assert.ok(path, 'the run has a full-text file');
    assert.equal(readFileSync(path, 'utf8'), expected);
    const shown = results.runs[0].outputs[0];
    assert.equal(shown.kind === 'stream' && shown.text.split('\n').length - 1, 100);

    await spill.forget([9]);
    assert.equal(existsSync(path), false, 'forgotten runs leave no file behind');
    assert.equal(await spill.pathOf(9), undefined);
  });

  it('a run under its bound writes nothing', async () => {
    const spill = new OutputSpill(join(dir, 'outputs'));
    const results = new ContextResults({ maxRuns: 5, maxCharsPerRun: 1000, maxLinesPerRun: 100 }, (id, t, r) =>
      spill.write(id, t, r),
    );
    results.start(1, 'print(1)');
    results.apply(1, { kind: 'output', output: { output_type: 'stream', name: 'stdout', text: '1\n' } });
    assert.equal(spill.has(1), false);
    assert.equal(existsSync(join(dir, 'outputs')), false);
    spill.dispose();
  });
});
