/**
 * An interrupt the kernel ignores (SIGINT set to SIG_IGN, then a busy loop): after
 * `kernelIslands.interruptTimeoutSeconds` both surfaces, the notebook's stop button and the editor's Interrupt
 * Kernel command, show a warning with a **Restart Kernel** button. The test presses that button through VS Code's
 * own "Accept Notification Primary Action" command (`notification.acceptPrimaryAction`, which runs the first button
 * of the newest notification), so the real notification is what restarts the kernel; nothing else in the test
 * restarts it. That command cannot name a notification, so the test checks which one it pressed: the product's log
 * must say the offer for this very context was accepted ("Restarted the kernel of <id> after an ignored
 * interrupt."), and a press that hit another notification first fails the test. Only that context's kernel
 * restarts: a bystander context keeps its variables.
 * The message text is checked in `test/unit/workbench/restartOffer.test.ts`.
 */
import * as assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import * as vscode from 'vscode';
import type { ExecuteResult } from '../../types/kernel-islands';
import {
  CELL_TIMEOUT_MS,
  cellError,
  cellText,
  notebookSuite,
  runCell,
  runCellAndWait,
  selectKernel,
  showNotebook,
  waitForCells,
  writeNotebook,
} from './notebookUtil';
import { findContext, plainText, productLog } from './util';
import { waitFor } from '../shared/poll';

const TIMEOUT_S = 1;
const IGNORE_SIGINT = 'import signal\nsignal.signal(signal.SIGINT, signal.SIG_IGN)\n';
const STUBBORN = `${IGNORE_SIGINT}print("spinning", flush=True)\nwhile True: pass`;
/** STUBBORN for a run whose output the test cannot read: it creates the file `marker` once SIGINT is ignored. */
const stubbornMarking = (marker: string) =>
  `${IGNORE_SIGINT}open(${JSON.stringify(marker)}, "w").close()\nwhile True: pass`;
const BYSTANDER = 'agent:offer-bystander';

function setting(key: string, value: unknown): Thenable<void> {
  return vscode.workspace.getConfiguration('kernelIslands').update(key, value, vscode.ConfigurationTarget.Global);
}

/** Log lines that say how the Restart Kernel offer for `contextId` was answered. */
async function offerAnswers(log: string, contextId: string): Promise<string[]> {
  const lines = (await readFile(log, 'utf8')).split('\n');
  return lines.filter(
    (line) =>
      line.includes(`Restarted the kernel of ${contextId} after an ignored interrupt.`) ||
      line.includes(`Restart declined after an ignored interrupt (${contextId}).`),
  );
}

/**
 * Presses the newest notification's first button until `done()`; returns the ms from `since` to the last press.
 * Notifications are cleared first by the caller. Then the product's log must show that the press accepted the
 * offer for `contextId` (and that nothing dismissed it): a run ended by anything else fails the test.
 */
