import * as assert from 'node:assert/strict';
import { toOutputView } from '../../../src/ui/results/outputView';
import { ContextResults } from '../../../src/ui/results/resultsModel';
import type { IOutput } from '../../../src/kernels/types';

const stream = (name: 'stdout' | 'stderr', text: string): IOutput => ({ output_type: 'stream', name, text });

describe('results view model', () => {
  describe('toOutputView', () => {
    const cases: Array<[string, IOutput, unknown]> = [
      ['stdout stream', stream('stdout', 'hi\n'), { kind: 'stream', name: 'stdout', text: 'hi\n' }],
      [
        'stream given as a list',
        { output_type: 'stream', name: 'stderr', text: ['a', 'b'] },
        { kind: 'stream', name: 'stderr', text: 'ab' },
      ],
      [
        'execute_result text/plain',
        { output_type: 'execute_result', execution_count: 3, data: { 'text/plain': '42' }, metadata: {} },
        { kind: 'text', text: '42' },
      ],
      [
        'display_data png wins over text',
        { output_type: 'display_data', data: { 'image/png': 'iVBO\nRw0=', 'text/plain': '<Figure>' }, metadata: {} },
        { kind: 'image', mime: 'image/png', data: 'iVBORw0=' },
      ],
      [
        'error joins the traceback',
        { output_type: 'error', ename: 'ZeroDivisionError', evalue: 'division by zero', traceback: ['a', 'b'] },
        {
          kind: 'error',
          ename: 'ZeroDivisionError',
          evalue: 'division by zero',
          traceback: 'a\nb',
          links: [null, null],
        },
      ],
      [
        'svg becomes a base64 image, so it is drawn by <img> and never runs script',
        { output_type: 'display_data', data: { 'image/svg+xml': '<svg/>', 'text/plain': 'x' }, metadata: {} },
        { kind: 'image', mime: 'image/svg+xml', data: Buffer.from('<svg/>').toString('base64') },
      ],
      [
        'html wins over plain text (pandas)',
        {
          output_type: 'execute_result',
          execution_count: 1,
          data: { 'text/html': ['<table>', '</table>'], 'text/plain': 't' },
          metadata: {},
        },
        { kind: 'html', html: '<table></table>' },
      ],
      [
        'markdown',
        { output_type: 'display_data', data: { 'text/markdown': '# Title', 'text/plain': 't' }, metadata: {} },
        { kind: 'markdown', markdown: '# Title' },
      ],
      [
        'json is pretty-printed',
        { output_type: 'display_data', data: { 'application/json': { a: [1, 2] }, 'text/plain': 't' }, metadata: {} },
        { kind: 'json', text: '{\n  "a": [\n    1,\n    2\n  ]\n}' },
      ],
      [
        'jpeg',
        { output_type: 'display_data', data: { 'image/jpeg': '/9j/\n4AAQ' }, metadata: {} },
        { kind: 'image', mime: 'image/jpeg', data: '/9j/4AAQ' },
      ],
      [
        'error lines get their traceback links',
        { output_type: 'error', ename: 'E', evalue: 'v', traceback: ['Cell In [3], line 2\n----> 2 boom()'] },
        {
          kind: 'error',
          ename: 'E',
          evalue: 'v',
          traceback: 'Cell In [3], line 2\n----> 2 boom()',
          links: [
            { kind: 'cell', executionCount: 3, line: 2 },
            { kind: 'cell', executionCount: 3, line: 2 },
          ],
        },
      ],
      [
        'display without a known mime',
        { output_type: 'display_data', data: { 'application/x-foo': {} }, metadata: {} },
        undefined,
      ],
    ];
    for (const [name, output, expected] of cases) {
      it(name, () => assert.deepEqual(toOutputView(output), expected));
    }
  });

  // What the outputs are is tested once, for every surface, in test/unit/kernels/output/outputReducer.test.ts.
  it('a display update returns every run it changed; a run dropped past maxRuns is no longer updated', () => {
    const display = (text: string): IOutput => ({
      output_type: 'display_data',
      data: { 'text/plain': text },
      metadata: {},
      transient: { display_id: 'X' },
    });
    const r = new ContextResults({ maxRuns: 2, maxCharsPerRun: 100 });
    r.start(1, 'h = display("a", display_id="X")');
    r.apply(1, { kind: 'output', output: display("'a'") });
    r.start(2, 'display("b", display_id="X")');
    const changed = r.apply(2, { kind: 'output', output: display("'b'") });
    assert.deepEqual(
      changed.map((run) => run.id),
      [1, 2],
    );
    r.start(3, 'h.update("c")');
    assert.deepEqual(
      r.apply(3, { kind: 'update', displayId: 'X', output: display("'c'") }).map((run) => run.id),
      [2],
    );
  });

  it('bounds the text kept per run and counts what it dropped', () => {
    const r = new ContextResults({ maxRuns: 10, maxCharsPerRun: 10 });
    r.start(1, 'flood');
    for (let i = 0; i < 5; i++) {
      r.apply(1, { kind: 'output', output: stream('stdout', 'abcd') });
    }
    assert.equal(r.runs[0].outputs[0].kind === 'stream' && r.runs[0].outputs[0].text, 'abcdabcdab');
    assert.equal(r.runs[0].droppedChars, 10);
  });

  it('keeps at most maxRuns runs, dropping the oldest', () => {
    const r = new ContextResults({ maxRuns: 3, maxCharsPerRun: 100 });
    for (let i = 1; i <= 5; i++) {
      r.start(i, `${i}`);
    }
    assert.deepEqual(
      r.runs.map((run) => run.id),
      [3, 4, 5],
    );
  });

  it('end records status, count, duration and the abort reason', () => {
    const r = new ContextResults();
    r.start(7, 'x');
    r.end(7, {
      status: 'aborted',
      executionCount: null,
      outputs: [],
      durationMs: 5,
      error: { ename: 'Aborted', evalue: 'aborted: kernel restarted', traceback: [] },
    });
    assert.equal(r.runs[0].status, 'aborted');
    assert.equal(r.runs[0].message, 'aborted: kernel restarted');
    assert.equal(r.runs[0].durationMs, 5);
  });

  it('bounds the lines kept per run, and spills the full text once the bound is passed', () => {
    const spilled: Array<[number, string, boolean]> = [];
    const r = new ContextResults({ maxRuns: 10, maxCharsPerRun: 1000, maxLinesPerRun: 3 }, (id, text, restart) =>
      spilled.push([id, text, restart]),
    );
    r.start(4, 'for i in range(6): print(i)');
    for (let i = 0; i < 6; i++) {
      r.apply(4, { kind: 'output', output: stream('stdout', `${i}\n`) });
    }
    assert.deepEqual(r.runs[0].outputs, [{ kind: 'stream', name: 'stdout', text: '0\n1\n2\n' }]);
    assert.equal(r.runs[0].droppedChars, 6);
    assert.deepEqual(spilled, [
      [4, '0\n1\n2\n', true],
      [4, '3\n', false],
      [4, '4\n', false],
      [4, '5\n', false],
    ]);
    assert.equal(spilled.map(([, t]) => t).join(''), '0\n1\n2\n3\n4\n5\n');
  });

  it('a chunk that crosses the line bound is cut at a line end; the full chunk is spilled', () => {
    const spilled: string[] = [];
    const r = new ContextResults({ maxRuns: 10, maxCharsPerRun: 1000, maxLinesPerRun: 2 }, (_id, text) =>
      spilled.push(text),
    );
    r.start(1, 'print("a\\nb\\nc\\nd")');
    r.apply(1, { kind: 'output', output: stream('stdout', 'a\nb\nc\nd\n') });
    assert.deepEqual(r.runs[0].outputs, [{ kind: 'stream', name: 'stdout', text: 'a\nb\n' }]);
    assert.equal(r.runs[0].droppedChars, 4);
    assert.deepEqual(spilled, ['', 'a\nb\nc\nd\n']);
  });

  it('a flood of 100 MB keeps the panel bounded', () => {
    let spilledChars = 0;
    const r = new ContextResults({ maxRuns: 10, maxCharsPerRun: 2_000_000, maxLinesPerRun: 5000 }, (_id, text) => {
      spilledChars += text.length;
    });
    r.start(1, 'flood');
    const chunk = `${'y'.repeat(99)}\n`.repeat(10_000); // 1 MB
    for (let i = 0; i < 100; i++) {
      r.apply(1, { kind: 'output', output: stream('stdout', chunk) });
    }
    const kept = r.runs[0].outputs.reduce((n, o) => n + (o.kind === 'stream' ? o.text.length : 0), 0);
    assert.equal(kept, 5000 * 100);
    assert.equal(r.runs[0].droppedChars, 100 * chunk.length - kept);
    assert.equal(spilledChars, 100 * chunk.length);
  });
});
