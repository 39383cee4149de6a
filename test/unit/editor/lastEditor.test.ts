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

/**
 * Calls `fn` with `setTimeout` recording each timer instead of arming it: the delays asked for, and a way to fire
 * each one. No test here waits on the clock.
 */
function recordingTimers<T>(fn: () => T): { value: T; timers: Array<{ ms: number | undefined; fire: () => void }> } {
  const real = globalThis.setTimeout;
  const timers: Array<{ ms: number | undefined; fire: () => void }> = [];
  globalThis.setTimeout = ((fire: () => void, ms?: number) => {
    timers.push({ ms, fire });
    return real(() => undefined, 0);
  }) as typeof setTimeout;
  try {
    return { value: fn(), timers };
  } finally {
    globalThis.setTimeout = real;
  }
}

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
    window.activate(a);
    assert.equal(await pending, a);
    last.dispose();
  });

  it('once started, answers at once when no editor is open, unless asked to wait (runKey)', async () => {
    const window = new FakeWindow();
    let now = 1_000;
    const last = new LastEditor(window, () => now);
    now += STARTUP_MS;
    const atOnce = recordingTimers(() => last.soon());
    assert.deepEqual(atOnce.timers, [], 'a palette command with no editor waited');
    assert.equal(await atOnce.value, undefined);
    const a = editorOf('a.py');
    const waited = last.soon(true);
    window.activate(a);
    assert.equal(await waited, a);
    last.dispose();
  });

  it('gives up after EDITOR_WAIT_MS with no editor', async () => {
    const last = new LastEditor(new FakeWindow());
    const { value, timers } = recordingTimers(() => last.soon());
    assert.deepEqual(
      timers.map((t) => t.ms),
      [EDITOR_WAIT_MS],
    );
    timers[0].fire();
    assert.equal(await value, undefined);
    last.dispose();
  });
});
