/**
 * Run Selection from two editors: each document runs in its own kernel, so the same variable holds different
 * values side by side; with an empty selection the current line runs and the cursor moves down.
 */
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { KernelIslandsApi } from '../../types/kernel-islands';
import { ScratchFolder, findContext, getApi, plainText, shutdownIfLive } from './util';
import { waitFor } from '../shared/poll';

const RUN_SELECTION = 'kernelIslands.runSelection';

/** Focuses `doc` in `column` and selects `range` (an empty range puts the cursor there). */
async function focus(doc: vscode.TextDocument, column: vscode.ViewColumn, range: vscode.Range) {
  const editor = await vscode.window.showTextDocument(doc, { viewColumn: column, preserveFocus: false });
  editor.selection = new vscode.Selection(range.start, range.end);
  await waitFor(`${doc.fileName} to be the active editor`, () => vscode.window.activeTextEditor === editor);
  return editor;
}

/** Runs the current line (empty selection) and waits for the cursor to move to the next line. */
async function runLineAndAdvance(doc: vscode.TextDocument, column: vscode.ViewColumn, line: number) {
  const editor = await focus(doc, column, new vscode.Range(line, 0, line, 0));
  await vscode.commands.executeCommand(RUN_SELECTION);
  await waitFor(
    `the cursor to move from line ${line} to line ${line + 1} in ${doc.fileName}`,
    () => editor.selection.isEmpty && editor.selection.active.line === line + 1,
  );
}

export function editorTests(): void {
  suite('two editors, Run Selection', () => {
    const scratch = new ScratchFolder();
    let api: KernelIslandsApi;
    let docA: vscode.TextDocument;
    let docB: vscode.TextDocument;

    suiteSetup(async () => {
      api = await getApi();
      docA = await vscode.workspace.openTextDocument(await scratch.file('island_a.py', 'x = 1\ny = x * 10\n'));
      docB = await vscode.workspace.openTextDocument(await scratch.file('island_b.py', 'x = 2\ny = x * 10\n'));
    });

    suiteTeardown(async () => {
      await vscode.commands.executeCommand('workbench.action.closeAllEditors');
      for (const doc of [docA, docB]) {
        if (doc) {
          await shutdownIfLive(api, doc.uri);
        }
      }
      await scratch.dispose();
    });

    test('a selection runs in its own editor’s kernel', async () => {
      await focus(docA, vscode.ViewColumn.One, docA.lineAt(0).range);
      await vscode.commands.executeCommand(RUN_SELECTION);
      await focus(docB, vscode.ViewColumn.Two, docB.lineAt(0).range);
      await vscode.commands.executeCommand(RUN_SELECTION);

      assert.equal(plainText(await api.execute(docA.uri, 'x')), '1');
      assert.equal(plainText(await api.execute(docB.uri, 'x')), '2');
    });

    test('an empty selection runs the line and moves the cursor down', async () => {
      // Line 1 is `y = x * 10`: y is None until that line runs in each document's kernel.
      await api.execute(docA.uri, 'x = 1\ny = None');
      await api.execute(docB.uri, 'x = 2\ny = None');
      await runLineAndAdvance(docA, vscode.ViewColumn.One, 1);
      await runLineAndAdvance(docB, vscode.ViewColumn.Two, 1);
      // The runs above went to the same per-context queue as these reads, so they have finished by now.
      assert.equal(plainText(await api.execute(docA.uri, 'y')), '10');
      assert.equal(plainText(await api.execute(docB.uri, 'y')), '20');
    });

    test('each document is its own context with its own kernel', () => {
      const a = findContext(api, docA.uri);
      const b = findContext(api, docB.uri);
      assert.ok(a, `contexts() should list ${docA.uri.toString()}`);
      assert.ok(b, `contexts() should list ${docB.uri.toString()}`);
      assert.notEqual(a.kernelId, b.kernelId);
    });
  });
}
