import * as vscode from 'vscode';
import { cellIndexAt } from './cells';
import type { DocumentCells } from './documentCells';

/**
 * A subtle background on the cell that holds the cursor, in documents with cell markers, so it is clear what
 * Ctrl+Enter will run. Uses the theme's "current line" colour family, so it stays faint in every theme.
 */
export function highlightCurrentCell(cells: DocumentCells, languages: () => readonly string[]): vscode.Disposable {
  const type = vscode.window.createTextEditorDecorationType({
    isWholeLine: true,
    backgroundColor: new vscode.ThemeColor('editor.rangeHighlightBackground'),
  });
  const update = (editor: vscode.TextEditor | undefined) => {
    if (!editor) {
      return;
    }
    const parsed = languages().includes(editor.document.languageId) ? cells.tryOf(editor.document) : undefined;
    if (!parsed?.hasMarkers) {
      editor.setDecorations(type, []);
      return;
    }
    const cell = parsed.cells[cellIndexAt(parsed.cells, editor.selection.active.line)];
    editor.setDecorations(type, [new vscode.Range(cell.startLine, 0, cell.endLine, 0)]);
  };
  update(vscode.window.activeTextEditor);
  return vscode.Disposable.from(
    type,
    vscode.window.onDidChangeActiveTextEditor(update),
    vscode.window.onDidChangeTextEditorSelection((e) => update(e.textEditor)),
    vscode.workspace.onDidChangeTextDocument((e) => {
      const editor = vscode.window.activeTextEditor;
      if (editor?.document === e.document) {
        update(editor);
      }
    }),
  );
}
