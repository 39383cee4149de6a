/**
 * Add JupyterHub… answered through its input boxes (a real hub on 127.0.0.1, started by this test), then a file
 * moved to the hub server with Select Kernel and run with Shift+Enter: the hub's own progress shows in a
 * notification while it starts the user's server, and the result comes from a kernel in the user's home there.
 */
import { HubTestServer } from '../../integration/hub/hubTestServer';
import {
  notification,
  openFile,
  pickQuickRow,
  runPickerCommand,
  until,
  waitForInlineResult,
  waitForStatus,
} from './islands';
import type { UiTest, Workbench } from './workbench';

const NAME = 'ui-hub';
const USER = 'alice';

/** Types an answer into the open input box and presses Enter. */
async function answer(wb: Workbench, text: string): Promise<void> {
  const input = wb.page.locator('.quick-input-widget input.input');
  await input.waitFor({ state: 'visible', timeout: 15_000 });
  await input.fill(text);
  await wb.press('Enter');
  await wb.page.waitForTimeout(300);
}

export const hubUiTest: UiTest = {
  title: 'Add JupyterHub… through the input boxes, then Shift+Enter on the hub server shows the hub’s progress',
  timeoutMs: 240_000,
  async run(wb) {
    const hub = await HubTestServer.start();
    try {
      await hub.addUser(USER);
      await wb.press('F1');
      await answer(wb, '>Kernel Islands: Add JupyterHub…');
      await answer(wb, hub.url);
      await answer(wb, USER);
      await pickQuickRow(wb, /^Username and password$/);
      await answer(wb, hub.password);
      await answer(wb, NAME);
      await answer(wb, '');
      await notification(wb, new RegExp(`signed in to ${NAME} as ${USER}`)).waitFor({ timeout: 30_000 });

      await openFile(wb, 'b.py');
      await runPickerCommand(wb, 'Kernel Islands: Select Kernel for This File…');
      const row = new RegExp(`^${NAME} · python3$`);
      await until(wb, 'the picker to offer the hub server', async () =>
        (await wb.page.locator('.quick-input-list .monaco-list-row .label-name').allInnerTexts()).some((l) =>
          row.test(l.trim()),
        ),
      );
      await pickQuickRow(wb, row);
      // A file that already ran elsewhere is asked before its kernel moves.
      const restart = notification(wb, new RegExp(`Restart it as ${NAME}`));
      if (
        await restart.waitFor({ timeout: 3000 }).then(
          () => true,
          () => false,
        )
      ) {
        await restart
          .locator('.monaco-button', { hasText: /Restart into/ })
          .first()
          .click({ timeout: 15_000 });
      }
      await wb.appendLine('import os; print(os.getcwd())');
      await wb.press('Shift+Enter');
      await notification(wb, new RegExp(`Starting ${NAME} on JupyterHub`)).waitFor({ timeout: 60_000 });
      await wb.screenshot('ui-hub-progress');
      await waitForInlineResult(wb, new RegExp(hub.home(USER).replace(/[.*+?^${}()|[\]\\]/g, '\\$&')), 120_000);
      await waitForStatus(wb, new RegExp(`${NAME} · python3: idle`), 30_000);
      await wb.screenshot('ui-hub-result');
      // Leave no hub server behind for later tests: b.py's kernel goes, then the hub.
      await wb.runCommand('Kernel Islands: Shut Down Kernel');
      await waitForStatus(wb, /not started|shutdown/, 30_000);
      await runPickerCommand(wb, 'Kernel Islands: Remove JupyterHub…');
      await pickQuickRow(wb, new RegExp(`^${NAME}$`));
    } finally {
      await hub.dispose();
    }
  },
};
