/**
 * The context workbench's looks into a kernel, as a user drives them: the Variables view follows the active file
 * and shows that file's own `x`; View Data opens a DataFrame and goes to row 5,000; hovering a live object shows
 * its docstring from the kernel.
 */
import type { Locator } from 'playwright-core';
import { openFile, pickQuickRow, runNewLine, showKernelsView, until, waitForWebviewElement } from './islands';
import type { UiTest, Workbench } from './workbench';

/** The Variables view's pane in the Kernel Islands container. */
async function variablesPane(wb: Workbench): Promise<Locator> {
  const container = await showKernelsView(wb);
  const pane = container.locator('.pane').filter({ has: wb.page.locator('.pane-header', { hasText: /^Variables/i }) });
  const header = pane.locator('.pane-header');
  if ((await header.getAttribute('aria-expanded')) === 'false') {
    await header.click();
  }
  return pane;
}

/** Waits until the Variables view lists `name` with a description matching `value`. */
async function waitForVariable(wb: Workbench, pane: Locator, name: string, value: RegExp): Promise<void> {
  const row = pane
    .locator('.monaco-list-row')
    .filter({ has: wb.page.locator('.label-name', { hasText: new RegExp(`^${name}$`) }) });
  let last = '';
  await until(
    wb,
    `the Variables view to show ${name} matching ${String(value)}`,
    async () => {
      last =
        (await row
          .first()
          .innerText()
          .catch(() => '')) ?? '';
      return value.test(last);
    },
    60_000,
  ).catch((err: Error) => {
    throw new Error(`${err.message} (last: ${JSON.stringify(last)})`);
  });
}

export const variablesViewUiTest: UiTest = {
  title: 'Variables view: follows the active file and shows each file’s own x',
  timeoutMs: 180_000,
  async run(wb) {
    await openFile(wb, 'a.py');
    await runNewLine(wb, 'x = 111');
    await openFile(wb, 'b.py');
    await runNewLine(wb, 'x = 222');
    const pane = await variablesPane(wb);
    await waitForVariable(wb, pane, 'x', /int\s*·\s*222/);
    await wb.screenshot('ui-variables-b');
    await openFile(wb, 'a.py');
    await waitForVariable(wb, pane, 'x', /int\s*·\s*111/);
    await wb.screenshot('ui-variables-a');
    await openFile(wb, 'b.py');
    await waitForVariable(wb, pane, 'x', /int\s*·\s*222/);
    await wb.press('Control+S');
    await openFile(wb, 'a.py');
    await wb.press('Control+S');
  },
};

export const dataViewerUiTest: UiTest = {
  title: 'View Data: a DataFrame opens in the data viewer, which goes to row 5,000',
  timeoutMs: 180_000,
  async run(wb) {
    await openFile(wb, 'a.py');
    await runNewLine(wb, 'import pandas as pd');
    await runNewLine(wb, 'frame = pd.DataFrame(dict(a=range(100000), twice=range(0, 200000, 2)))');
    const pane = await variablesPane(wb);
    await waitForVariable(wb, pane, 'frame', /DataFrame\s*·\s*\(100000, 2\)/);
    await openFile(wb, 'a.py');
    await wb.page.keyboard.press('F1');
    await wb.page.locator('.quick-input-widget input.input').fill('>Kernel Islands: View Data');
    await pickQuickRow(wb, /^Kernel Islands: View Data$/);
    await pickQuickRow(wb, /^frame$/);
    await waitForWebviewElement(wb, '#summary', '100,000 rows × 2 columns', 60_000);
    await waitForWebviewElement(wb, 'td.label', /^0$/);
    // The header names each column with its dtype.
    const twice = await waitForWebviewElement(wb, 'th', /twice/);
    await twice.locator('.dtype', { hasText: 'int64' }).waitFor({ state: 'visible', timeout: 15_000 });
    const goTo = await waitForWebviewElement(wb, '#goto');
    await goTo.fill('5000');
    await goTo.press('Enter');
    const label = await waitForWebviewElement(wb, 'tr:has(td.label:text-is("5000")) td', /^10000$/, 30_000);
    await label.waitFor({ state: 'visible' });
    await wb.screenshot('ui-data-viewer-row-5000');
    await wb.press('Control+S');
  },
};

export const kernelHoverUiTest: UiTest = {
  title: 'Hover: a live object in a.py shows its docstring from the kernel',
  timeoutMs: 180_000,
  async run(wb) {
    await openFile(wb, 'a.py');
    await runNewLine(wb, 'def greet(name): "Says hello from the island kernel."; return name');
    await runNewLine(wb, 'greet');
    const word = wb.page
      .locator('.editor-group-container.active .monaco-editor .view-line span', { hasText: /^greet$/ })
      .last();
    const hover = wb.page.locator('.monaco-hover', { hasText: 'Says hello from the island kernel' });
    await until(
      wb,
      'the hover to show the docstring',
      async () => {
        await word.hover();
        return hover.isVisible().catch(() => false);
      },
      60_000,
    );
    await wb.screenshot('ui-kernel-hover');
    await wb.press('Escape');
    await wb.press('Control+S');
  },
};
