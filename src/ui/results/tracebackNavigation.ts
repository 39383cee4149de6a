import * as vscode from 'vscode';
import type { RunLocations } from '../../editor/runLocations';
import type { TracebackRef } from './tracebackLinks';

/**
 * Opens what a traceback line points at: a file on disk at its line, or the document line that ran as
 * `Cell In [n], line m` in this context. Says clearly when the code did not come from a document.
 */
export async function openTracebackTarget(
  contextId: string,
  ref: TracebackRef,
  locations: RunLocations,
): Promise<void> {
  let uri: vscode.Uri;
  let line: number;
  if (ref.kind === 'file') {
    uri = vscode.Uri.file(ref.path);
    line = ref.line - 1;
  } else {
    const target = locations.resolve(contextId, ref.executionCount, ref.line);
    if (!target) {
      void vscode.window.showInformationMessage(
        `Kernel Islands: execution [${ref.executionCount}] did not run from a file in this editor session, so there is no line to open.`,
      );
      return;
    }
    uri = vscode.Uri.parse(target.uri);
    line = target.line;
  }
  const doc = await vscode.workspace.openTextDocument(uri);
  const safeLine = Math.max(0, Math.min(line, doc.lineCount - 1));
  const range = doc.lineAt(safeLine).range;
  const shown = vscode.window.visibleTextEditors.find((e) => e.document === doc);
  await vscode.window.showTextDocument(doc, {
    viewColumn: shown?.viewColumn ?? vscode.ViewColumn.One,
    selection: new vscode.Selection(range.start, range.end),
    preserveFocus: false,
  });
}
