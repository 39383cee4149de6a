import type * as vscode from 'vscode';
import { realTimer } from '../kernels/timer';
import type { Timer } from '../kernels/types';

/** The part of `vscode.window` that tells which text editor a key was pressed in. */
export interface EditorWindow {
  readonly activeTextEditor: vscode.TextEditor | undefined;
  readonly visibleTextEditors: readonly vscode.TextEditor[];
  onDidChangeActiveTextEditor(listener: (e: vscode.TextEditor | undefined) => unknown): vscode.Disposable;
}

/**
 * How long a command waits for the extension host to learn which editor is active. Right after a window reload the
 * extension activates on the key press itself (`kernelIslands.runKey`), and the host can run the command before
 * the workbench has told it about the restored editors.
 */
export const EDITOR_WAIT_MS = 3_000;

/**
 * For this long after the extension activates, a command that finds no text editor waits for one (up to
 * {@link EDITOR_WAIT_MS}); later, no editor means the user has none open, and the command says so at once.
 */
export const STARTUP_MS = 15_000;

/**
 * The text editor a run command acts on. While a results panel opens beside the editor, VS Code can report no
 * active text editor for a moment although the editor keeps the keyboard focus; a Shift+Enter pressed then (our
 * keybindings require `editorTextFocus`) still belongs to the last active editor, if it is still visible.
 */
export class LastEditor implements vscode.Disposable {
  private last: vscode.TextEditor | undefined;
  private readonly sub: vscode.Disposable;
  private readonly waiters = new Set<(e: vscode.TextEditor | undefined) => void>();
  private readonly createdAt: number;

  private readonly timer: Timer;
  private readonly now: () => number;

  constructor(
    private readonly window: EditorWindow,
    clock: { timer?: Timer; now?: () => number } = {},
  ) {
    this.timer = clock.timer ?? realTimer;
    this.now = clock.now ?? Date.now;
    this.createdAt = this.now();
    this.last = window.activeTextEditor;
    this.sub = window.onDidChangeActiveTextEditor((e) => {
      if (!e) {
        return;
      }
      this.last = e;
      for (const wake of [...this.waiters]) {
        wake(e);
      }
    });
  }

  /** The active text editor, else the last one while it is still visible. */
  current(): vscode.TextEditor | undefined {
    const active = this.window.activeTextEditor;
    if (active) {
      return active;
    }
    const last = this.last;
    return last && this.window.visibleTextEditors.includes(last) ? last : undefined;
  }

  /**
   * {@link current}, or, while the extension is starting ({@link STARTUP_MS}) or when `always` is set, the editor
   * that becomes active within {@link EDITOR_WAIT_MS}; undefined if none does.
   */
  async soon(always = false): Promise<vscode.TextEditor | undefined> {
    const editor = this.current();
    const starting = this.now() - this.createdAt < STARTUP_MS;
    if (editor || !(starting || always)) {
      return editor;
    }
    return new Promise((resolve) => {
      const done = (e: vscode.TextEditor | undefined) => {
        timer.dispose();
        this.waiters.delete(done);
        resolve(e);
      };
      const timer = this.timer.setTimeout(() => done(this.current()), EDITOR_WAIT_MS);
      this.waiters.add(done);
    });
  }

  dispose(): void {
    this.sub.dispose();
    this.waiters.clear();
  }
}
