/**
 * The demo's one.ipynb and two.ipynb side by side, as a user runs them: both set `x` (to 'notebook one' and
 * 'notebook two'), sleep, and print it; both run at once and each shows its own value. The screenshot is the
 * artifact that shows the two islands.
 */
import type { UiTest, Workbench } from './workbench';

const STEP_TIMEOUT_MS = 15_000;
const KERNEL_LIST_TIMEOUT_MS = 90_000;
/** The python3 kernelspec's display name, which the selected controller shows on the notebook toolbar. */
const PYTHON_KERNEL_LABEL = 'Python 3 (ipykernel)';

/** Opens a workspace notebook with Quick Open and waits until its notebook editor is the active one. */
export async function openNotebook(wb: Workbench, fileName: string): Promise<void> {
  // The exact row: recent files whose names merely contain the query (temporary notebooks of earlier tests) are
  // listed too, and may come first.
  await wb.quickOpen(fileName);
  // The notebook's cells live in an overlay outside the group; the group holds the notebook editor's frame.
  await wb.page
    .locator('.editor-group-container.active .notebook-editor')
    .waitFor({ state: 'visible', timeout: STEP_TIMEOUT_MS });
}

/**
 * Waits until `count` visible notebook toolbars name the Kernel Islands Python kernel: the product selects it by
 * itself once it has listed the kernelspecs (the first listing starts Jupyter, so it may take a while).
 */
export async function waitForKernelLabels(wb: Workbench, count: number): Promise<void> {
  const deadline = Date.now() + KERNEL_LIST_TIMEOUT_MS;
  let seen: string[] = [];
  while (Date.now() < deadline) {
    seen = await wb.page
      .locator('.kernel-label')
      .evaluateAll((els) =>
        els.filter((el) => (el as HTMLElement).offsetParent !== null).map((el) => el.textContent?.trim() ?? ''),
      );
    if (seen.filter((label) => label === PYTHON_KERNEL_LABEL).length >= count) {
      return;
    }
    await wb.page.waitForTimeout(250);
  }
  throw new Error(
    `expected ${count} notebook(s) showing ${PYTHON_KERNEL_LABEL}, kernel labels: ${JSON.stringify(seen)}`,
  );
}

/**
 * Runs every cell of the notebook at the left or right of the editor area as a user does: the toolbar's "Run All"
 * button when the toolbar shows it, else (a narrow toolbar moves it into its overflow) "Notebook: Run All" from
 * the palette in that editor group.
 */
export async function clickRunAll(wb: Workbench, side: 'left' | 'right'): Promise<void> {
  const buttons = wb.page
    .locator('.notebook-toolbar-container .action-item')
    .filter({ has: wb.page.locator('.notebook-label', { hasText: /^Run All$/ }) })
    .filter({ visible: true });
  const shown = await buttons
    .first()
    .waitFor({ state: 'visible', timeout: 5_000 })
    .then(() => true)
    .catch(() => false);
  const boxes: Array<{ index: number; x: number }> = [];
  for (let i = 0; shown && i < (await buttons.count()); i++) {
    const box = await buttons.nth(i).boundingBox();
    if (box) {
      boxes.push({ index: i, x: box.x });
    }
  }
  if (boxes.length > 0) {
    boxes.sort((a, b) => a.x - b.x);
    // The toolbar may re-lay itself out (a panel opening beside it) and move the button into its overflow meanwhile.
    const clicked = await buttons
      .nth((side === 'left' ? boxes[0] : boxes[boxes.length - 1]).index)
      .click({ timeout: 5_000 })
      .then(() => true)
      .catch(() => false);
    if (clicked) {
      return;
    }
  }
  await wb.runCommand(side === 'left' ? 'View: Focus First Editor Group' : 'View: Focus Second Editor Group');
  await wb.runCommand('Notebook: Run All');
}

/** Reverts and closes every editor: notebooks with new outputs would otherwise ask to be saved. */
/**
 * Clicks into the first cell of the notebook in the active editor group and presses Ctrl+Enter, as a user runs one
 * cell. Resolves once the key is pressed.
 */
export async function runFirstCellByKey(wb: Workbench): Promise<void> {
  const cellEditor = wb.page.locator('.notebookOverlay .monaco-list-row .monaco-editor').filter({ visible: true });
  await cellEditor.first().waitFor({ state: 'visible', timeout: STEP_TIMEOUT_MS });
  await cellEditor.first().click();
  await wb.page.waitForFunction(
    () => document.activeElement?.closest('.notebookOverlay .monaco-list-row .monaco-editor') != null,
    undefined,
    { timeout: STEP_TIMEOUT_MS },
  );
  await wb.press('Control+Enter');
}

/**
 * Closes every editor, dropping unsaved changes: a changed one with "View: Revert and Close Editor", any other with
 * its tab's close button. (With a results panel as the last editor and the focus in its webview, the palette was
 * seen to open inert and close at once, twice in a row: a click on the tab needs no palette.)
 */
export async function revertAndCloseAll(wb: Workbench): Promise<void> {
  const tabs = wb.page.locator('.editor-group-container .tab');
  for (let i = 0; i < 10 && (await tabs.count()) > 0; i++) {
    const active = wb.page.locator('.editor-group-container.active .tab.active').first();
    const dirty = (await active.count()) > 0 && /\bdirty\b/.test((await active.getAttribute('class')) ?? '');
    if (dirty || (await active.count()) === 0) {
      await wb.runCommand('View: Revert and Close Editor');
    } else {
      const before = await tabs.count();
      await active.locator('.tab-actions .action-label').first().click();
      await wb.page.waitForFunction(
        ([selector, n]) => document.querySelectorAll(selector).length < n,
        ['.editor-group-container .tab', before] as const,
        { timeout: 15_000 },
      );
    }
  }
}

export const twoNotebooksUiTest: UiTest = {
  title: 'one.ipynb and two.ipynb side by side run at once, each with its own x',
  timeoutMs: 180_000,
  async run(wb) {
    try {
      await openNotebook(wb, 'one.ipynb');
      await waitForKernelLabels(wb, 1);
      await wb.runCommand('View: Split Editor Right');
      await openNotebook(wb, 'two.ipynb');
      await waitForKernelLabels(wb, 2);
      await clickRunAll(wb, 'right');
      await clickRunAll(wb, 'left');
      await wb.waitForWebviewText(/notebook one/, 120_000);
      await wb.waitForWebviewText(/notebook two/, 120_000);
      await wb.screenshot('ui-two-notebooks');
    } finally {
      await revertAndCloseAll(wb);
    }
  },
};
