import * as assert from 'node:assert/strict';
import { UI_SAMPLES_ENV, parseArgs, parseUiArgs } from '../../../bench/options';
import { parsePythonBaseline } from '../../../bench/pythonBaseline';
import { judge, makeRow } from '../../../bench/report';
import { nearestRank, summarize } from '../../../bench/stats';
import { formatNumber, renderTable } from '../../../bench/table';
import { vscodeApiNames } from '../../shared/vscodeDouble';

describe('bench statistics', () => {
  it('median of an odd count is the middle sample, of an even count the mean of the two middle ones', () => {
    assert.equal(summarize([5, 1, 3]).median, 3);
    assert.equal(summarize([4, 1, 3, 2]).median, 2.5);
  });

  it('p95 is an observed sample by nearest rank', () => {
    const samples = Array.from({ length: 100 }, (_, i) => i + 1);
    assert.equal(summarize(samples).p95, 95);
    assert.equal(nearestRank([1, 2, 3], 0.95), 3);
    assert.equal(summarize([7]).p95, 7);
  });

  it('refuses empty or non-finite samples instead of printing NaN', () => {
    assert.throws(() => summarize([]), /at least one sample/);
    assert.throws(() => summarize([1, Number.NaN]), /not a finite number/);
  });
});

describe('bench rows and goals', () => {
  it('a time row compares medians with its baseline and judges a ratio goal', () => {
    const row = makeRow({
      id: 'P2',
      label: 'rtt',
      unit: 'ms',
      samples: [10, 12, 11],
      baseline: { label: '(a)', samples: [10, 10, 10] },
      goal: { metric: 'ratio', op: '<=', target: 1.15 },
    });
    assert.equal(row.ratio, 1.1);
    assert.equal(row.met, true);
    const slow = makeRow({ ...row, samples: [20, 20, 20], baseline: { label: '(a)', samples: [10] } });
    assert.equal(slow.met, false);
  });

  it('a rate row shows its worst 5 % (the low end) in the p95 column', () => {
    const samples = Array.from({ length: 20 }, (_, i) => i + 1);
    const row = makeRow({ id: 'P4', label: 'flood', unit: 'MB/s', samples, higherIsBetter: true });
    assert.equal(row.value.worst, 2);
    assert.equal(makeRow({ id: 'x', label: 'x', unit: 'ms', samples }).value.worst, 19);
  });

  it('max goals look at the largest sample, and a ratio goal without a baseline is missed', () => {
    const lag = { value: summarize([1, 2, 60]), ratio: undefined };
    assert.equal(judge({ metric: 'max', op: '<=', target: 50 }, lag), false);
    assert.equal(judge({ metric: 'median', op: '<=', target: 50 }, lag), true);
    assert.equal(judge({ metric: 'ratio', op: '>=', target: 0.8 }, lag), false);
  });

  it('renders a Markdown table with the verdict of every goal', () => {
    const rows = [
      makeRow({
        id: 'P1.1',
        label: 'first',
        unit: 'ms',
        samples: [30],
        goal: { metric: 'median', op: '<=', target: 50 },
      }),
      makeRow({
        id: 'P1.2',
        label: 'second',
        unit: 'ms',
        samples: [80],
        goal: { metric: 'median', op: '<=', target: 50 },
      }),
    ];
    const lines = renderTable(rows).split('\n');
    assert.equal(lines.length, 4);
    assert.match(lines[2], /P1\.1 first .*\| met/);
    assert.match(lines[3], /P1\.2 second .*\| MISSED/);
    assert.equal(new Set(lines.map((l) => l.length)).size, 1, 'columns are aligned');
  });

  it('rounds small numbers with more decimals than large ones', () => {
    assert.deepEqual([formatNumber(1.234), formatNumber(12.34), formatNumber(1234.5)], ['1.23', '12.3', '1235']);
  });
});

