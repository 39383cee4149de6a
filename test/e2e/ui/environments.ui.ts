/**
 * Two projects side by side, each with its own venv (made here, in the workspace): each file runs in its own
 * environment, and the status bar names it (`local · .venv (3.x) · python3: idle`, `local · venv (3.x) · …`).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { makeVenv } from '../../shared/pythonEnvironments';
import { goToLine, openFile, waitForInlineResult, waitForStatus } from './islands';
import { openNotebook, revertAndCloseAll, runFirstCellByKey } from './notebooks.ui';
import type { UiTest, Workbench } from './workbench';

/** One line, so Shift+Enter on line 1 runs all of it. */
const WHERE = 'import sys, marker; print(sys.prefix, marker.NAME)';

async function runIn(wb: Workbench, fileName: string, env: RegExp, marker: RegExp, shot: string): Promise<string> {
  await openFile(wb, fileName);
  await waitForStatus(wb, new RegExp(`local · ${env.source} · python3: not started`), 30_000);
  await goToLine(wb, 1);
  await wb.press('Shift+Enter');
  await waitForInlineResult(wb, marker, 120_000);
  const status = await waitForStatus(wb, new RegExp(`local · ${env.source} · python3: idle`), 60_000);
  await wb.screenshot(shot);
  return status;
}

export const environmentsUiTest: UiTest = {
  title: 'two projects side by side: each file runs in its own venv, and the status bar names the environment',
  timeoutMs: 360_000,
  async run(wb) {
    if (!wb.workspace) {
      throw new Error('the harness did not say which workspace folder code-server opened');
    }
    const projects = [
      { dir: join(wb.workspace, 'proj-a'), folder: '.venv', marker: 'venv A', file: 'env_ui_a.py' },
      { dir: join(wb.workspace, 'proj-b'), folder: 'venv', marker: 'venv B', file: 'env_ui_b.py' },
    ];
    for (const p of projects) {
      mkdirSync(p.dir, { recursive: true });
      makeVenv(p.dir, { marker: p.marker, folder: p.folder });
      writeFileSync(join(p.dir, p.file), `${WHERE}\n`);
    }
    const statusA = await runIn(wb, 'env_ui_a.py', /\.venv \(3\.\d+\)/, /proj-a\/\.venv venv A/, 'ui-environment-a');
    const statusB = await runIn(wb, 'env_ui_b.py', /venv \(3\.\d+\)/, /proj-b\/venv venv B/, 'ui-environment-b');
    // Back to the first: its status bar still names its own environment.
    await openFile(wb, 'env_ui_a.py');
    await waitForStatus(wb, /local · \.venv \(3\.\d+\) · python3: idle/, 15_000);
    console.log(`  figure: status bar of proj-a/env_ui_a.py = ${statusA}`);
    console.log(`  figure: status bar of proj-b/env_ui_b.py = ${statusB}`);

    // A notebook in proj-a: nobody picks a kernel; its toolbar names venv A's controller, and it runs there.
    const notebook = 'env_ui_nb.ipynb';
    // Its own words, so the text cannot come from env_ui_a.py's results panel, which shows the same prefix.
    const source = 'import sys, marker; print("from the notebook:", sys.prefix, marker.NAME)';
    const cell = { cell_type: 'code', metadata: {}, execution_count: null, outputs: [], source };
    const metadata = { kernelspec: { name: 'python3', display_name: 'Python 3 (ipykernel)', language: 'python' } };
    writeFileSync(
      join(projects[0].dir, notebook),
      JSON.stringify({ nbformat: 4, nbformat_minor: 5, metadata, cells: [cell] }),
    );
    await openNotebook(wb, notebook);
    const label = await waitForVisibleText(
      wb,
      '.kernel-label',
      /^Python \.venv \(3\.\d+\) \(.*proj-a\/\.venv\)$/,
      90_000,
    );
    // Ctrl+Enter in the cell, as a user runs it (the toolbar's Run All may sit in its overflow beside two panels).
    await runFirstCellByKey(wb);
    await wb.waitForWebviewText(/from the notebook: \S*proj-a\/\.venv venv A/, 120_000);
    await wb.screenshot('ui-environment-notebook');
    console.log(`  figure: kernel of proj-a/${notebook}, chosen by the product = ${label}`);
    await revertAndCloseAll(wb);
  },
};

/** Waits until a visible element matching `selector` has text matching `pattern`; returns that text. */
async function waitForVisibleText(
  wb: Workbench,
  selector: string,
  pattern: RegExp,
  timeoutMs: number,
): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  let seen: string[] = [];
  while (Date.now() < deadline) {
    seen = await wb.page
      .locator(selector)
      .evaluateAll((els) =>
        els.filter((el) => (el as HTMLElement).offsetParent !== null).map((el) => el.textContent?.trim() ?? ''),
      );
    const hit = seen.find((text) => pattern.test(text));
    if (hit !== undefined) {
      return hit;
    }
    await wb.page.waitForTimeout(250);
  }
  throw new Error(`no visible ${selector} matched ${pattern} within ${timeoutMs} ms; seen: ${JSON.stringify(seen)}`);
}
