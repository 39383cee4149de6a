/** Select Kernel: stats.R switched to the Python kernel restarts into it; Python then reads the R line. */
import {
  goToLine,
  notification,
  openFile,
  pickQuickRow,
  runPickerCommand,
  until,
  waitForInlineResult,
  waitForStatus,
} from './islands';
import type { UiTest } from './workbench';

export const selectKernelUiTest: UiTest = {
  title: 'stats.R: Select Kernel lists each server’s kernelspecs and restarts into the chosen one',
  timeoutMs: 150_000,
  async run(wb) {
    await openFile(wb, 'stats.R');
    await goToLine(wb, 2);
    await wb.press('Shift+Enter');
    await waitForStatus(wb, /ir: idle/, 120_000);

    await runPickerCommand(wb, 'Kernel Islands: Select Kernel for This File…');
    await until(wb, 'the kernel picker to list R and Python', async () => {
      const labels = await wb.page.locator('.quick-input-list .monaco-list-row .label-name').allInnerTexts();
      return (
        labels.some((l) => /^local · ir$/.test(l.trim())) && labels.some((l) => /^local · python3$/.test(l.trim()))
      );
    });
    await pickQuickRow(wb, /^local · python3$/);
    const prompt = notification(wb, /Restart it as local · python3/);
    await prompt
      .locator('.monaco-button', { hasText: /Restart into local · python3/ })
      .first()
      .click({ timeout: 15_000 });
    await waitForStatus(wb, /python3: idle/, 60_000);

    // In Python, `x <- c(1, 2, 3)` reads as `x < -c(1, 2, 3)`: the fresh Python kernel has no x.
    await goToLine(wb, 2);
    await wb.press('Shift+Enter');
    await waitForInlineResult(wb, /^✗ NameError: name 'x' is not defined/, 60_000);
    await wb.screenshot('ui-select-kernel');
  },
};
