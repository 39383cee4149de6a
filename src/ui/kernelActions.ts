import * as vscode from 'vscode';
import type { DocumentContexts } from '../editor/documentContexts';
import type { IContextRegistry } from '../kernels/types';
import type { ResultsPanels } from './resultsPanel';

interface Action extends vscode.QuickPickItem {
  command: string;
}

/** Registers the UI commands: the status bar's kernel actions quick pick, and showing/clearing results. */
export function registerUiCommands(
  registry: IContextRegistry,
  contexts: DocumentContexts,
  panels: ResultsPanels,
): vscode.Disposable {
  const activeId = () => contexts.active()?.id;
  return vscode.Disposable.from(
    vscode.commands.registerCommand('kernelIslands.showResults', () => {
      const id = activeId();
      if (id) {
        panels.show(id, false);
      }
    }),
    vscode.commands.registerCommand('kernelIslands.clearResults', () => {
      const id = activeId();
      if (id) {
        panels.clear(id);
      }
    }),
    vscode.commands.registerCommand('kernelIslands.kernelActions', async () => {
      const spec = contexts.active();
      if (!spec) {
        return;
      }
      const info = registry.get(spec.id);
      const actions: Action[] = [];
      if (info) {
        actions.push(
          { label: '$(debug-stop) Interrupt Kernel', command: 'kernelIslands.interruptKernel' },
          { label: '$(debug-restart) Restart Kernel', command: 'kernelIslands.restartKernel' },
          { label: '$(circle-slash) Shut Down Kernel', command: 'kernelIslands.shutdownKernel' },
        );
      }
      actions.push({ label: '$(output) Show Results', command: 'kernelIslands.showResults' });
      const picked = await vscode.window.showQuickPick(actions, {
        title: `Kernel Islands — ${spec.label}: ${info ? `${info.kernelName} (${info.state})` : 'no kernel yet'}`,
      });
      if (picked) {
        await vscode.commands.executeCommand(picked.command);
      }
    }),
  );
}
