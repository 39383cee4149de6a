import * as assert from 'node:assert/strict';
import { MAX_INLINE_CHARS, inlineSummary } from '../../../src/editor/inlineResultText';
import type { ExecutionResult, IOutput } from '../../../src/kernels/types';

const ok = (outputs: IOutput[]): ExecutionResult => ({ status: 'ok', executionCount: 1, outputs, durationMs: 1 });
const value = (plain: string, extra: Record<string, unknown> = {}): IOutput => ({
  output_type: 'execute_result',
  execution_count: 1,
  data: { 'text/plain': plain, ...extra },
  metadata: {},
});

describe('inline result text', () => {
  const cases: Array<[string, ExecutionResult, string, string]> = [
    ['a value', ok([value('42')]), '42', 'ok'],
    ['no output', ok([]), '✓', 'ok'],
    ['the first line of a multi-line value', ok([value('   a  b\n0  1  2\n1  3  4')]), '   a  b …', 'ok'],
    ['a printed line', ok([{ output_type: 'stream', name: 'stdout', text: 'hello\n' }]), 'hello', 'ok'],
    [
      'a value wins over printed text',
      ok([{ output_type: 'stream', name: 'stdout', text: 'log\n' }, value("'v'")]),
      "'v'",
      'ok',
    ],
    [
      'an image',
      ok([{ output_type: 'display_data', data: { 'image/png': 'iVBOR', 'text/plain': '<Figure>' }, metadata: {} }]),
      '[image]',
      'ok',
    ],
    [
      'an error',
      {
        status: 'error',
        executionCount: 2,
        outputs: [],
        durationMs: 1,
        error: { ename: 'NameError', evalue: "name 'h' is not defined", traceback: [] },
      },
      "✗ NameError: name 'h' is not defined",
      'error',
    ],
    [
      'an aborted run',
      {
        status: 'aborted',
        executionCount: null,
        outputs: [],
        durationMs: 1,
        error: { ename: 'InputCancelled', evalue: 'aborted: input was cancelled', traceback: [] },
      },
      '✗ InputCancelled: aborted: input was cancelled',
      'error',
    ],
  ];
  for (const [name, result, text, kind] of cases) {
    it(name, () => {
      const summary = inlineSummary(result);
      assert.equal(summary.text, text);
      assert.equal(summary.kind, kind);
    });
  }

  it('cuts long values and keeps the whole text for the hover', () => {
    const long = 'x'.repeat(500);
    const summary = inlineSummary(ok([value(long)]));
    assert.equal(summary.text.length, MAX_INLINE_CHARS);
    assert.ok(summary.text.endsWith('…'));
    assert.equal(summary.detail, long);
  });
});
