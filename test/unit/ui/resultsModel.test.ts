import * as assert from 'node:assert/strict';
import { ContextResults, toOutputView } from '../../../src/ui/resultsModel';
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
        { kind: 'error', ename: 'ZeroDivisionError', evalue: 'division by zero', traceback: 'a\nb' },
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

  it('appends consecutive chunks of one stream to one output, and starts a new one for the other stream', () => {
    const r = new ContextResults();
    r.start(1, 'print()');
    r.apply(1, { kind: 'output', output: stream('stdout', 'a') });
    r.apply(1, { kind: 'output', output: stream('stdout', 'b') });
    r.apply(1, { kind: 'output', output: stream('stderr', 'c') });
    assert.deepEqual(r.runs[0].outputs, [
      { kind: 'stream', name: 'stdout', text: 'ab' },
      { kind: 'stream', name: 'stderr', text: 'c' },
    ]);
  });

  it('clear_output(wait=True) clears only when the next output arrives', () => {
    const r = new ContextResults();
    r.start(1, 'loop');
    r.apply(1, { kind: 'output', output: stream('stdout', '1') });
    r.apply(1, { kind: 'clear', wait: true });
    assert.equal(r.runs[0].outputs.length, 1);
    r.apply(1, { kind: 'output', output: stream('stdout', '2') });
    assert.deepEqual(r.runs[0].outputs, [{ kind: 'stream', name: 'stdout', text: '2' }]);
    r.apply(1, { kind: 'clear', wait: false });
    assert.deepEqual(r.runs[0].outputs, []);
  });

  it('update_display_data replaces the output with that display id, even in an earlier run', () => {
    const r = new ContextResults();
    r.start(1, 'd = display("a", display_id=True)');
    r.apply(1, {
      kind: 'output',
      output: {
        output_type: 'display_data',
        data: { 'text/plain': "'a'" },
        metadata: {},
        transient: { display_id: 'X' },
      },
    });
    r.start(2, 'd.update("b")');
    const changed = r.apply(2, {
      kind: 'update',
      displayId: 'X',
      output: { output_type: 'display_data', data: { 'text/plain': "'b'" }, metadata: {} },
    });
    assert.equal(changed?.id, 1);
    assert.deepEqual(r.runs[0].outputs, [{ kind: 'text', text: "'b'" }]);
    assert.deepEqual(r.runs[1].outputs, []);
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
});
