/**
 * Two files, two islands, as a user sees them: the same variable set differently in a.py and b.py, and each
 * file's results panel shows only its own kernel's answer.
 */
import * as assert from 'node:assert/strict';
import type { UiTest, Workbench } from './workbench';

/** Adds `code` at the end of the open file, runs that line with Shift+Enter and waits for its panel entry. */
async function runNewLine(wb: Workbench, code: string): Promise<void> {
  await wb.appendLine(code);
  await wb.runLineAndAdvance();
  await wb.waitForWebviewText(code, 90_000);
}

export const twoPanelsUiTest: UiTest = {
  title: 'a.py and b.py keep separate state, each shown in its own results panel',
  timeoutMs: 120_000,
  async run(wb) {
    await wb.openFile('b.py');
    await runNewLine(wb, 'island = "island b"');
    await wb.openFile('a.py');
    await runNewLine(wb, 'island = "island a"');
    await runNewLine(wb, 'print(island.upper())');
    const panelA = await wb.waitForWebviewText('ISLAND A', 90_000);

    await wb.openFile('b.py');
    await runNewLine(wb, 'print(island.upper())');
    const panelB = await wb.waitForWebviewText('ISLAND B', 90_000);
    await wb.screenshot('ui-two-panels');

    assert.equal(await wb.webviewShows(panelA, 'ISLAND B'), false, "a.py's panel must not show b.py's result");
    assert.equal(await wb.webviewShows(panelB, 'ISLAND A'), false, "b.py's panel must not show a.py's result");
  },
};
