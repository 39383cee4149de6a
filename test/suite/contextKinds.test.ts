/**
 * One context model: every way into a context (a file, an untitled buffer, a notebook, a notebook cell's editor,
 * an agent's or another name) gives a context of the right kind, and a notebook is one context with one set-up,
 * as in Jupyter (its folder as working directory, no `__file__`), whichever way it is run.
 */
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { KernelIslandsApi } from '../../types/kernel-islands';
import {
  cellText,
  requireNotebookSurface,
  runCellAndWait,
  selectKernel,
  showNotebook,
  writeNotebook,
} from './notebookUtil';
import { ScratchFolder, findContext, getApi, plainText, shutdownIfLive } from './util';

const AGENT = 'agent:kinds';
const NAMED = 'kinds-named';

/** Python that prints whether `__file__` is set and the working directory, as one comparable line. */
const PROBE = "import os\nprint('__file__' in globals(), os.getcwd())";

export function contextKindTests(): void {
  suite('context kinds: one context model', () => {
    const scratch = new ScratchFolder();
    const targets: Array<vscode.Uri | string> = [AGENT, NAMED];
    let api: KernelIslandsApi;

    suiteSetup(async () => {
      api = await getApi();
    });

    suiteTeardown(async () => {
      // Saved first, so closing asks nothing about the notebook's new outputs.
      for (const notebook of vscode.workspace.notebookDocuments) {
        if (notebook.isDirty && targets.some((t) => t.toString() === notebook.uri.toString())) {
          await notebook.save();
        }
      }
      await vscode.commands.executeCommand('workbench.action.closeAllEditors');
      for (const target of targets) {
        await shutdownIfLive(api, target);
      }
      await scratch.dispose();
    });

    test('contexts() reports the kind of a file, an untitled buffer, an agent and a named context', async () => {
      const file = await scratch.file('kinds.py', 'x = 1\n');
      await vscode.window.showTextDocument(file);
      const untitled = await vscode.workspace.openTextDocument({ language: 'python', content: 'y = 2\n' });
      targets.push(file, untitled.uri);
      try {
        for (const target of [file, untitled.uri, AGENT, NAMED]) {
          assert.equal((await api.execute(target, '1')).status, 'ok', String(target));
        }
      } finally {
        // Closed unsaved now, so the suite's end asks nothing about it.
        await vscode.window.showTextDocument(untitled);
        await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
      }
      assert.equal(findContext(api, file)?.kind, 'file');
      assert.equal(findContext(api, untitled.uri)?.kind, 'untitled');
      assert.equal(findContext(api, AGENT)?.kind, 'agent');
      assert.equal(findContext(api, NAMED)?.kind, 'named');
      // A string that is a document's URI names that document's context, not a named one beside it.
      await api.execute(file.toString(), '2');
      assert.equal(api.contexts().filter((c) => c.id === findContext(api, file)?.id).length, 1);
      assert.equal(findContext(api, file)?.kind, 'file');
      // A file's context has __file__ set and runs in the file's folder.
      assert.equal(plainText(await api.execute(file, PROBE)), `True ${path.dirname(file.fsPath)}`);
    });

    test("a notebook is one context of kind notebook, set up alike from the notebook and from a cell's editor", async () => {
      await requireNotebookSurface();
      const uri = await writeNotebook(scratch, 'kinds.ipynb', [PROBE]);
      targets.push(uri);
      const editor = await showNotebook(uri);
      await selectKernel(editor, 'python3');
      const notebook = editor.notebook;
      const fromNotebook = cellText(await runCellAndWait(notebook, 0)).trim();
      // As in Jupyter: no __file__, the notebook's folder as working directory.
      assert.equal(fromNotebook, `False ${path.dirname(uri.fsPath)}`);
      assert.equal(findContext(api, uri)?.kind, 'notebook');

      // A run from the cell's text editor resolves the cell's document to its notebook (as Shift+Enter in it does).
      const cellDoc = notebook.cellAt(0).document;
      const fromCell = plainText(await api.execute(cellDoc.uri, PROBE));
      assert.equal(fromCell, fromNotebook, "the cell's editor set the notebook's kernel up differently");
      // ...and the notebook, run again, still sees the same set-up.
      assert.equal(cellText(await runCellAndWait(notebook, 0)).trim(), fromNotebook);
      const listed = api.contexts().filter((c) => c.kind === 'notebook' && findContext(api, uri)?.id === c.id);
      assert.equal(listed.length, 1);
      assert.equal(findContext(api, cellDoc.uri), undefined, 'a cell must not get a context of its own');
    });
  });
}
