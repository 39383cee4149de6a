/**
 * Restart, interrupt and shut down for the notebook's own kernel: on the notebook toolbar (which passes the
 * notebook editor) and in the palette (which acts on the active notebook).
 */
import * as vscode from 'vscode';
import type { ErrorReporter } from '../workbench/reportError';
import { commandRegistrar } from '../workbench/reportedCommands';
import type { NotebookRunner } from './notebookRunner';

const NOTEBOOK_COMMANDS = {
  restart: 'kernelIslands.notebook.restartKernel',
  interrupt: 'kernelIslands.notebook.interruptKernel',
  shutdown: 'kernelIslands.notebook.shutdownKernel',
} as const;

/**
 * The notebook a command should act on: a URI or a toolbar context (`{ notebookEditor: { notebookUri } }`)
 * when given one, else the active notebook editor's.
 */
function notebookFromArgument(arg: unknown): vscode.NotebookDocument | undefined {
  const context = arg as
    { notebookEditor?: { notebookUri?: unknown }; notebookUri?: unknown; uri?: unknown } | undefined;
  const candidate = arg instanceof vscode.Uri ? arg : (context?.notebookEditor?.notebookUri ?? context?.notebookUri);
  if (candidate instanceof vscode.Uri) {
    const key = candidate.toString();
    return vscode.workspace.notebookDocuments.find((nb) => nb.uri.toString() === key);
  }
  return vscode.window.activeNotebookEditor?.notebook;
}

function noKernel(notebook: vscode.NotebookDocument): void {
  const name = notebook.uri.path.split('/').pop() ?? notebook.uri.toString();
  void vscode.window.showInformationMessage(
    `Kernel Islands: ${name} has no kernel running yet. Run a cell to start one.`,
  );
}

/** Registers the notebook kernel commands; a failure goes to `report` (the one error path). */
export function registerNotebookCommands(runner: NotebookRunner, report: ErrorReporter): vscode.Disposable {
  const command = commandRegistrar(report);
  const register = (id: string, action: (notebook: vscode.NotebookDocument) => Promise<void>) =>
    command(id, async (arg?: unknown) => {
      const notebook = notebookFromArgument(arg);
      if (!notebook) {
        void vscode.window.showWarningMessage('Kernel Islands: open a Jupyter notebook first.');
        return;
      }
      await action(notebook);
    });
  return vscode.Disposable.from(
    register(NOTEBOOK_COMMANDS.restart, async (notebook) => {
      if (!(await runner.restart(notebook))) {
        noKernel(notebook);
      }
    }),
    register(NOTEBOOK_COMMANDS.interrupt, (notebook) => runner.interrupt(notebook)),
    register(NOTEBOOK_COMMANDS.shutdown, async (notebook) => {
      if (!(await runner.shutdown(notebook))) {
        noKernel(notebook);
      }
    }),
  );
}
