import * as assert from 'node:assert/strict';
import { joinMultiline } from '../../../src/common/multilineText';
import { inlineSummary } from '../../../src/editor/inlineResultText';
import { hoverMarkdown } from '../../../src/editor/inspectHoverText';
import { streamText } from '../../../src/kernels/output/outputReducer';
import { toolResultText } from '../../../src/kernels/output/toolResultText';
import type { IOutput } from '../../../src/kernels/types';
import { mimeItem } from '../../../src/notebook/outputMapping';
import { toOutputView } from '../../../src/ui/results/outputView';

/**
 * nbformat multiline strings were joined in eight places, which disagreed on what is not a string or a list:
 * the panel's stream showed `undefined` and `null`, the inline result dropped a number, the reducer passed it on
 * as a number. Every row is checked through each caller, so a caller with its own join fails here.
 */
const cases: Array<[string, unknown, string]> = [
  ['a string, as it is', 'a\nb\n', 'a\nb\n'],
  ['a list of lines, joined as they are', ['a\n', 'b\n'], 'a\nb\n'],
  ['lines without newlines get no separator', ['ab', 'cd'], 'abcd'],
  ['an empty list', [], ''],
  ['an empty string', '', ''],
  ['undefined is nothing', undefined, ''],
  ['null is nothing', null, ''],
  ['a number, as its text', 42, '42'],
];

const stream = (text: unknown): IOutput => ({ output_type: 'stream', name: 'stdout', text }) as IOutput;

describe('joinMultiline (nbformat multiline strings), and every caller agrees', () => {
  for (const [title, value, expected] of cases) {
    describe(title, () => {
      it('joinMultiline', () => assert.equal(joinMultiline(value), expected));
      it('kernels/output/outputReducer streamText', () => assert.equal(streamText(stream(value)), expected));
      it('ui/results/outputView (results panel stream)', () =>
        assert.deepEqual(toOutputView(stream(value)), { kind: 'stream', name: 'stdout', text: expected }));
      it('notebook/outputMapping mimeItem (text/plain)', () =>
        assert.deepEqual(mimeItem('text/plain', value), { kind: 'text', mime: 'text/plain', text: expected }));
      it('editor/inlineResultText (printed text in the hover)', () =>
        assert.equal(
          inlineSummary({ status: 'ok', executionCount: 1, outputs: [stream(value)], durationMs: 1 }).detail,
          expected,
        ));
      it('editor/inspectHoverText', () =>
        assert.equal(
          hoverMarkdown({ found: true, data: { 'text/plain': value } }),
          expected.trim() === '' ? '' : `\`\`\`text\n${expected.trim()}\n\`\`\``,
        ));
      it('kernels/output/toolResultText (stdout)', () => {
        const text = toolResultText('c', 'python3', {
          status: 'ok',
          executionCount: 1,
          outputs: [stream(value)],
          durationMs: 1,
        });
        assert.ok(text.endsWith(`\nstdout:\n${expected.replace(/\n$/, '')}`), text);
      });
    });
  }
});
