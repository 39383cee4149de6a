import * as vscode from 'vscode';
import type { ContextSpecBuilder } from '../../workbench/contextSpecBuilder';
import type { IContextRegistry } from '../../kernels/types';

interface Action extends vscode.QuickPickItem {
  command: string;
}

/** The quick pick behind the status bar item: what can be done with the active context's kernel. */
export async function showKernelActions(registry: IContextRegistry, contexts: ContextSpecBuilder): Promise<void> {
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
  if (vscode.window.activeTextEditor && !vscode.window.activeNotebookEditor) {
    actions.push({ label: '$(server-environment) Select Kernel…', command: 'kernelIslands.selectKernel' });
  }
  actions.push({ label: '$(output) Show Results', command: 'kernelIslands.showResults' });
  const picked = await vscode.window.showQuickPick(actions, {
    title: `Kernel Islands — ${spec.label}: ${info ? `${info.kernelName} (${info.state})` : 'no kernel yet'}`,
  });
  if (picked) {
    await vscode.commands.executeCommand(picked.command);
  }
}
