/**
 * The console at the bottom of a file's results panel, as a user meets it: Focus Console for This File, type
 * `x * 2`, Shift+Enter runs it in that file's kernel; after Developer: Reload Window, ↑ in the console brings the
 * line back. Runs after the reload test: its own reload restarts the extension host under any later test.
 */
import * as assert from 'node:assert/strict';
import type { FrameLocator } from 'playwright-core';
import { revertAndCloseAll } from './notebooks.ui';
import type { UiTest, Workbench } from './workbench';

const STEP_TIMEOUT_MS = 15_000;

/** The webview whose console input has the keyboard focus (after Focus Console for This File). */
async function focusedConsole(wb: Workbench): Promise<FrameLocator> {
  const deadline = Date.now() + STEP_TIMEOUT_MS;
  while (Date.now() < deadline) {
    const hosts = wb.page.locator('iframe.webview');
    for (let i = 0; i < (await hosts.count()); i++) {
      const content = hosts.nth(i).contentFrame().locator('iframe#active-frame').contentFrame();
      if ((await content.locator('#console-input:focus').count()) > 0) {
        return content;
      }
    }
    await wb.page.waitForTimeout(200);
  }
  throw new Error('no results panel has its console input focused');
}

export const consoleUiTest: UiTest = {
  title: "a.py's console runs x * 2 in a.py's kernel, and ↑ recalls it after a window reload",
  timeoutMs: 240_000,
  async run(wb) {
    await wb.openFile('a.py');
    await wb.appendLine('x = 21');
    await wb.runLineAndAdvance();
    await wb.waitForWebviewText(/^\[\d+\]$/, 90_000);

    await wb.runCommand('Kernel Islands: Focus Console for This File');
    let panel = await focusedConsole(wb);
    await wb.type('x * 2');
    await wb.press('Shift+Enter');
    await wb.waitForWebviewText('42', 60_000);
    assert.equal(await panel.locator('#console-input').inputValue(), '', 'the input empties after a run');
    await wb.screenshot('ui-console-42');

    // Tab completes from the kernel: a name only the kernel knows.
    await wb.type('x_squared_total = x ** 2');
    await wb.press('Shift+Enter');
    await wb.waitForWebviewText('x_squared_total = x ** 2', 60_000);
    await wb.type('x_squared_t');
    await wb.press('Tab');
    await panel.locator('#console-input').waitFor({ state: 'visible' });
    const deadline = Date.now() + STEP_TIMEOUT_MS;
    while ((await panel.locator('#console-input').inputValue()) !== 'x_squared_total' && Date.now() < deadline) {
      await wb.page.waitForTimeout(100);
    }
    assert.equal(await panel.locator('#console-input').inputValue(), 'x_squared_total', 'Tab completed the name');
    await wb.screenshot('ui-console-tab-completed');
    await wb.press('Control+A');
    await wb.press('Backspace');

    // The typed line in a.py is reverted and the panel closed, so the window comes back with one editor group.
    await revertAndCloseAll(wb);

    await wb.reloadWindow();

    // Into the reopened editor, as a person would, before asking for its console.
    await wb.clickIntoEditor('a.py');
    await wb.runCommand('Kernel Islands: Focus Console for This File');
    panel = await focusedConsole(wb);
    // The history's last entry is the assignment; the one before it is x * 2.
    await wb.press('ArrowUp');
    await wb.press('ArrowUp');
    const input = panel.locator('#console-input');
    await wb.page.waitForTimeout(200);
    assert.equal(await input.inputValue(), 'x * 2', 'ArrowUp recalls the run from before the reload');
    await wb.screenshot('ui-console-history-after-reload');
    // And it runs again in the same kernel, which kept x across the reload.
    await wb.press('Shift+Enter');
    const after = await wb.waitForWebviewText('42', 60_000);
    assert.equal(await after.locator('#console-input').inputValue(), '');
  },
};
