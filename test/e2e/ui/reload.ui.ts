/**
 * Reload survival as a user sees it: values set in two editors are still there after "Developer: Reload Window",
 * each in its own kernel. Runs last: the reload restarts the extension host under every later test.
 */
import * as assert from 'node:assert/strict';
import type { UiTest, Workbench } from './workbench';

/** Adds `code` at the end of the open file and runs that line with Shift+Enter. */
async function runNewLine(wb: Workbench, code: string): Promise<void> {
  await wb.appendLine(code);
  await wb.runLineAndAdvance();
}

/** Files and the value each one's kernel holds across the reload. */
const VALUES = [
  ['a.py', 41],
  ['b.py', 42],
] as const;

export const reloadUiTest: UiTest = {
  title: 'after Developer: Reload Window, a.py and b.py read back their own values from their own kernels',
  timeoutMs: 180_000,
  async run(wb) {
    for (const [file, value] of VALUES) {
      await wb.openFile(file);
      await runNewLine(wb, `reload_kept = ${value}`);
      await runNewLine(wb, `print(f"before reload {reload_kept}")`);
      await wb.waitForWebviewText(`before reload ${value}`, 90_000);
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
      await runNewLine(wb, `print(f"after reload {reload_kept * 1000 + 7}")`);
      await wb.waitForWebviewText(`after reload ${value * 1000 + 7}`, 60_000);
      timings.push(`${file} ${Date.now() - reloadAt} ms`);
    }
    await wb.screenshot('ui-reload-values');
    console.log(`  values back after the reload command: ${timings.join(', ')}`);
    const lost = await wb.page.getByText(/state is lost/).count();
    assert.equal(lost, 0, 'a "state is lost" message is on screen after the reload');
  },
};
