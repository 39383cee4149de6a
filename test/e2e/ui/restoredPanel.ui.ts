/**
 * A results panel open before "Developer: Reload Window" comes back after it (the extension's
 * WebviewPanelSerializer): it shows the runs it had, marked as from before the reload, and the file's next run
 * appears in that same panel. Runs after the Reload Window test: it reloads the window too.
 */
import * as assert from 'node:assert/strict';
import { revertAndCloseAll } from './notebooks.ui';
import type { UiTest, Workbench } from './workbench';

const FILE = 'b.py';
const NEXT_LINE = 'print("new after the reload", 6160)';

/** Tabs of results panels of FILE, in every editor group. */
function resultsTabs(wb: Workbench) {
  return wb.page.locator('.editor-group-container .tab', { hasText: `Results: ${FILE}` });
}

export const restoredPanelUiTest: UiTest = {
  title: `${FILE}'s results panel comes back after Developer: Reload Window with its runs, and the next run joins it`,
  timeoutMs: 300_000,
  async run(wb) {
    try {
      await wb.openFile(FILE);
      await wb.appendLine('print("kept in the panel", 5150)');
      await wb.runLineAndAdvance();
      const before = await wb.waitForWebviewText('kept in the panel 5150', 90_000);
      // The page saves what it shows within a second; reload once it has (it says so on its body).
      await before.locator('body[data-state-saved="true"]').waitFor({ state: 'attached', timeout: 15_000 });

      await wb.reloadWindow();
      const restored = await wb.waitForWebviewText('kept in the panel 5150', 60_000);
      assert.ok(await wb.webviewShows(restored, 'from before the window reload'), 'the panel says what it shows');
      assert.ok(await wb.webviewShows(restored, 'before the reload'), 'the restored run is marked');
      assert.equal(await resultsTabs(wb).count(), 1, 'one results panel of the file');
      await wb.screenshot('ui-restored-panel');

      await wb.clickIntoEditor(FILE);
      await wb.waitForKernelStatusItem();
      await wb.appendLine(NEXT_LINE);
      await wb.runLineAndAdvance({ retypeIfFocusLost: { fileName: FILE, line: NEXT_LINE } });
      const after = await wb.waitForWebviewText('new after the reload 6160', 150_000);
      assert.ok(await wb.webviewShows(after, 'kept in the panel 5150'), 'the new run is in the restored panel');
      assert.equal(await resultsTabs(wb).count(), 1, 'still one results panel of the file');
      await wb.screenshot('ui-restored-panel-new-run');
    } finally {
      await revertAndCloseAll(wb);
    }
  },
};
