/**
 * Every cell this extension ran keeps its execution count in the saved `.ipynb`.
 *
 * VS Code's ipynb extension copies a cell's execution order into its `execution_count` metadata (the field it
 * saves) when a notebook change event says the cell ended. When one event reports several cells (a Run All of quick
 * cells, or a busy extension host batching events), it builds one WorkspaceEdit with `set(uri, …)` per cell, and
 * each `set` replaces the one before: only the last cell keeps its count. Seen in code-server 4.139: a Run All of
 * quick cells, saved at once, wrote `"execution_count": null` for all but one.
 * So this extension writes the counts its cells' metadata misses itself, in one edit per notebook.
 */
import * as vscode from 'vscode';
import { JUPYTER_NOTEBOOK_TYPE } from './notebookControllers';

/** The cells of `notebook` whose metadata misses their execution order, with the metadata to set. */
function missingExecutionCounts(
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

/**
 * Keeps the execution counts of notebooks for which `ranHere` is true in their cells' metadata: once a run ends (one
 * edit per notebook for all the cells that ended together, so none replaces another), and again before a save, for
 * a count an edit of the ipynb extension cleared in between.
 */
export function keepExecutionCounts(ranHere: (notebook: vscode.NotebookDocument) => boolean): vscode.Disposable {
  const pending = new Map<vscode.NotebookDocument, ReturnType<typeof setTimeout>>();
  const write = (notebook: vscode.NotebookDocument) => {
    pending.delete(notebook);
    const edit = countsEdit(notebook, ranHere);
    if (edit) {
      void vscode.workspace.applyEdit(edit);
    }
  };
  const ended = vscode.workspace.onDidChangeNotebookDocument((e) => {
    const finished = e.cellChanges.some((c) => typeof c.executionSummary?.success === 'boolean');
    if (finished && !pending.has(e.notebook)) {
      // After the current batch of change events: the cells that end together get one edit.
      pending.set(
        e.notebook,
        setTimeout(() => write(e.notebook), 0),
      );
    }
  });
  const saving = vscode.workspace.onWillSaveNotebookDocument((e) => {
    const edit = countsEdit(e.notebook, ranHere);
    if (edit) {
      e.waitUntil(Promise.resolve(edit));
    }
  });
  return new vscode.Disposable(() => {
    ended.dispose();
    saving.dispose();
    for (const timer of pending.values()) {
      clearTimeout(timer);
    }
    pending.clear();
  });
}

/** One edit that adds every missing count of `notebook`, or undefined when none is missing or it is not ours. */
function countsEdit(
  notebook: vscode.NotebookDocument,
  ranHere: (notebook: vscode.NotebookDocument) => boolean,
): vscode.WorkspaceEdit | undefined {
  if (notebook.isClosed || notebook.notebookType !== JUPYTER_NOTEBOOK_TYPE || !ranHere(notebook)) {
    return undefined;
  }
  const missing = missingExecutionCounts(notebook);
  if (missing.length === 0) {
    return undefined;
  }
  const edit = new vscode.WorkspaceEdit();
  // One `set` with every cell's edit: a second `set` for the same notebook would replace the first.
  edit.set(
    notebook.uri,
    missing.map(({ index, metadata }) => vscode.NotebookEdit.updateCellMetadata(index, metadata)),
  );
  return edit;
}
