/**
 * Statement-aware Shift+Enter as a user meets it: typed in statements.py, a three-line `def` runs whole from its
 * first line (one line alone would be a SyntaxError), the cursor jumps to the call below it, and the call runs.
 */
import * as assert from 'node:assert/strict';
import type { UiTest, Workbench } from './workbench';

/** Presses Shift+Enter and waits until the status bar shows the cursor on line `to` (1-based). */
async function shiftEnterTo(wb: Workbench, to: number): Promise<void> {
  await wb.expectEditorFocus();
  await wb.press('Shift+Enter');
  const deadline = Date.now() + 15_000;
  let line = await wb.cursorLine();
  while (line !== to) {
    if (Date.now() > deadline) {
      throw new Error(`Shift+Enter left the cursor on line ${line}, not ${to}`);
    }
    await wb.page.waitForTimeout(50);
    line = await wb.cursorLine();
  }
}

export const statementsUiTest: UiTest = {
  title: 'Shift+Enter on the first line of a 3-line def runs the def, moves to the next line, which calls it',
  timeoutMs: 120_000,
  async run(wb) {
    await wb.openFile('statements.py');
    await wb.appendLine('def triple(v):');
    // The editor indents the body after the colon.
    await wb.appendLine('w = v * 3');
    await wb.appendLine('return w');
    await wb.press('Control+End');
    await wb.press('Enter');
    // Back to column 0 for the call, whether or not the editor dedented after `return`.
    await wb.press('Shift+Tab');
    await wb.type('print(triple(14))');
    await wb.press('Escape');
    const typed = await wb.activeEditorText();
    assert.match(
      typed,
      /\ndef triple\(v\):\n {4}w = v \* 3\n {4}return w\nprint\(triple\(14\)\)$/,
      `the editor should hold the typed def and call, it shows:\n${typed}`,
    );
    const callLine = await wb.settledCursorLine();
    const defLine = callLine - 3;

    for (let i = 0; i < 3; i++) {
      await wb.press('ArrowUp');
    }
    await wb.press('Home');
    assert.equal(await wb.settledCursorLine(), defLine);
    await wb.screenshot('ui-statements-before');
    // The def runs whole and the cursor lands on the call, three lines down.
    await shiftEnterTo(wb, callLine);
    await shiftEnterTo(wb, callLine + 1);
    const panel = await wb.waitForWebviewText('42', 90_000);
    assert.equal(await wb.webviewShows(panel, 'SyntaxError'), false, 'a SyntaxError shows: the def ran in pieces');
    await wb.screenshot('ui-statements-42');
  },
};
