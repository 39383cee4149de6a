/**
 * A progress bar drawn with `\r`, as tqdm draws one: the results panel shows its last state on one line, as
 * JupyterLab does, not every step of it.
 */
import * as assert from 'node:assert/strict';
import { waitForWebviewElement } from './islands';
import type { UiTest } from './workbench';

export const progressUiTest: UiTest = {
  title: 'a.py: a progress bar drawn with \\r shows only its last state in the results panel',
  timeoutMs: 120_000,
  async run(wb) {
    await wb.openFile('a.py');
    await wb.appendLine(
      'import time; [print(f"\\rstep {i}/3", end="", flush=True) or time.sleep(0.2) for i in range(4)]; print(" done")',
    );
    await wb.runLineAndAdvance();
    const output = await waitForWebviewElement(wb, '.output.stream', /done/, 90_000);
    assert.equal((await output.innerText()).trim(), 'step 3/3 done');
    await wb.screenshot('ui-progress');
  },
};
