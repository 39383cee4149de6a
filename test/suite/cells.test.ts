/**
 * The editor's run commands on a `# %%` file, in the real extension host: Run Cell (from a lens's arguments and
 * from the cursor), Run Above, Run Below, Run Cell and Advance, Run Line, Run File; and an R file in an R kernel.
 */
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { KernelIslandsApi } from '../../types/kernel-islands';
import { ScratchFolder, findContext, getApi, plainText, shutdownIfLive } from './util';
import { waitFor } from '../shared/poll';

const CELLS = [
  'import os', // 0: code before the first marker is a cell too
  '# %% one',
  'steps = ["one"]',
  '',
  '# %% two',
  'steps.append("two")',
  '',
  '# %% three',
  'steps.append("three")',
].join('\n');

async function show(doc: vscode.TextDocument, line: number): Promise<vscode.TextEditor> {
  const editor = await vscode.window.showTextDocument(doc, { preview: false });
  editor.selection = new vscode.Selection(line, 0, line, 0);
  await waitFor('the editor to be active', () => vscode.window.activeTextEditor === editor);
  return editor;
}

export function cellTests(): void {
  suite('cells and run commands', () => {
    const scratch = new ScratchFolder();
    let api: KernelIslandsApi;
    let doc: vscode.TextDocument;
    const steps = async () => plainText(await api.execute(doc.uri, 'print(",".join(steps))'));

    suiteSetup(async () => {
      api = await getApi();
      doc = await vscode.workspace.openTextDocument(await scratch.file('island_cells.py', CELLS));
    });

    suiteTeardown(async () => {
      await vscode.commands.executeCommand('workbench.action.closeAllEditors');
      await shutdownIfLive(api, doc.uri);
      await scratch.dispose();
    });

    test('Run Cell with a lens’s arguments runs that cell, wherever the cursor is', async () => {
      await show(doc, 8);
      await vscode.commands.executeCommand('kernelIslands.runCell', doc.uri, 1);
      assert.equal(await steps(), 'one');
    });

    test('Run Cell from the cursor, then Run Above starts over from the top', async () => {
      await show(doc, 5);
      await vscode.commands.executeCommand('kernelIslands.runCell');
      await vscode.commands.executeCommand('kernelIslands.runCell');
      assert.equal(await steps(), 'one,two,two');
      await show(doc, 8);
      await vscode.commands.executeCommand('kernelIslands.runAbove');
      assert.equal(await steps(), 'one,two');
    });

    test('Run Below runs the cell and every cell after it', async () => {
      await show(doc, 2);
      await vscode.commands.executeCommand('kernelIslands.runBelow');
      assert.equal(await steps(), 'one,two,three');
    });

    test('Run Cell and Advance moves the cursor to the next cell’s code', async () => {
      const editor = await show(doc, 2);
      await vscode.commands.executeCommand('kernelIslands.runCellAndAdvance');
      assert.equal(editor.selection.active.line, 5);
      assert.equal(await steps(), 'one');
    });

    test('Run Line runs only the current line and leaves the cursor', async () => {
      const editor = await show(doc, 8);
      await vscode.commands.executeCommand('kernelIslands.runLine');
      assert.equal(editor.selection.active.line, 8);
      assert.equal(await steps(), 'one,three');
    });

    test('Run File runs the whole document', async () => {
      await show(doc, 0);
      await vscode.commands.executeCommand('kernelIslands.runFile');
      assert.equal(await steps(), 'one,two,three');
    });

    test('the keys pressed before activation (runKey): Shift+Enter runs the cell and advances, Ctrl+Enter stays', async () => {
      const editor = await show(doc, 2);
      await vscode.commands.executeCommand('kernelIslands.runKey', { key: 'shift+enter' });
      assert.equal(editor.selection.active.line, 5, 'Shift+Enter in a file with cells moves to the next cell');
      await vscode.commands.executeCommand('kernelIslands.runKey', { key: 'ctrl+enter' });
      assert.equal(editor.selection.active.line, 5, 'Ctrl+Enter leaves the cursor');
      assert.equal(await steps(), 'one,two');
    });

    test('runKey in a language that is not in kernelIslands.languages runs nothing', async () => {
      const text = await vscode.workspace.openTextDocument({ language: 'plaintext', content: 'print("no")\n' });
      try {
        await show(text, 0);
        await vscode.commands.executeCommand('kernelIslands.runKey', { key: 'shift+enter' });
        assert.equal(findContext(api, text.uri), undefined, 'a plain text buffer got a context');
        assert.equal(text.getText(), 'print("no")\n', 'the buffer changed');
      } finally {
        await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
      }
    });

    test('a cell that fails stops Run Below at that cell', async () => {
      const failing = await vscode.workspace.openTextDocument(
        await scratch.file('island_fail.py', '# %%\nreached = ["a"]\n# %%\n1/0\n# %%\nreached.append("c")\n'),
      );
      try {
        await show(failing, 1);
        await vscode.commands.executeCommand('kernelIslands.runBelow');
        assert.equal(plainText(await api.execute(failing.uri, 'print(reached)')), "['a']");
      } finally {
        await shutdownIfLive(api, failing.uri);
      }
    });
  });

  suite('R files', () => {
    const scratch = new ScratchFolder();
    let api: KernelIslandsApi;
    let doc: vscode.TextDocument;

    suiteSetup(async () => {
      api = await getApi();
      doc = await vscode.workspace.openTextDocument(await scratch.file('island.R', 'x <- c(1, 2, 3)\nmean(x) * 7\n'));
    });

    suiteTeardown(async () => {
      await vscode.commands.executeCommand('workbench.action.closeAllEditors');
      await shutdownIfLive(api, doc.uri);
      await scratch.dispose();
    });

    test('Shift+Enter’s command in an R file starts the R kernel (ir) for that file', async () => {
      assert.equal(doc.languageId, 'r');
      await show(doc, 0);
      await vscode.commands.executeCommand('kernelIslands.runSelection');
      assert.equal(findContext(api, doc.uri)?.kernelName, 'ir');
      assert.equal(plainText(await api.execute(doc.uri, 'mean(x) * 7')), '[1] 14');
    });
  });

  suite('select kernel, attach and detach', () => {
    const scratch = new ScratchFolder();
    const agent = 'agent:suite-share';
    let api: KernelIslandsApi;
    let doc: vscode.TextDocument;

    suiteSetup(async () => {
      api = await getApi();
      doc = await vscode.workspace.openTextDocument(
        await scratch.file('island_share.py', 'shared += 1\nprint("shared" in dir())\n'),
      );
    });

    suiteTeardown(async () => {
      await vscode.commands.executeCommand('workbench.action.closeAllEditors');
      await shutdownIfLive(api, doc.uri);
      await shutdownIfLive(api, agent);
      await scratch.dispose();
    });

    test('attach runs the file in another context’s kernel; detach gives it its own again', async () => {
      await api.execute(agent, 'shared = 1');
      await show(doc, 0);
      await vscode.commands.executeCommand('kernelIslands.attachToContext', doc.uri, agent);
      assert.equal(findContext(api, doc.uri)?.kernelId, findContext(api, agent)?.kernelId);
      await show(doc, 0);
      await vscode.commands.executeCommand('kernelIslands.runLine');
      assert.equal(plainText(await api.execute(agent, 'shared')), '2');

      await vscode.commands.executeCommand('kernelIslands.detach');
      assert.equal(plainText(await api.execute(doc.uri, '"shared" in dir()')), 'False');
      assert.notEqual(findContext(api, doc.uri)?.kernelId, findContext(api, agent)?.kernelId);
    });

    test('select kernel restarts a running context into the chosen kernelspec', async () => {
      await api.execute(doc.uri, 'y = 1');
      assert.equal(findContext(api, doc.uri)?.kernelName, 'python3');
      await show(doc, 0);
      await vscode.commands.executeCommand('kernelIslands.selectKernel', doc.uri, 'ir');
      await waitFor('the context to run ir', () => findContext(api, doc.uri)?.kernelName === 'ir', 60_000);
      assert.equal(plainText(await api.execute(doc.uri, 'R.version$language')), '[1] "R"');
    });
  });
}
