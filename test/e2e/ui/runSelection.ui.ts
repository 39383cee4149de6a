/** A user types two lines in a .py file, runs them with Shift+Enter, and reads the result in the results panel. */
import * as assert from 'node:assert/strict';
import type { UiTest } from './workbench';

export const runSelectionUiTest: UiTest = {
  title: 'Shift+Enter in a.py runs the line and shows 42 in the results panel',
  timeoutMs: 120_000,
  async run(wb) {
    await wb.openFile('a.py');
    await wb.appendLine('y = 6 * 7');
    await wb.appendLine('print(y)');
    const typed = await wb.activeEditorText();
    assert.match(typed, /y = 6 \* 7\nprint\(y\)/, `the editor should hold the typed lines, it shows:\n${typed}`);

    // Back to the first typed line: Shift+Enter runs it and moves down to print(y), which runs next.
    await wb.press('ArrowUp');
    await wb.press('Home');
    await wb.runLineAndAdvance();
    await wb.runLineAndAdvance();

    await wb.waitForWebviewText('42', 90_000);
    await wb.screenshot('ui-run-selection-42');
  },
};
