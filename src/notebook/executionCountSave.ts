/**
 * Every cell this extension ran keeps its execution count in the saved `.ipynb`.
 *
 * VS Code's ipynb extension copies a cell's execution order into its `execution_count` metadata (the field it
 * saves) after a 200 ms debounce. When several cells end within one debounce, it builds one WorkspaceEdit with
 * `set(uri, …)` per cell, and each `set` replaces the one before: only the last cell keeps its count. Seen in
 * code-server 4.139: a Run All of quick cells, saved at once, wrote `"execution_count": null` for all but one.
 * Before a notebook this extension runs is saved, the counts its cells' metadata misses are added.
 */
import * as vscode from 'vscode';
import { JUPYTER_NOTEBOOK_TYPE } from './notebookControllers';

/** The cells of `notebook` whose metadata misses their execution order, with the metadata to set. */
export function missingExecutionCounts(
  notebook: vscode.NotebookDocument,
): { index: number; metadata: Record<string, unknown> }[] {
  return notebook.getCells().flatMap((cell) => {
    const order = cell.executionSummary?.executionOrder;
    // A finished run only, as the ipynb extension does: a running cell is saved as it was.
    const finished = typeof cell.executionSummary?.success === 'boolean';
    if (cell.kind !== vscode.NotebookCellKind.Code || order === undefined || !finished) {
      return [];
    }
    const metadata = cell.metadata as Record<string, unknown>;
    return metadata.execution_count === order
      ? []
      : [{ index: cell.index, metadata: { ...metadata, execution_count: order } }];
  });
}

/** Adds the missing execution counts before saving a Jupyter notebook for which `ranHere` is true. */
export function saveExecutionCounts(ranHere: (notebook: vscode.NotebookDocument) => boolean): vscode.Disposable {
  return vscode.workspace.onWillSaveNotebookDocument((e) => {
    if (e.notebook.notebookType !== JUPYTER_NOTEBOOK_TYPE || !ranHere(e.notebook)) {
      return;
    }
    const missing = missingExecutionCounts(e.notebook);
    if (missing.length === 0) {
      return;
    }
    const edit = new vscode.WorkspaceEdit();
    // One `set` with every cell's edit: a second `set` for the same notebook would replace the first.
    edit.set(
      e.notebook.uri,
      missing.map(({ index, metadata }) => vscode.NotebookEdit.updateCellMetadata(index, metadata)),
    );
    e.waitUntil(Promise.resolve(edit));
  });
}
