import * as assert from 'node:assert/strict';
import type * as vscode from 'vscode';
import { EDITOR_WAIT_MS, LastEditor, STARTUP_MS, type EditorWindow } from '../../../src/editor/lastEditor';

/** A window whose active editor the test sets, firing the change event as VS Code does. */
class FakeWindow implements EditorWindow {
  activeTextEditor: vscode.TextEditor | undefined;
  visibleTextEditors: vscode.TextEditor[] = [];
  private readonly listeners = new Set<(e: vscode.TextEditor | undefined) => unknown>();

  onDidChangeActiveTextEditor(listener: (e: vscode.TextEditor | undefined) => unknown): vscode.Disposable {
    this.listeners.add(listener);
    return { dispose: () => this.listeners.delete(listener) };
  }

  activate(editor: vscode.TextEditor | undefined): void {
    this.activeTextEditor = editor;
    if (editor && !this.visibleTextEditors.includes(editor)) {
      this.visibleTextEditors.push(editor);
    }
    this.listeners.forEach((l) => l(editor));
  }
}

const editorOf = (name: string) => ({ document: { fileName: name } }) as unknown as vscode.TextEditor;

describe('LastEditor: the editor a run command acts on', () => {
  it('keeps the last active editor while it is visible, and drops it when it is not', () => {
    const window = new FakeWindow();
    const last = new LastEditor(window);
    const a = editorOf('a.py');
    window.activate(a);
    window.activate(undefined); // a results panel opening beside it
    assert.equal(last.current(), a);
    window.visibleTextEditors = [];
    assert.equal(last.current(), undefined);
    last.dispose();
  });

  it('right after activation, waits for the editor the host learns about later (a key pressed after a reload)', async () => {
    const window = new FakeWindow();
    const last = new LastEditor(window);
    const a = editorOf('a.py');
    const pending = last.soon();
    setTimeout(() => window.activate(a), 20);
    assert.equal(await pending, a);
    last.dispose();
  });

  it('once started, answers at once when no editor is open, unless asked to wait (runKey)', async () => {
    const window = new FakeWindow();
    let now = 1_000;
    const last = new LastEditor(window, () => now);
    now += STARTUP_MS;
    const started = Date.now();
    assert.equal(await last.soon(), undefined);
    assert.ok(Date.now() - started < EDITOR_WAIT_MS / 2, 'a palette command with no editor waited');
    const a = editorOf('a.py');
    const waited = last.soon(true);
    setTimeout(() => window.activate(a), 20);
    assert.equal(await waited, a);
    last.dispose();
  });

  it('gives up after EDITOR_WAIT_MS with no editor', async function () {
    this.timeout(EDITOR_WAIT_MS + 2_000);
    const last = new LastEditor(new FakeWindow());
    const started = Date.now();
    assert.equal(await last.soon(), undefined);
    assert.ok(Date.now() - started >= EDITOR_WAIT_MS - 50);
    last.dispose();
  });
});
