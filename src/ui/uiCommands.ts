import * as vscode from 'vscode';
import { contextIdFromArg } from '../workbench/contextArg';
import type { ErrorReporter } from '../workbench/reportError';
import { commandRegistrar } from '../workbench/reportedCommands';
import type { ContextSpecBuilder } from '../workbench/contextSpecBuilder';
import { contextKindOfId, labelForId } from '../kernels/contextSpec';
import type { IContextRegistry } from '../kernels/types';
import { showKernelActions } from './kernels/kernelActions';
import type { ResultsPanels } from './results/resultsPanel';

/** Brings a context into view: its document or notebook when it has one, else its results panel. */
async function reveal(contextId: string, panels: ResultsPanels): Promise<void> {
  const notebook = vscode.workspace.notebookDocuments.find((nb) => nb.uri.toString() === contextId);
  if (notebook) {
    await vscode.window.showNotebookDocument(notebook);
    return;
  }
  const doc = vscode.workspace.textDocuments.find((d) => d.uri.toString() === contextId);
  if (doc) {
    await vscode.window.showTextDocument(doc);
    return;
  }
  // A saved file or notebook that is closed opens again; an untitled one is gone, and a name has no editor.
  const kind = contextKindOfId(contextId);
  if (kind === 'file') {
    await vscode.window.showTextDocument(vscode.Uri.parse(contextId));
  } else if (kind === 'notebook' && vscode.Uri.parse(contextId).scheme !== 'untitled') {
    await vscode.window.showNotebookDocument(await vscode.workspace.openNotebookDocument(vscode.Uri.parse(contextId)));
  } else {
    panels.show(contextId, false);
  }
}

/**
 * Registers the UI commands: the status bar's kernel actions quick pick, showing/clearing results, opening a
 * truncated run's full text, and revealing a context from the Kernels view. Failures go to `report`.
 */
export function registerUiCommands(
  registry: IContextRegistry,
  contexts: ContextSpecBuilder,
  panels: ResultsPanels,
  report: ErrorReporter,
): vscode.Disposable {
  const command = commandRegistrar(report);
  const targetId = (arg: unknown) => contextIdFromArg(arg) ?? contexts.active()?.id;
  return vscode.Disposable.from(
    command('kernelIslands.showResults', (arg?: unknown) => {
      const id = targetId(arg);
      if (id) {
        panels.show(id, false);
      }
    }),
    command('kernelIslands.focusConsole', (arg?: unknown) => {
      const id = targetId(arg);
      if (id) {
        panels.focusConsole(id);
      } else {
        void vscode.window.showInformationMessage(
          'Kernel Islands: open a file or notebook first; its console runs code in its own kernel.',
        );
      }
    }),
    command('kernelIslands.clearResults', (arg?: unknown) => {
      const id = targetId(arg);
      if (id) {
        panels.clear(id);
      }
    }),
    command('kernelIslands.openFullOutput', async (runId?: unknown) => {
      if (typeof runId === 'number') {
        await panels.openFullText(runId);
      }
    }),
    command('kernelIslands.revealContext', async (arg?: unknown) => {
      const id = contextIdFromArg(arg);
      if (id) {
        await reveal(id, panels);
      }
    }),
    command('kernelIslands.kernelActions', () => showKernelActions(registry, contexts)),
    command('kernelIslands.useServerPython', async (arg?: unknown) => {
      const id = targetId(arg);
      if (!id) {
        return;
      }
      // The kernel (if any) ran in the environment; the next run starts one on the server's Python.
      contexts.useServerPython(id);
      await registry.shutdown(id);
      void vscode.window.showInformationMessage(
        `Kernel Islands: ${labelForId(id)} runs in the server's Python from its next run (this context only).`,
      );
    }),
  );
}
