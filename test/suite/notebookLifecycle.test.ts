/**
 * Notebook kernels over a notebook's life: affinity picks the kernelspec the notebook names (R here), the toolbar's
 * stop reaches the kernel, closing keeps the kernel for the shutdown delay, and untitled notebooks run too.
 */
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import {
  CELL_TIMEOUT_MS,
  cellError,
  cellText,
  runAll,
  runCellAndWait,
  selectKernel,
  showDocument,
  showNotebook,
  notebookSuite,
  waitForCells,
  writeNotebook,
} from './notebookUtil';
import { PRODUCT_ID, findContext } from './util';
import { waitFor } from '../shared/poll';

/** Time for the product to list kernelspecs (starting Jupyter if needed) and select the preferred one. */
const AUTO_SELECT_SETTLE_MS = 5_000;

const SPIN = 'print("spinning", flush=True)\nwhile True: pass';

export function notebookLifecycleTests(): void {
  suite('notebooks: kernelspecs, interrupt, close and reopen', () => {
    const fixture = notebookSuite();
    const { scratch } = fixture;

    test('a notebook whose metadata says ir runs in the R kernel without picking one', async () => {
      const rSpec = { name: 'ir', display_name: 'R', language: 'R' };
      const uri = await writeNotebook(scratch, 'r.ipynb', ['cat(R.version$language, 6 * 7)'], rSpec);
      const editor = await showNotebook(uri);
      fixture.track(editor.notebook);
      // The product selects the kernelspec the metadata names once its controllers exist. Give it that time; then,
      // only if nothing is selected yet, fall back to python3, which cannot run R code, so the test fails clearly
      // instead of VS Code asking for a kernel.
      await new Promise((resolve) => setTimeout(resolve, AUTO_SELECT_SETTLE_MS));
      await vscode.commands.executeCommand('notebook.selectKernel', {
        id: 'kernel-islands:python3',
        extension: PRODUCT_ID,
        skipIfAlreadySelected: true,
      });
      const since = Date.now();
      await runAll(editor.notebook);
      await waitForCells(editor.notebook, [0], since, CELL_TIMEOUT_MS);
      assert.equal(cellText(editor.notebook.cellAt(0)), 'R 42', JSON.stringify(cellError(editor.notebook.cellAt(0))));
      assert.equal(findContext(fixture.api, uri)?.kernelName, 'ir');
    });

    test('the toolbar stop (interrupt handler) stops while True: pass', async () => {
      const uri = await writeNotebook(scratch, 'spin.ipynb', [SPIN, 'print("after")']);
      const editor = await showNotebook(uri);
      fixture.track(editor.notebook);
      await selectKernel(editor, 'python3');
      const since = Date.now();
      await runAll(editor.notebook);
      // Its first output proves the loop itself runs (not the kernel's start-up), so the interrupt must reach it.
      await waitFor('the loop to start', () => cellText(editor.notebook.cellAt(0)) === 'spinning\n', CELL_TIMEOUT_MS);
      await vscode.commands.executeCommand('notebook.cancelExecution', uri);
      await waitForCells(editor.notebook, [0, 1], since);
      assert.equal(cellError(editor.notebook.cellAt(0))?.name, 'KeyboardInterrupt');
      assert.equal(cellText(editor.notebook.cellAt(1)), '', 'the cell queued behind it should not run');
      assert.equal(cellText(await runCellAndWait(editor.notebook, 1)), 'after\n', 'the kernel lives on');
    });

    test('closing and reopening within the shutdown delay keeps the kernel and x', async () => {
      const uri = await writeNotebook(scratch, 'reopen.ipynb', ['x = 7', 'print(x)']);
      const first = await showNotebook(uri);
      fixture.track(first.notebook);
      await selectKernel(first, 'python3');
      await runCellAndWait(first.notebook, 0);
      const kernelId = findContext(fixture.api, uri)?.kernelId;
      assert.ok(kernelId, 'running a cell should start the notebook’s kernel');

      await first.notebook.save();
      await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
      await waitFor(
        'the notebook tab to close',
        () => !vscode.window.visibleNotebookEditors.some((e) => e.notebook.uri.toString() === uri.toString()),
      );
      assert.equal(findContext(fixture.api, uri)?.kernelId, kernelId, 'the kernel waits out the delay');

      const again = await showNotebook(uri);
      fixture.track(again.notebook);
      await selectKernel(again, 'python3');
      assert.equal(cellText(await runCellAndWait(again.notebook, 1)), '7\n');
      assert.equal(findContext(fixture.api, uri)?.kernelId, kernelId);
    });

    test('renaming a notebook file keeps its kernel and state', async () => {
      const uri = await writeNotebook(scratch, 'before.ipynb', ['w = 99', 'print(w)']);
      const editor = await showNotebook(uri);
      fixture.track(editor.notebook);
      await selectKernel(editor, 'python3');
      await runCellAndWait(editor.notebook, 0);
      const kernelId = findContext(fixture.api, uri)?.kernelId;
      assert.ok(kernelId, 'running a cell should start the notebook’s kernel');
      await editor.notebook.save();

      const renamed = vscode.Uri.joinPath(uri, '..', 'after.ipynb');
      const edit = new vscode.WorkspaceEdit();
      edit.renameFile(uri, renamed);
      assert.ok(await vscode.workspace.applyEdit(edit), 'the rename should apply');
      await waitFor('the context to follow the rename', () => findContext(fixture.api, renamed) !== undefined);
      assert.equal(findContext(fixture.api, renamed)?.kernelId, kernelId);

      const document = await vscode.workspace.openNotebookDocument(renamed);
      fixture.track(document);
      await selectKernel(await showDocument(document), 'python3');
      assert.equal(cellText(await runCellAndWait(document, 1)), '99\n');
      assert.equal(findContext(fixture.api, renamed)?.kernelId, kernelId);
    });

    test('an untitled notebook runs in the workspace folder', async () => {
      const data = new vscode.NotebookData([
        new vscode.NotebookCellData(vscode.NotebookCellKind.Code, 'import os\nprint(os.getcwd())', 'python'),
      ]);
      const notebook = await vscode.workspace.openNotebookDocument('jupyter-notebook', data);
      fixture.track(notebook);
      const editor = await showDocument(notebook);
      await selectKernel(editor, 'python3');
      const cell = await runCellAndWait(notebook, 0);
      const folder = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
      assert.ok(folder, 'the e2e workspace should be open');
      assert.equal(cellText(cell), `${folder}\n`);
      assert.ok(findContext(fixture.api, notebook.uri), 'the untitled notebook is a context of its own');
    });
  });
}
