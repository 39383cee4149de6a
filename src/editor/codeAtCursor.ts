import * as vscode from 'vscode';

/** The code to run for an editor: its selections in document order, or the current line when nothing is selected. */
export function codeToRun(editor: vscode.TextEditor): { code: string; lineOnly: boolean } {
  const selections = [...editor.selections].filter((s) => !s.isEmpty);
  if (selections.length === 0) {
    return { code: editor.document.lineAt(editor.selection.active.line).text, lineOnly: true };
  }
  selections.sort((a, b) => a.start.compareTo(b.start));
  return { code: selections.map((s) => editor.document.getText(s)).join('\n'), lineOnly: false };
}

/** Moves the cursor to the start of the next line, adding an empty last line when at the end (like a REPL). */
export async function advanceToNextLine(editor: vscode.TextEditor): Promise<void> {
  const doc = editor.document;
  const line = editor.selection.active.line;
  if (line + 1 >= doc.lineCount) {
    const end = doc.lineAt(line).range.end;
    await editor.edit((edit) => edit.insert(end, '\n'), { undoStopBefore: false, undoStopAfter: false });
  }
  const next = new vscode.Position(Math.min(line + 1, doc.lineCount - 1), 0);
  editor.selection = new vscode.Selection(next, next);
  editor.revealRange(new vscode.Range(next, next));
}
