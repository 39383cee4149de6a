import * as vscode from 'vscode';
import { contextKindOfId } from '../kernels/contextSpec';
import type { DocumentCells } from './documentCells';

/** Context key: the active editor's language is one Kernel Islands runs (`kernelIslands.languages`). */
export const OWNS_LANGUAGE_KEY = 'kernelIslands.ownsLanguage';
/**
 * Context key: set once the keys above are, at activation. Until then (a window reload activates extensions a few
 * seconds after the editors are back) Shift+Enter and Ctrl+Enter go to `kernelIslands.runKey` for the default
 * languages, instead of inserting a line.
 */
export const ACTIVATED_KEY = 'kernelIslands.activated';
/** Context key: the active editor's document has cell markers (`# %%`), so Shift+Enter runs cells. */
export const HAS_CELLS_KEY = 'kernelIslands.hasCells';

/** Keeps the keybinding context keys in step with the active editor, its edits and the settings. */
export function watchEditorContextKeys(
  cells: DocumentCells,
  languages: () => readonly string[],
  onDidChangeSettings: (listener: () => void) => vscode.Disposable,
): vscode.Disposable {
  let owns: boolean | undefined;
  let hasCells: boolean | undefined;
  const update = () => {
    const editor = vscode.window.activeTextEditor;
    const doc = editor?.document;
    const nextOwns = !!doc && isRunnableScheme(doc.uri) && languages().includes(doc.languageId);
    const nextCells = nextOwns && !!doc && (cells.tryOf(doc)?.hasMarkers ?? false);
    // setContext is a round trip to the renderer: only send changes.
    if (nextOwns !== owns) {
      owns = nextOwns;
      void vscode.commands.executeCommand('setContext', OWNS_LANGUAGE_KEY, owns);
    }
    if (nextCells !== hasCells) {
      hasCells = nextCells;
      void vscode.commands.executeCommand('setContext', HAS_CELLS_KEY, hasCells);
    }
  };
  update();
  // After the keys above: a context key update is a message to the renderer, and they arrive in order.
  void vscode.commands.executeCommand('setContext', ACTIVATED_KEY, true);
  return vscode.Disposable.from(
    vscode.window.onDidChangeActiveTextEditor(update),
    vscode.workspace.onDidChangeTextDocument((e) => {
      if (e.document === vscode.window.activeTextEditor?.document) {
        update();
      }
    }),
    vscode.workspace.onDidOpenTextDocument(update),
    onDidChangeSettings(update),
  );
}

/**
 * Documents we run: files (local, remote, virtual) and untitled buffers; never notebook cells (the notebook runs
 * them), output or git views.
 */
export function isRunnableScheme(uri: vscode.Uri): boolean {
  const kind = contextKindOfId(uri.toString());
  return kind === 'file' || kind === 'untitled';
}