describe('bench command line and inputs', () => {
  it('--quick shrinks the work but keeps the 10 MB flood and 50 runs per context', () => {
    const quick = parseArgs(['--quick']);
    const full = parseArgs([]);
    assert.ok(quick.roundTrips < full.roundTrips);
    assert.ok(quick.scaleContexts < full.scaleContexts);
    assert.equal(full.scaleContexts, 32);
    assert.equal(quick.floodBytes, 10 * 1024 * 1024);
    assert.equal(quick.scaleExecs, 50);
  });

  it('rejects unknown options and bad values with the usage', () => {
    assert.throws(() => parseArgs(['--fast']), /Unknown option "--fast"[\s\S]*Usage/);
    assert.throws(() => parseArgs(['--pool', '0']), /--pool must be a positive integer/);
    assert.throws(() => parseArgs(['--only', 'p9']), /unknown: p9/);
    assert.deepEqual([...parseArgs(['--only', 'P2,p4']).only], ['p2', 'p4']);
    assert.throws(() => parseArgs(['--python']), /--python[\s\S]*Usage/);
    assert.throws(() => parseArgs(['--python', '--quick']), /--python[\s\S]*Usage/);
  });

  it('reads every option; --only and --no-ui turn the UI figures off', () => {
    const c = parseArgs(['--python', '/p', '--pool', '3', '--contexts', '7', '--skip-build', '--out', 'r.json']);
    assert.deepEqual(
      [c.python, c.poolSize, c.scaleContexts, c.skipBuild, c.resultsPath, c.ui],
      ['/p', 3, 7, true, 'r.json', true],
    );
    assert.equal(parseArgs(['--only', 'p1']).ui, false);
    assert.equal(parseArgs(['--no-ui']).ui, false);
    assert.equal(parseArgs([]).only.size, 10);
  });

  it('reads the Python baseline from the last line and refuses output without timings', () => {
    const good = parsePythonBaseline('noise\n{"coldStartMs":1,"coldFirstResultMs":2,"roundTripMs":[3],"flood":[]}\n');
    assert.deepEqual(good.roundTripMs, [3]);
    assert.throws(() => parsePythonBaseline('Traceback ...'), /printed no JSON/);
    assert.throws(() => parsePythonBaseline('{"coldStartMs":1}'), /lacks timings/);
  });

  it('finds the top-level API names in the VS Code typings', () => {
    const text =
      '\texport class Position {\n\texport namespace window {\n\t\texport class Inner {\n\texport enum Mode {\n';
    assert.deepEqual(vscodeApiNames(text), ['Position', 'window', 'Mode']);
  });
});

describe('bench:ui command line (same parser as npm run bench)', () => {
  it('defaults to U1 and U2, --quick takes fewer samples', () => {
    const full = parseUiArgs([]);
    assert.deepEqual([...full.only], ['u1', 'u2', 'u3', 'u4', 'u5']);
    assert.equal(full.samples, 30);
    assert.equal(full.python, '/usr/bin/python3');
    assert.ok(parseUiArgs(['--quick']).samples < full.samples);
  });

  it('reads values, and rejects unknown options, missing values and bad numbers with the usage', () => {
    const c = parseUiArgs(['--samples', '3', '--only', 'U3,u5', '--out', 'x.json', '--python', '/p']);
    assert.equal(c.samples, 3);
    assert.deepEqual([...c.only], ['u3', 'u5']);
    assert.equal(c.resultsPath, 'x.json');
    assert.equal(c.python, '/p');
    assert.throws(() => parseUiArgs(['--pool', '2']), /Unknown option "--pool"[\s\S]*Usage: npm run bench:ui/);
    assert.throws(() => parseUiArgs(['--samples']), /--samples[\s\S]*Usage: npm run bench:ui/);
    assert.throws(() => parseUiArgs(['--samples', 'x']), /--samples must be a positive integer/);
    assert.throws(() => parseUiArgs(['--only', 'p1']), /unknown: p1/);
    assert.throws(() => parseUiArgs(['stray']), /stray[\s\S]*Usage/);
  });

  it('takes the samples from KI_BENCH_UI_SAMPLES for quick development runs; --samples wins over it', () => {
    assert.equal(parseUiArgs([], { [UI_SAMPLES_ENV]: '3' }).samples, 3);
    assert.equal(parseUiArgs(['--quick'], { [UI_SAMPLES_ENV]: '5' }).samples, 5);
    assert.equal(parseUiArgs(['--samples', '12'], { [UI_SAMPLES_ENV]: '3' }).samples, 12);
    assert.equal(parseUiArgs([], { [UI_SAMPLES_ENV]: '' }).samples, 30, 'an empty knob is no knob');
    for (const bad of ['0', '-2', '2.5', 'ten', ' ']) {
      assert.throws(() => parseUiArgs([], { [UI_SAMPLES_ENV]: bad }), /KI_BENCH_UI_SAMPLES must be a positive integer/);
    }
  });
});
