/**
 * A `# %%` file driven as a user would: the Run Cell lens, Ctrl+Enter, the Run Above lens, inline results,
 * a traceback link back to the source line, input() through the input box, and an endless loop interrupted
 * from the status bar. Uses `cells.py` of the workspace (demo/ or the e2e fixture; both hold the same file).
 */
import * as assert from 'node:assert/strict';
import {
  clickLens,
  cursorLine,
  goToLine,
  inlineResultTexts,
  kernelStatusItem,
  openFile,
  pickQuickRow,
  until,
  waitForInlineResult,
  waitForStatus,
  waitForWebviewElement,
} from './islands';
import type { UiTest } from './workbench';

// 1-based lines of cells.py.
const SET_UP_MARKER = 4;
const ADD_LINE = 8;
const SHOW_MARKER = 11;
const SHOW_LINE = 12;
const BROKEN_RETURN_LINE = 16;
const BROKEN_CALL_LINE = 19;
const ASK_LINE = 22;
const FOREVER_LINE = 28;

export const cellsUiTest: UiTest = {
  title: 'cells.py: Run Cell lens, Ctrl+Enter, Run Above lens, inline results',
  timeoutMs: 150_000,
  async run(wb) {
    await openFile(wb, 'cells.py');
    await clickLens(wb, 'Run Cell', SET_UP_MARKER);
    await waitForInlineResult(wb, /^✓$/, 90_000);

    await goToLine(wb, ADD_LINE);
    await wb.press('Control+Enter');
    await waitForInlineResult(wb, /^10$/);
    await wb.press('Control+Enter');
    await waitForInlineResult(wb, /^20$/);
    await goToLine(wb, SHOW_LINE);
    await wb.press('Control+Enter');
    await waitForWebviewElement(wb, 'pre.stream', 'total is 20');

    // Run Above on "Show" runs the set-up again (total = 0) and adds ten once.
    await clickLens(wb, 'Run Above', SHOW_MARKER);
    await until(wb, 'the inline result of "total" to read 10 again', async () => {
      const texts = await inlineResultTexts(wb);
      return texts.includes('10') && !texts.includes('20');
    });
    await goToLine(wb, SHOW_LINE);
    await wb.press('Control+Enter');
    await waitForWebviewElement(wb, 'pre.stream', 'total is 10');
    await wb.screenshot('ui-cells-run-above');

    // In a file with cells, Shift+Enter runs the cell and moves to the next cell's first line.
    await goToLine(wb, SET_UP_MARKER + 1);
    await wb.press('Shift+Enter');
    await until(
      wb,
      `Shift+Enter to move the cursor to line ${ADD_LINE}`,
      async () => (await cursorLine(wb)) === ADD_LINE,
    );
  },
};

/** The file of the active tab in the editor group that holds the keyboard focus (a string: see `failureReport`). */
const FOCUSED_GROUP_FILE = `(() => {
  const group = document.activeElement && document.activeElement.closest('.editor-group-container');
  const tab = group && group.querySelector('.tab.active');
  return tab ? tab.getAttribute('data-resource-name') : null;
})()`;

export const tracebackAndInputUiTest: UiTest = {
  title: 'cells.py: a traceback line jumps to the source line; input() is answered in the input box',
  timeoutMs: 120_000,
  async run(wb) {
    await openFile(wb, 'cells.py');
    await goToLine(wb, BROKEN_CALL_LINE);
    await wb.press('Control+Enter');
    await waitForInlineResult(wb, /^✗ NameError: name 'undefined_name' is not defined/, 90_000);
    const link = await waitForWebviewElement(wb, 'a.tb-link', /Cell In ?\[\d+\], line 2/);
    await link.click();
    // The keyboard focus is in cells.py's editor (the group holding the focus shows cells.py): the group marked
    // active in the DOM once still was the results panel's after the jump, with the cursor already on the line.
    await until(wb, `the cursor to land on line ${BROKEN_RETURN_LINE} of cells.py`, async () => {
      const focusedFile = await wb.page.evaluate(FOCUSED_GROUP_FILE).catch(() => null);
      return focusedFile === 'cells.py' && (await cursorLine(wb).catch(() => -1)) === BROKEN_RETURN_LINE;
    });
    await wb.screenshot('ui-traceback-jump');

    await goToLine(wb, ASK_LINE);
    await wb.press('Control+Enter');
    const box = wb.page.locator('.quick-input-widget');
    await box.locator('input.input').waitFor({ state: 'visible', timeout: 60_000 });
    const prompt = await box.innerText();
    assert.match(prompt, /Your name\?/, `the input box should show the kernel's prompt, it shows:\n${prompt}`);
    await box.locator('input.input').fill('Ada');
    await wb.press('Enter');
    await waitForWebviewElement(wb, 'pre.stream', 'hello Ada');
    await box.waitFor({ state: 'hidden', timeout: 15_000 });

    // Cancelling the input box interrupts the run and says why.
    await goToLine(wb, ASK_LINE);
    await wb.press('Control+Enter');
    await box.locator('input.input').waitFor({ state: 'visible', timeout: 60_000 });
    await box.locator('input.input').press('Escape');
    await waitForInlineResult(wb, /^✗ .*input was cancelled/, 30_000);
  },
};

export const interruptUiTest: UiTest = {
  title: 'cells.py: an endless loop is interrupted from the status bar quick pick',
  timeoutMs: 120_000,
  async run(wb) {
    await openFile(wb, 'cells.py');
    await goToLine(wb, FOREVER_LINE);
    await wb.press('Control+Enter');
    await waitForStatus(wb, /python3: busy/, 60_000);
    await waitForInlineResult(wb, /running…/, 10_000);
    await kernelStatusItem(wb).click();
    await pickQuickRow(wb, /Interrupt Kernel/);
    await waitForWebviewElement(wb, '.error-title', 'KeyboardInterrupt', 30_000);
    await waitForInlineResult(wb, /^✗ KeyboardInterrupt/, 30_000);
    await waitForStatus(wb, /python3: idle/, 30_000);
    await wb.screenshot('ui-interrupted');
  },
};
