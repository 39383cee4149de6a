import * as vscode from 'vscode';
import type { DocumentContexts } from '../editor/documentContexts';
import { contextIdFromArg } from '../host/contextArg';
import type { IContextRegistry } from '../kernels/types';
import { showKernelActions } from './kernelActions';
import type { ResultsPanels } from './resultsPanel';

/** Brings a context into view: its document or notebook when it has one, else its results panel. */
async function reveal(contextId: string, panels: ResultsPanels): Promise<void> {
  const notebook = vscode.workspace.notebookDocuments.find((nb) => nb.uri.toString() === contextId);
  if (notebook) {
    await vscode.window.showNotebookDocument(notebook);
    return;
  }
  const doc = vscode.workspace.textDocuments.find((d) => d.uri.toString() === contextId);
  if (doc || contextId.startsWith('file:')) {
    await vscode.window.showTextDocument(doc?.uri ?? vscode.Uri.parse(contextId));
    return;
  }
  panels.show(contextId, false);
}

/**
 * Registers the UI commands: the status bar's kernel actions quick pick, showing/clearing results, opening a
 * truncated run's full text, and revealing a context from the Kernels view.
 */
export function registerUiCommands(
  registry: IContextRegistry,
  contexts: DocumentContexts,
  panels: ResultsPanels,
): vscode.Disposable {
  const targetId = (arg: unknown) => contextIdFromArg(arg) ?? contexts.active()?.id;
  return vscode.Disposable.from(
    vscode.commands.registerCommand('kernelIslands.showResults', (arg?: unknown) => {
      const id = targetId(arg);
      if (id) {
        panels.show(id, false);
      }
    }),
    vscode.commands.registerCommand('kernelIslands.clearResults', (arg?: unknown) => {
      const id = targetId(arg);
      if (id) {
        panels.clear(id);
      }
    }),
    vscode.commands.registerCommand('kernelIslands.openFullOutput', async (runId?: unknown) => {
      if (typeof runId === 'number') {
        await panels.openFullText(runId);
      }
    }),
    vscode.commands.registerCommand('kernelIslands.revealContext', async (arg?: unknown) => {
      const id = contextIdFromArg(arg);
      if (id) {
        await reveal(id, panels);
      }
    }),
    vscode.commands.registerCommand('kernelIslands.kernelActions', () => showKernelActions(registry, contexts)),
  );
}
