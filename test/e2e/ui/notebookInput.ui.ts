/** `input()` in a notebook cell asks through an input box; what the user types reaches the kernel. */
import { clickRunAll, openNotebook, revertAndCloseAll, waitForKernelLabels } from './notebooks.ui';
import type { UiTest } from './workbench';

const STEP_TIMEOUT_MS = 15_000;

export const notebookInputUiTest: UiTest = {
  title: 'input() in a notebook cell opens an input box and the kernel gets the answer',
  timeoutMs: 150_000,
  async run(wb) {
    try {
      await openNotebook(wb, 'one.ipynb');
      await waitForKernelLabels(wb, 1);
      const firstCell = wb.page.locator('.notebookOverlay .monaco-list-row .monaco-editor');
      await firstCell.first().waitFor({ state: 'visible', timeout: STEP_TIMEOUT_MS });
      await firstCell.first().click();
      await wb.press('Control+A');
      await wb.type('name = input("Who is there? "); print(f"hello {name}!")');
      await wb.press('Escape');
      await clickRunAll(wb, 'left');

      await wb.page
        .locator('.quick-input-widget')
        .getByText('Who is there?')
        .waitFor({ state: 'visible', timeout: 90_000 });
      await wb.page.locator('.quick-input-widget input.input').fill('islands');
      await wb.press('Enter');
      await wb.waitForWebviewText(/hello islands!/, 60_000);
      await wb.screenshot('ui-notebook-input');
    } finally {
      await revertAndCloseAll(wb);
    }
  },
};
