/**
 * A kernel that dies: the status bar and the Kernels view say "kernel died", a warning says its variables are lost,
 * and the next run starts a fresh kernel. How soon the status bar says so is printed as a figure, not asserted.
 */
import * as assert from 'node:assert/strict';
import { kernelStatusItem, notification, showKernelsView, until, waitForInlineResult, waitForStatus } from './islands';
import type { UiTest } from './workbench';

export const crashUiTest: UiTest = {
  title: 'a kernel that kills itself shows "kernel died", warns that its state is lost, and the next run starts fresh',
  timeoutMs: 150_000,
  async run(wb) {
    await wb.openFile('b.py');
    await wb.appendLine('kept = 5');
    await wb.press('Shift+Enter');
    await waitForInlineResult(wb, /^✓$/, 90_000);
    await waitForStatus(wb, /python3: idle/);

    await wb.page.keyboard.press('Control+End');
    await wb.type('import os, signal; os.kill(os.getpid(), signal.SIGKILL)');
    await wb.page.keyboard.press('Escape');
    const pressed = Date.now();
    await wb.press('Shift+Enter');
    const status = await waitForStatus(wb, /kernel died/, 60_000);
    const deadAfterMs = Date.now() - pressed;
    console.log(`      figure: UI: Shift+Enter on a self-kill to "kernel died" in the status bar = ${deadAfterMs} ms`);
    assert.match(status, /python3: kernel died/);
    await notification(wb, /b\.py: .*lost\. Its next run starts a fresh kernel\./).waitFor({
      state: 'visible',
      timeout: 60_000,
    });

    await showKernelsView(wb);
    const row = wb.page
      .locator('[id="workbench.view.extension.kernelIslands"] .monaco-list-row')
      .filter({ has: wb.page.locator('.label-name', { hasText: 'b.py' }) });
    await until(wb, 'the Kernels view to show b.py as kernel died', async () =>
      /kernel died/.test(await row.innerText().catch(() => '')),
    );
    await wb.screenshot('ui-kernel-died');

    await wb.page.locator('.editor-group-container.active .monaco-editor').first().click();
    await wb.appendLine('print(kept)');
    await wb.press('Shift+Enter');
    await waitForInlineResult(wb, /NameError/, 90_000);
    await waitForStatus(wb, /python3: idle/);
    assert.doesNotMatch(await kernelStatusItem(wb).innerText(), /died/);
    await wb.runCommand('File: Revert File');
  },
};
