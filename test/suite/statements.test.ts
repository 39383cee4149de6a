/**
 * Statement-aware Shift+Enter in a real host: with no selection the whole top-level statement at the cursor runs,
 * and the cursor moves to the next statement, skipping blank lines and comments; with the setting off the line runs.
 */
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { KernelIslandsApi } from '../../types/kernel-islands';
import { ScratchFolder, getApi, plainText, shutdownIfLive } from './util';
import { waitFor } from '../shared/poll';

const SCRIPT = [
  '@staticmethod', // 0
  'def double(v):', // 1
  '    return v * 2', // 2
  '', // 3
  '# a note between statements', // 4
  '', // 5
  'total = double(', // 6
  '    21,', // 7
  ')', // 8
  'if total > 40:', // 9
  '    size = "big"', // 10
  'else:', // 11
  '    size = "small"', // 12
  '',
].join('\n');

export function statementTests(): void {
  suite('statement-aware Shift+Enter', () => {
    const scratch = new ScratchFolder();
    let api: KernelIslandsApi;
    let doc: vscode.TextDocument;
    let editor: vscode.TextEditor;

    /** Puts the cursor on `line`, presses Run Selection and waits for the cursor to reach `next`. */
    async function press(line: number, next: number) {
      editor.selection = new vscode.Selection(line, 0, line, 0);
      await vscode.commands.executeCommand('kernelIslands.runSelection');
      await waitFor(
        `the cursor to move from line ${line} to line ${next}`,
        () => editor.selection.active.line === next,
      );
    }

    suiteSetup(async () => {
      api = await getApi();
      doc = await vscode.workspace.openTextDocument(await scratch.file('statement_suite.py', SCRIPT));
      editor = await vscode.window.showTextDocument(doc);
    });

    suiteTeardown(async () => {
      await vscode.workspace
        .getConfiguration('kernelIslands')
        .update('run.statementAware', undefined, vscode.ConfigurationTarget.Global);
      await vscode.commands.executeCommand('workbench.action.closeAllEditors');
      if (doc) {
        await shutdownIfLive(api, doc.uri);
      }
      await scratch.dispose();
    });

    test('from a decorator: the decorated def runs, and the cursor skips the comment to the next statement', async () => {
      await press(0, 6);
      assert.equal(plainText(await api.execute(doc.uri, 'double(5)')), '10');
    });

    test('from inside a multi-line call, then an if/else from its else line', async () => {
      await press(7, 9);
      await press(11, 13);
      assert.equal(plainText(await api.execute(doc.uri, '(total, size)')), "(42, 'big')");
    });

    test('with kernelIslands.run.statementAware off, the line runs', async () => {
      await vscode.workspace
        .getConfiguration('kernelIslands')
        .update('run.statementAware', false, vscode.ConfigurationTarget.Global);
      await api.execute(doc.uri, 'size = None');
      // Line 12 alone (`    size = "small"`) runs dedented; the statement would have run the whole if/else.
      await press(12, 13);
      assert.equal(plainText(await api.execute(doc.uri, 'size')), "'small'");
    });
  });
}
