import * as assert from 'node:assert/strict';
import { mkdtempSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Outcomes } from '../../e2e/lib/outcomes';
import type { SuiteReport } from '../../e2e/lib/report';
import { waitForSuite } from '../../e2e/lib/suiteResults';

/** The harness's wait for the in-host suite: a hang is a quiet spell, not a long suite. */
describe('e2e harness: waiting for the in-host suite', function () {
  this.timeout(20_000);
  let dir: string;
  let file: string;
  let log: typeof console.log;
  const write = (report: SuiteReport) => {
    writeFileSync(`${file}.tmp`, JSON.stringify(report));
    renameSync(`${file}.tmp`, file);
  };
  const report = (tests: number, done = false): SuiteReport => ({
    done,
    vscodeVersion: 'x',
    nodeVersion: 'y',
    tests: Array.from({ length: tests }, (_, i) => ({ title: `t${i}`, state: 'passed' as const, durationMs: 1 })),
  });

  beforeEach(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'ki-suite-wait-'));
    file = path.join(dir, 'results.json');
    log = console.log;
    console.log = () => undefined;
  });
  afterEach(() => {
    console.log = log;
    rmSync(dir, { recursive: true, force: true });
  });

  it('a suite that keeps finishing tests may run longer than the stall limit', async () => {
    const outcomes = new Outcomes();
    let n = 0;
    write(report(0));
    // 10 tests, one every 300 ms: 3 s in all, longer than the stall limit, each well within it.
    const ticker = setInterval(() => {
      write(report(++n, n >= 10));
      if (n >= 10) {
        clearInterval(ticker);
      }
    }, 300);
    try {
      const done = await waitForSuite(file, { totalMs: 15_000, stallMs: 2_000 }, outcomes);
      assert.equal(done, true);
      assert.equal(outcomes.passed, 10);
      assert.equal(outcomes.failed, 0);
    } finally {
      clearInterval(ticker);
    }
  });

  it('a suite where nothing finishes for the stall limit is a hang, named with the last finished test', async () => {
    const outcomes = new Outcomes();
    const lines: string[] = [];
    console.log = (line: string) => lines.push(line);
    write(report(2));
    const done = await waitForSuite(file, { totalMs: 15_000, stallMs: 1_500 }, outcomes);
    assert.equal(done, false);
    // The message tells which limit ended the wait: the stall limit, not the total ("no end after ...").
    assert.equal(outcomes.failed, 1);
    assert.ok(
      lines.some((l) => /no test finished for 1500 ms \(a hang\); last finished test: t1/.test(l)),
      lines.join('\n'),
    );
  });
});