async function acceptOfferUntil(contextId: string, done: () => boolean, since: number): Promise<number> {
  const log = await productLog();
  const before = (await offerAnswers(log, contextId)).length;
  let pressedAt = since;
  const deadline = Date.now() + 30_000;
  while (!done()) {
    assert.ok(Date.now() < deadline, 'no Restart Kernel offer was accepted within 30 s');
    pressedAt = Date.now();
    await vscode.commands.executeCommand('notification.acceptPrimaryAction');
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  // The log reaches its file a moment after the line is written.
  let answers = (await offerAnswers(log, contextId)).slice(before);
  for (const logDeadline = Date.now() + 15_000; answers.length === 0;) {
    assert.ok(Date.now() < logDeadline, `the log never said how the offer for ${contextId} was answered`);
    await new Promise((resolve) => setTimeout(resolve, 250));
    answers = (await offerAnswers(log, contextId)).slice(before);
  }
  assert.equal(answers.length, 1, `one answer to the offer: ${answers.join(' | ')}`);
  assert.match(answers[0], /Restarted the kernel of .* after an ignored interrupt\./, 'the offer was accepted');
  return pressedAt - since;
}

export function interruptOfferTests(): void {
  suite('an interrupt the kernel ignores: the Restart Kernel offer', () => {
    const fixture = notebookSuite();
    const { scratch } = fixture;
    fixture.track(BYSTANDER);

    suiteSetup(async () => {
      await setting('interruptTimeoutSeconds', TIMEOUT_S);
      assert.equal(plainText(await fixture.api.execute(BYSTANDER, 'kept = 42\nprint(kept)')), '42');
    });

    suiteTeardown(async () => {
      await setting('interruptTimeoutSeconds', undefined);
    });

    test('notebook stop button: the offer appears after the timeout; Restart restarts this notebook only', async () => {
      const uri = await writeNotebook(scratch, 'stubborn.ipynb', ['y = 5\nprint(y)', STUBBORN]);
      fixture.track(uri);
      const editor = await showNotebook(uri);
      await selectKernel(editor, 'python3');
      assert.equal(cellText(await runCellAndWait(editor.notebook, 0)), '5\n');
      const kernelId = findContext(fixture.api, uri)?.kernelId;

      const since = Date.now();
      await runCell(editor.notebook, 1);
      await waitFor('the loop to start', () => cellText(editor.notebook.cellAt(1)) === 'spinning\n', CELL_TIMEOUT_MS);
      await vscode.commands.executeCommand('notifications.clearAll');
      const stoppedAt = Date.now();
      await vscode.commands.executeCommand('notebook.cancelExecution', uri);
      const cellEnded = () => (editor.notebook.cellAt(1).executionSummary?.timing?.endTime ?? 0) >= since;
      const offerMs = await acceptOfferUntil(uri.toString(), cellEnded, stoppedAt);
      await waitForCells(editor.notebook, [1], since);
      console.log(
        `      figure: notebook stop → Restart Kernel offer accepted = ${offerMs} ms (timeout ${TIMEOUT_S} s)`,
      );
      assert.ok(offerMs >= TIMEOUT_S * 1000 - 100, `the offer came before the timeout (${offerMs} ms)`);
      assert.notEqual(cellError(editor.notebook.cellAt(1))?.name, 'KeyboardInterrupt', 'SIGINT was ignored');

      const after = await fixture.api.execute(uri, 'print(globals().get("y"))');
      assert.equal(plainText(after), 'None', 'the notebook’s kernel was restarted: y is gone');
      assert.equal(findContext(fixture.api, uri)?.kernelId, kernelId, 'restarted, not replaced');
      assert.equal(
        plainText(await fixture.api.execute(BYSTANDER, 'print(kept)')),
        '42',
        'the bystander kept its state',
      );
    });

    test('editor Interrupt Kernel command: the same offer; Restart aborts the run and keeps other contexts', async () => {
      const uri = await scratch.file('stubborn.py', '# ignores Ctrl+C\n');
      fixture.track(uri);
      await vscode.window.showTextDocument(uri, { preview: false });
      assert.equal(plainText(await fixture.api.execute(uri, 'z = 9\nprint(z)')), '9');
      let outcome: ExecuteResult | undefined;
      // Interrupt once the kernel is past signal() (an interrupt before it would simply stop the run), known from
      // the file the run creates there, not from a guessed moment after the busy state.
      const ignoring = join(dirname(uri.fsPath), 'ignoring-sigint');
      void fixture.api.execute(uri, stubbornMarking(ignoring)).then((r) => (outcome = r));
      await waitFor('the kernel to ignore SIGINT and loop', () => existsSync(ignoring), CELL_TIMEOUT_MS);
      await vscode.commands.executeCommand('notifications.clearAll');
      const stoppedAt = Date.now();
      await vscode.commands.executeCommand('kernelIslands.interruptKernel', uri.toString());
      const offerMs = await acceptOfferUntil(uri.toString(), () => outcome !== undefined, stoppedAt);
      console.log(
        `      figure: editor interrupt → Restart Kernel offer accepted = ${offerMs} ms (timeout ${TIMEOUT_S} s)`,
      );
      assert.equal(outcome?.status, 'aborted', 'the restart ended the stubborn run');
      assert.equal(plainText(await fixture.api.execute(uri, 'print(globals().get("z"))')), 'None');
      assert.equal(
        plainText(await fixture.api.execute(BYSTANDER, 'print(kept)')),
        '42',
        'the bystander kept its state',
      );
    });
  });
}
