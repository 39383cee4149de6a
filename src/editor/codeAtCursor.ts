import * as vscode from 'vscode';

/** The editor's non-empty selections as one piece of code, in document order; undefined when nothing is selected. */
export function selectedCode(
  editor: vscode.TextEditor,
): { code: string; firstLine: number; lastLine: number; count: number } | undefined {
  const selections = [...editor.selections].filter((s) => !s.isEmpty);
  if (selections.length === 0) {
    return undefined;
  }
  selections.sort((a, b) => a.start.compareTo(b.start));
  return {
    code: selections.map((s) => editor.document.getText(s)).join('\n'),
    firstLine: selections[0].start.line,
    // A selection that ends at the start of a line does not include that line.
    lastLine: Math.max(
      ...selections.map((s) => (s.end.character === 0 && s.end.line > s.start.line ? s.end.line - 1 : s.end.line)),
    ),
    count: selections.length,
  };
}

/** The text of whole lines `firstLine`..`lastLine`. */
export function linesText(doc: vscode.TextDocument, firstLine: number, lastLine: number): string {
  return doc.getText(new vscode.Range(firstLine, 0, lastLine, doc.lineAt(lastLine).text.length));
}

/**
 * Moves the cursor to the start of `line`; past the end of the document it adds an empty last line and goes there
 * (like a REPL, so Shift+Enter at the end leaves the cursor on a fresh line).
 */
export async function advanceTo(editor: vscode.TextEditor, line: number): Promise<void> {
  const doc = editor.document;
  if (line >= doc.lineCount) {
    const end = doc.lineAt(doc.lineCount - 1).range.end;
    await editor.edit((edit) => edit.insert(end, '\n'), { undoStopBefore: false, undoStopAfter: false });
  }
  const next = new vscode.Position(Math.min(line, doc.lineCount - 1), 0);
  editor.selection = new vscode.Selection(next, next);
  editor.revealRange(new vscode.Range(next, next));
}
