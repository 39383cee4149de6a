/**
 * Reload survival as a user sees it: values set in two editors are still there after "Developer: Reload Window",
 * each in its own kernel. Runs last: the reload restarts the extension host under every later test.
 */
import * as assert from 'node:assert/strict';
import type { UiTest, Workbench } from './workbench';

/**
 * Adds `code` as the last line of the open file, runs it with Shift+Enter and waits until some webview shows
 * `expected`. Escape closes a suggestion list that would otherwise take the Shift+Enter.
 */
async function runLastLine(wb: Workbench, code: string, expected: string): Promise<void> {
  await wb.press('Control+End');
  await wb.press('Enter');
  await wb.type(code);
  await wb.press('Escape');
  await wb.press('Shift+Enter');
  await wb.waitForWebviewText(expected, 90_000);
}

/** Files and the value each one's kernel holds across the reload. */
const VALUES = [
  ['a.py', 41],
  ['b.py', 42],
] as const;

export const reloadUiTest: UiTest = {
  title: 'after Developer: Reload Window, a.py and b.py read back their own values from their own kernels',
  timeoutMs: 180_000,
  run: (wb) => reloadAndReadBack(wb),
};

async function reloadAndReadBack(wb: Workbench): Promise<void> {
  for (const [file, value] of VALUES) {
    await wb.openFile(file);
    await runLastLine(wb, `reload_kept = ${value}; print(f"before reload {reload_kept}")`, `before reload ${value}`);
  }
  await wb.page.evaluate('window.kiBeforeReload = true');

  const reloadAt = Date.now();
  await wb.runCommand('Developer: Reload Window');
  await wb.page.waitForFunction('window.kiBeforeReload === undefined', undefined, { timeout: 30_000 });
  await wb.page.locator('.monaco-workbench').waitFor({ state: 'visible', timeout: 60_000 });
  await wb.screenshot('ui-reload-after');

  const timings: string[] = [];
  for (const [file, value] of VALUES) {
    await wb.openFile(file);
    // A value derived from the kept one, printed for the first time: a restored panel cannot show it.
    await runLastLine(wb, `print(f"after reload {reload_kept * 1000 + 7}")`, `after reload ${value * 1000 + 7}`);
    timings.push(`${file} ${Date.now() - reloadAt} ms`);
  }
  await wb.screenshot('ui-reload-values');
  console.log(`  values back after the reload command: ${timings.join(', ')}`);
  const lost = await wb.page.getByText(/state is lost/).count();
  assert.equal(lost, 0, 'a "state is lost" message is on screen after the reload');
}
