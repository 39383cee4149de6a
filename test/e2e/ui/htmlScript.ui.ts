/** A `<script>` (and an inline event handler) in text/html output does not run: the frame is sandboxed, script-less. */
import * as assert from 'node:assert/strict';
import { until, waitForWebviewElement } from './islands';
import type { UiTest } from './workbench';

const CODE =
  "from IPython.display import HTML; HTML('<b>ki-html-ok</b><script>document.body.dataset.ran=1</script>" +
  "<img src=x onerror=document.body.dataset.img=1>')";

export const htmlScriptUiTest: UiTest = {
  title: 'HTML output with a <script> and an onerror handler shows the HTML and runs neither',
  timeoutMs: 120_000,
  async run(wb) {
    await wb.openFile('b.py');
    await wb.appendLine(CODE);
    await wb.press('Shift+Enter');
    const frame = await waitForWebviewElement(wb, 'iframe.output.html', undefined, 90_000);
    assert.equal(await frame.getAttribute('sandbox'), 'allow-same-origin', 'no allow-scripts');
    const body = frame.contentFrame().locator('body');
    await until(wb, 'the HTML to show', async () => /ki-html-ok/.test(await body.innerText().catch(() => '')));
    // Time for the script and the broken image's onerror to have run, had they been allowed to. An absence has no
    // event to wait for (a wait for the image's failure could not find the <img> in the frame, 2026-12-07).
    await wb.page.waitForTimeout(1500);
    assert.equal(await body.getAttribute('data-ran'), null, 'the <script> ran');
    assert.equal(await body.getAttribute('data-img'), null, 'the onerror handler ran');
    await wb.screenshot('ui-html-script');
    await wb.runCommand('File: Revert File');
  },
};
