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

/** The hub of the current run, for the cleanup (which runs even when the test failed or timed out). */
let hub: HubTestServer | undefined;

/** Picks `row` in the open quick pick if it is listed (after the list filled); otherwise closes the pick. */
async function pickIfListed(wb: Workbench, row: RegExp): Promise<boolean> {
  const labels = wb.page.locator('.quick-input-list .monaco-list-row .label-name');
  const listed = await until(wb, 'the quick pick to list its rows', async () => (await labels.count()) > 0, 5000)
    .then(async () => (await labels.allInnerTexts()).some((l) => row.test(l.trim())))
    .catch(() => false);
  if (listed) {
    await pickQuickRow(wb, row);
  } else {
    await wb.press('Escape');
  }
  return listed;
}

/** Clicks `button` on the notification asking before a file's kernel moves, when it shows within a few seconds. */
async function confirmRestart(wb: Workbench, question: RegExp, button: RegExp): Promise<boolean> {
  const restart = notification(wb, question);
  const asked = await restart.waitFor({ timeout: 3000 }).then(
    () => true,
    () => false,
  );
  if (asked) {
    await restart.locator('.monaco-button', { hasText: button }).first().click({ timeout: 15_000 });
  }
  return asked;
}

export const hubUiTest: UiTest = {
  title: 'Add JupyterHub… through the input boxes, then Shift+Enter on the hub server shows the hub’s progress',
  timeoutMs: 240_000,
  async run(wb) {
    hub = await HubTestServer.start();
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
    // The hub starts the user's server at the first kernel start there: at the restart below when b.py already
    // ran (earlier tests ran it), else at Shift+Enter. Its progress notification is watched for from now on.
    const progress = notification(wb, new RegExp(`Starting ${NAME} on JupyterHub`))
      .waitFor({ timeout: 120_000 })
      .then(() => wb.screenshot('ui-hub-progress'));
    progress.catch(() => undefined);
    await pickQuickRow(wb, row);
    // A file that already ran elsewhere is asked before its kernel moves.
    if (await confirmRestart(wb, new RegExp(`Restart it as ${NAME}`), /Restart into/)) {
      // The click left the focus on the notification: back to the editor before typing.
      await openFile(wb, 'b.py');
    }
    await wb.appendLine('import os; print(os.getcwd())');
    await wb.press('Shift+Enter');
    await progress;
    await waitForInlineResult(wb, new RegExp(hub.home(USER).replace(/[.*+?^${}()|[\]\\]/g, '\\$&')), 120_000);
    await waitForStatus(wb, new RegExp(`${NAME} · python3: idle`), 30_000);
    await wb.screenshot('ui-hub-result');
  },
  async cleanup(wb) {
    // Leave nothing on the hub for later tests, whatever step failed: b.py back on the local server (its hub
    // kernel restarts there, if it has one), the hub removed, then stopped.
    await wb.press('Escape');
    await wb.press('Escape');
    try {
      await openFile(wb, 'b.py');
      await runPickerCommand(wb, 'Kernel Islands: Select Kernel for This File…');
      await until(wb, 'the picker to offer local · python3', async () =>
        (await wb.page.locator('.quick-input-list .monaco-list-row .label-name').allInnerTexts()).some((l) =>
          /^local · python3$/.test(l.trim()),
        ),
      );
      await pickQuickRow(wb, /^local · python3$/);
      await confirmRestart(wb, /Restart it as local · python3/, /Restart into local · python3/);
      await waitForStatus(wb, /^(?![\s\S]*ui-hub)/, 60_000);
      await runPickerCommand(wb, 'Kernel Islands: Remove JupyterHub…');
      await pickIfListed(wb, new RegExp(`^${NAME}$`));
    } finally {
      await hub?.dispose();
      hub = undefined;
    }
  },
};
