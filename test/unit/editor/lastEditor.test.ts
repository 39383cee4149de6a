import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { EDITOR_WAIT_MS, LastEditor, STARTUP_MS } from '../../../src/editor/lastEditor';
import { FakeTimer } from '../fakeTimer';
import { vscodeDouble } from '../withVscodeDouble';

/** Makes `editor` the active one (visible too), firing the change event as VS Code does. */
function activate(editor: vscode.TextEditor | undefined): void {
  vscodeDouble.activeTextEditor = editor;
  if (editor && !vscodeDouble.visibleTextEditors.includes(editor)) {
    vscodeDouble.visibleTextEditors.push(editor);
  }
  vscodeDouble.events.activeTextEditor.fire(editor);
}

const editorOf = (name: string) => ({ document: { fileName: name } }) as unknown as vscode.TextEditor;

describe('LastEditor: the editor a run command acts on', () => {
  it('keeps the last active editor while it is visible, and drops it when it is not', () => {
    const last = new LastEditor(vscode.window);
    const a = editorOf('a.py');
    activate(a);
    activate(undefined); // a results panel opening beside it
    assert.equal(last.current(), a);
    vscodeDouble.visibleTextEditors = [];
    assert.equal(last.current(), undefined);
    last.dispose();
  });

  it('right after activation, waits for the editor the host learns about later (a key pressed after a reload)', async () => {
    const last = new LastEditor(vscode.window);
    const a = editorOf('a.py');
    const pending = last.soon();
    activate(a);
    assert.equal(await pending, a);
    last.dispose();
  });

  it('once started, answers at once when no editor is open, unless asked to wait (runKey)', async () => {
    const timer = new FakeTimer();
    const last = new LastEditor(vscode.window, { timer, now: timer.clock });
    timer.advance(STARTUP_MS);
    const atOnce = last.soon();
    assert.equal(timer.pendingCount, 0, 'a palette command with no editor waited');
    assert.equal(await atOnce, undefined);
    const a = editorOf('a.py');
    const waited = last.soon(true);
    activate(a);
    assert.equal(await waited, a);
    last.dispose();
  });

  it('gives up after EDITOR_WAIT_MS with no editor', async () => {
    const timer = new FakeTimer();
    const last = new LastEditor(vscode.window, { timer, now: timer.clock });
    const value = last.soon();
    assert.deepEqual(timer.pendingDelays, [EDITOR_WAIT_MS]);
    timer.advance(EDITOR_WAIT_MS);
    assert.equal(await value, undefined);
    last.dispose();
  });
});
