import * as assert from 'node:assert/strict';
import { hoverMarkdown } from '../../../../src/editor/inspectHoverText';
import { stripAnsi } from '../../../../src/kernels/output/streamText';
import { toolResultText } from '../../../../src/kernels/output/toolResultText';

/**
 * There were two ANSI strippers: the tool result text's missed private modes (`ESC[?25l`, which progress bars
 * print to hide the cursor) and both missed OSC sequences (hyperlinks, titles). Every row goes through each caller.
 */
const cases: Array<[string, string, string]> = [
  ['a plain reset', 'a\x1b[0mb', 'ab'],
  ['colours', '\x1b[0;31mZeroDivisionError\x1b[0m: division by zero', 'ZeroDivisionError: division by zero'],
  ['256 colours and backgrounds', '\x1b[38;5;241;43m1\x1b[39;49m/0', '1/0'],
  ['private modes (cursor hidden, shown)', '\x1b[?25lworking\x1b[?25h', 'working'],
  ['cursor moves and line erase', 'a\x1b[2K\x1b[1Ab', 'ab'],
  ['an OSC hyperlink ended by BEL', '\x1b]8;;file:///tmp/m.py\x07m.py\x1b]8;;\x07 line 2', 'm.py line 2'],
  ['an OSC title ended by ST', '\x1b]0;my title\x1b\\text', 'text'],
  ['text without escapes, brackets kept', 'x[0m [?25l', 'x[0m [?25l'],
];

describe('stripAnsi (one ANSI stripper), and every caller agrees', () => {
  for (const [title, input, expected] of cases) {
    describe(title, () => {
      it('kernels/output/streamText stripAnsi', () => assert.equal(stripAnsi(input), expected));
      it('kernels/output/toolResultText (error traceback)', () => {
        const text = toolResultText('c', 'python3', {
          status: 'error',
          executionCount: 1,
          durationMs: 1,
          outputs: [{ output_type: 'error', ename: 'E', evalue: 'v', traceback: [input] }],
        });
        assert.ok(text.includes(`Error:\nE: v\n${expected}`), text);
      });
      it('editor/inspectHoverText', () =>
        assert.equal(hoverMarkdown({ found: true, data: { 'text/plain': input } }), `\`\`\`text\n${expected}\n\`\`\``));
    });
  }
});
