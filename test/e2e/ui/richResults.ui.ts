/**
 * Plots, other languages and side-by-side files, as a user drives them: a matplotlib figure appears as an image
 * in the results panel; an R file gets an R kernel; two .py files keep separate state with Shift+Enter.
 */
import * as assert from 'node:assert/strict';
import { dirname, join } from 'node:path';
import {
  goToLine,
  notification,
  openFile,
  runNewLine,
  until,
  waitForInlineResult,
  waitForStatus,
  waitForWebviewElement,
} from './islands';
import type { UiTest } from './workbench';

export const plotUiTest: UiTest = {
  title: 'plot.py: a matplotlib figure appears as an image in the results panel',
  timeoutMs: 150_000,
  async run(wb) {
    await openFile(wb, 'plot.py');
    await goToLine(wb, 3);
    await wb.press('Control+Enter');
    const img = await waitForWebviewElement(wb, 'img.output.image[src^="data:image/png;base64,"]', undefined, 120_000);
    const size = await img.evaluate((el: HTMLImageElement) => ({ w: el.naturalWidth, h: el.naturalHeight }));
    assert.ok(size.w >= 200 && size.h >= 150, `the plot should be a real image, it is ${size.w}x${size.h}`);
    await waitForInlineResult(wb, /^\[image\]$/);
    const shot = await wb.screenshot('ui-plot');
    await img.screenshot({ path: join(dirname(shot), 'ui-plot-image.png') });
  },
};

export const rKernelUiTest: UiTest = {
  title: 'stats.R: Shift+Enter starts an R kernel (ir) and shows R results',
  timeoutMs: 150_000,
  async run(wb) {
    await openFile(wb, 'stats.R');
    await waitForStatus(wb, /ir: not started/, 15_000);
    await goToLine(wb, 2);
    await wb.press('Shift+Enter');
    // No warm R kernel: the start takes seconds, so a progress notification says what is happening.
    await notification(wb, /starting ir kernel for stats\.R/).waitFor({ state: 'visible', timeout: 15_000 });
    await wb.press('Shift+Enter');
    // IRkernel sends text/html next to text/plain; the panel draws the HTML in its script-less sandboxed frame.
    const frame = await waitForWebviewElement(wb, 'iframe.output.html', undefined, 120_000);
    assert.equal(await frame.getAttribute('sandbox'), 'allow-same-origin');
    await until(wb, 'the R result to show in the HTML frame', async () =>
      /\b14\b/.test(
        await frame
          .contentFrame()
          .locator('body')
          .innerText()
          .catch(() => ''),
      ),
    );
    await waitForInlineResult(wb, /^\[1\] 14$/);
    await waitForStatus(wb, /ir: idle/);
    await wb.screenshot('ui-r-kernel');
  },
};

/**
 * Adds a line at the end of the active editor and runs it with Shift+Enter, then waits for the cursor to move
 * down: the move (and the new last line) comes from the extension host, and keys typed before it would be split.
 */
export const twoFilesUiTest: UiTest = {
  title: 'a.py and b.py: Shift+Enter in each keeps separate state',
  timeoutMs: 150_000,
  async run(wb) {
    await openFile(wb, 'a.py');
    await runNewLine(wb, 'island = "A"');
    await openFile(wb, 'b.py');
    await runNewLine(wb, 'island = "B"');
    await runNewLine(wb, 'island');
    await waitForInlineResult(wb, /^'B'$/, 90_000);
    await openFile(wb, 'a.py');
    await runNewLine(wb, 'island');
    await waitForInlineResult(wb, /^'A'$/, 90_000);
    await waitForWebviewElement(wb, 'pre.output.text', "'A'");
    await waitForWebviewElement(wb, 'pre.output.text', "'B'");
    await wb.screenshot('ui-two-files');
    // Saved, so closing the editors later asks nothing.
    await wb.press('Control+S');
    await openFile(wb, 'b.py');
    await wb.press('Control+S');
    await until(wb, 'no unsaved editor', async () => (await wb.page.locator('.tab.dirty').count()) === 0);
  },
};
