import * as vscode from 'vscode';
import type { Logger } from '../common/log';
import type { IContextRegistry } from '../kernels/types';
import type { DocumentContexts } from './documentContexts';
import { reportCommandError } from './reportError';
import { inputBoxStdin, runSelection } from './runSelection';

/** Runs a command body; failures become one clear error message instead of a rejected command. */
export function guarded<A extends unknown[], R>(
  log: Logger,
  showLog: () => void,
  body: (...args: A) => Promise<R>,
): (...args: A) => Promise<R | undefined> {
  return async (...args: A) => {
    try {
      return await body(...args);
    } catch (err) {
      return reportCommandError(err, log, showLog);
    }
  };
}

/**
 * Registers the editor commands. Each acts on the active editor's context (a notebook cell's editor acts on its
 * notebook's context).
 */
export function registerEditorCommands(
  registry: IContextRegistry,
  contexts: DocumentContexts,
  log: Logger,
  showLog: () => void,
): vscode.Disposable {
  const withActive = (action: (id: string, label: string) => Promise<void>) =>
    guarded(log, showLog, async () => {
      const spec = contexts.active();
      if (!spec || !registry.get(spec.id)) {
        void vscode.window.showInformationMessage(
          spec ? `Kernel Islands: ${spec.label} has no kernel yet.` : 'Kernel Islands: no active editor.',
        );
        return;
      }
      await action(spec.id, spec.label);
    });

  return vscode.Disposable.from(
    vscode.commands.registerCommand(
      'kernelIslands.runSelection',
      guarded(log, showLog, () => runSelection(registry, contexts, inputBoxStdin)),
    ),
    vscode.commands.registerCommand(
      'kernelIslands.interruptKernel',
      withActive((id) => registry.interrupt(id)),
    ),
    vscode.commands.registerCommand(
      'kernelIslands.restartKernel',
      withActive(async (id, label) => {
        await registry.restart(id);
        void vscode.window.showInformationMessage(
          `Kernel Islands: restarted the kernel of ${label}; its state is cleared.`,
        );
      }),
    ),
    vscode.commands.registerCommand(
      'kernelIslands.shutdownKernel',
      withActive((id) => registry.shutdown(id)),
    ),
  );
}
