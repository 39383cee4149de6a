import * as assert from 'node:assert/strict';
import { applyLineEdit, lineEditOf, type LineEdit } from '../../../src/editor/lineSpans';

const edit = (startLine: number, endLine: number, text: string, appendsAfterLine = false): LineEdit => ({
  startLine,
  endLine,
  text,
  appendsAfterLine,
});

describe('inline result spans follow edits', () => {
  // A result on lines 5..7.
  const cases: Array<[string, LineEdit, [number, number] | undefined]> = [
    ['a line added above moves it down', edit(2, 2, 'new\n'), [6, 8]],
    ['two lines removed above move it up', edit(1, 3, ''), [3, 5]],
    ['an edit below leaves it', edit(9, 9, 'x'), [5, 7]],
    ['typing inside removes it', edit(6, 6, 'x'), undefined],
    ['typing on its first line removes it', edit(5, 5, 'x'), undefined],
    ['an edit spanning into it removes it', edit(3, 5, ''), undefined],
    ['Enter at the end of its last line keeps it', edit(7, 7, '\n', true), [5, 7]],
    ['typing at the end of its last line removes it', edit(7, 7, 'x'), undefined],
    ['Enter at the end of the line just above moves it', edit(4, 4, '\n', true), [6, 8]],
  ];
  for (const [name, change, expected] of cases) {
    it(name, () => {
      const span = { firstLine: 5, lastLine: 7 };
      const kept = applyLineEdit([span], change);
      assert.deepEqual(kept.length ? [kept[0].firstLine, kept[0].lastLine] : undefined, expected);
      if (kept.length) {
        assert.equal(kept[0], span, 'moved in place, so a running result’s handle still finds it');
      }
    });
  }
});

describe('edits as the editor reports them, LF and CRLF (lineEditOf)', () => {
  // A result on lines 5..7; line 7 is 12 characters long.
  const change = (line: number, character: number, endLine: number, text: string, isEmpty = true) => ({
    range: { start: { line, character }, end: { line: endLine }, isEmpty },
    text,
  });
  for (const [eol, name] of [
    ['\n', 'LF'],
    ['\r\n', 'CRLF (a Windows file)'],
  ]) {
    it(`${name}: Enter at the end of its last line keeps it; Enter above moves it by one line`, () => {
      const span = { firstLine: 5, lastLine: 7 };
      assert.deepEqual(applyLineEdit([span], lineEditOf(change(7, 12, 7, `${eol}    `), 12)), [span]);
      assert.deepEqual([span.firstLine, span.lastLine], [5, 7]);
      applyLineEdit([span], lineEditOf(change(2, 3, 2, `${eol}`), 9));
      assert.deepEqual([span.firstLine, span.lastLine], [6, 8]);
    });

    it(`${name}: two pasted lines above move it by two; Enter in the middle of its last line removes it`, () => {
      const span = { firstLine: 5, lastLine: 7 };
      applyLineEdit([span], lineEditOf(change(1, 0, 1, `a = 1${eol}b = 2${eol}`), 4));
      assert.deepEqual([span.firstLine, span.lastLine], [7, 9]);
      assert.deepEqual(applyLineEdit([span], lineEditOf(change(9, 4, 9, eol), 12)), []);
    });
  }
});
