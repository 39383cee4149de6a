import * as vscode from 'vscode';
import { contextKindOfId, TEXT_DOCUMENT_SCHEMES } from '../kernels/contextSpec';
import type { DocumentCells } from './documentCells';

/**
 * Context keys for the keybindings and menus. Which editor has the focus, and its language, the renderer knows
 * itself (`editorLangId`, `resourceScheme`): the when clauses test them against these two lists, so a key pressed
 * in an editor never depends on the extension host having heard which editor is active (right after a window
 * reload, or while a results panel opens, it may report none).
 */
/** Context key: the language ids Kernel Islands runs (`kernelIslands.languages`). */
const LANGUAGES_KEY = 'kernelIslands.languages';
/** Context key: the URI schemes of text documents that run in a context of their own. */
const SCHEMES_KEY = 'kernelIslands.runnableSchemes';
/**
 * Context key: set once the keys above are, at activation. Until then (a window reload activates extensions a few
 * seconds after the editors are back) Shift+Enter and Ctrl+Enter go to `kernelIslands.runKey` for the default
 * languages, instead of inserting a line.
 */
const ACTIVATED_KEY = 'kernelIslands.activated';
/**
 * Context key: the active text editor's document has cell markers (`# %%`), so Shift+Enter runs cells. Kept while
 * no text editor is active: the keys that read it also need a focused text editor, which is then the last one.
 */
const HAS_CELLS_KEY = 'kernelIslands.hasCells';

/** Keeps the keybinding context keys in step with the settings, and `hasCells` with the active editor and its edits. */
export function watchEditorContextKeys(
  cells: DocumentCells,
  languages: () => readonly string[],
  onDidChangeSettings: (listener: () => void) => vscode.Disposable,
): vscode.Disposable {
  let owned = '';
  let hasCells: boolean | undefined;
  const setContext = (key: string, value: unknown) => void vscode.commands.executeCommand('setContext', key, value);
  const updateLanguages = () => {
    // setContext is a message to the renderer: only send changes.
    const next = JSON.stringify(languages());
    if (next !== owned) {
      owned = next;
      setContext(LANGUAGES_KEY, [...languages()]);
    }
  };
  const updateCells = () => {
    const doc = vscode.window.activeTextEditor?.document;
    if (!doc) {
      return;
    }
    const next =
      isRunnableScheme(doc.uri) && languages().includes(doc.languageId) && (cells.tryOf(doc)?.hasMarkers ?? false);
    if (next !== hasCells) {
      hasCells = next;
      setContext(HAS_CELLS_KEY, hasCells);
    }
  };
  setContext(SCHEMES_KEY, [...TEXT_DOCUMENT_SCHEMES]);
  updateLanguages();
  updateCells();
  // After the keys above: context key updates reach the renderer in order.
  setContext(ACTIVATED_KEY, true);
  return vscode.Disposable.from(
    vscode.window.onDidChangeActiveTextEditor(updateCells),
    vscode.workspace.onDidChangeTextDocument((e) => {
      if (e.document === vscode.window.activeTextEditor?.document) {
        updateCells();
      }
    }),
    onDidChangeSettings(() => {
      updateLanguages();
      updateCells();
    }),
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
