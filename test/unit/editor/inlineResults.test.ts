import * as assert from 'node:assert/strict';
import { RUNNING_DELAY_MS } from '../../../src/editor/inlineResultText';
import { InlineResults } from '../../../src/editor/inlineResults';
import type { ExecutionResult } from '../../../src/kernels/types';
import { FakeTimer } from '../fakeTimer';
import { vscodeDouble } from '../withVscodeDouble';

const doc = {
  uri: { toString: () => 'file:///work/a.py' },
  lineCount: 10,
  lineAt: (line: number) => ({ range: { end: { line, character: 5 } } }),
};
/** Each setDecorations call: the texts drawn. */
const drawn: string[][] = [];
const editor = {
  document: doc,
  setDecorations: (_type: unknown, options: Array<{ renderOptions: { after: { contentText: string } } }>) =>
    drawn.push(options.map((o) => o.renderOptions.after.contentText)),
};

const two: ExecutionResult = {
  status: 'ok',
  executionCount: 1,
  durationMs: 5,
  outputs: [{ output_type: 'execute_result', execution_count: 1, data: { 'text/plain': '2' }, metadata: {} }],
};

describe('inline results', () => {
  beforeEach(() => {
    drawn.splice(0);
    vscodeDouble.visibleTextEditors = [editor];
  });

  it('a quick run draws only its result: no "running…" before it', () => {
    const timer = new FakeTimer();
    const inline = new InlineResults(() => true, timer);
    const handle = inline.start(doc as never, 3, 3);
    assert.deepEqual(drawn, [], 'nothing drawn when the run starts');
    handle.finish(two);
    timer.fireAll();
    assert.deepEqual(drawn, [['2']], 'one update, with the result');
  });

  it(`a run still going after ${RUNNING_DELAY_MS} ms shows "running…", then its result`, () => {
    const timer = new FakeTimer();
    const inline = new InlineResults(() => true, timer);
    const handle = inline.start(doc as never, 3, 3);
    assert.equal(timer.pendingDelays[0], RUNNING_DELAY_MS);
    timer.fireAll();
    assert.deepEqual(drawn, [['⋯ running…']]);
    handle.finish(two);
    assert.deepEqual(drawn.at(-1), ['2']);
  });

  it('running the same lines again takes the old result away at once', () => {
    const timer = new FakeTimer();
    const inline = new InlineResults(() => true, timer);
    inline.start(doc as never, 3, 3).finish(two);
    drawn.splice(0);
    inline.start(doc as never, 3, 3);
    assert.deepEqual(drawn, [['⋯ running…']], 'the old 2 must not stand for the new run');
  });
});
