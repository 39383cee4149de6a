/** The Kernels view lists the live contexts with their kernel and memory; shutting one down removes it. */
import * as assert from 'node:assert/strict';
import { goToLine, openFile, showKernelsView, until, waitForInlineResult } from './islands';
import type { UiTest } from './workbench';

export const kernelsViewUiTest: UiTest = {
  title: 'Kernels view: lists cells.py and b.py with kernel and memory; Shut Down removes b.py',
  timeoutMs: 150_000,
  async run(wb) {
    await openFile(wb, 'cells.py');
    await goToLine(wb, 5);
    await wb.press('Control+Enter');
    await waitForInlineResult(wb, /^✓$/, 90_000);
    await openFile(wb, 'b.py');
    await wb.press('Control+Home');
    // Line 3 is `x = 2`. Line 1 is a comment: a statement-aware Shift+Enter there runs nothing and moves on.
    await goToLine(wb, 3);
    await wb.press('Shift+Enter');
    await waitForInlineResult(wb, /^✓$/, 90_000);

    await showKernelsView(wb);
    const rows = wb.page.locator('[id="workbench.view.extension.kernelIslands"] .monaco-list-row');
    const row = (name: string) => rows.filter({ has: wb.page.locator('.label-name', { hasText: name }) });
    await until(wb, 'the Kernels view to list cells.py and b.py', async () => {
      return (await row('cells.py').count()) === 1 && (await row('b.py').count()) === 1;
    });
    await until(wb, 'the memory of the local kernels to show', async () => {
      const text = await row('cells.py').innerText();
      return /python3 · idle · \[\d+\] · \d+ MB/.test(text);
    });
    await wb.screenshot('ui-kernels-view');

    await row('b.py').hover();
    await row('b.py').locator('.action-label[aria-label="Shut Down Kernel"]').click();
    await until(wb, 'b.py to leave the Kernels view', async () => (await row('b.py').count()) === 0);
    assert.equal(await row('cells.py').count(), 1, 'cells.py keeps its kernel');
    await wb.screenshot('ui-kernels-view-after-shutdown');
  },
};
