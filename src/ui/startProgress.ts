import * as vscode from 'vscode';
import type { ContextChangeEvent, IContextRegistry } from '../kernels/types';

/** Kernel starts quicker than this show no notification (the warm pool makes most starts instant). */
const SHOW_AFTER_MS = 500;

/**
 * Shows a progress notification while a context's kernel starts, once the start has taken longer than ~0.5 s,
 * and until the kernel is ready or failed.
 */
export function showStartProgress(registry: IContextRegistry): vscode.Disposable {
  const pending = new Map<string, NodeJS.Timeout>();
  const waiters = new Map<string, () => void>();

  const finish = (id: string) => {
    const timer = pending.get(id);
    if (timer) {
      clearTimeout(timer);
      pending.delete(id);
    }
    waiters.get(id)?.();
    waiters.delete(id);
  };

  const onChange = (e: ContextChangeEvent) => {
    const { id, state, label, kernelName } = e.context;
    if (e.type !== 'removed' && state === 'starting') {
      if (!pending.has(id) && !waiters.has(id)) {
        pending.set(
          id,
          setTimeout(() => {
            pending.delete(id);
            void vscode.window.withProgress(
              {
                location: vscode.ProgressLocation.Notification,
                title: `Kernel Islands: starting ${kernelName} kernel for ${label}…`,
              },
              () => new Promise<void>((resolve) => waiters.set(id, resolve)),
            );
          }, SHOW_AFTER_MS),
        );
      }
      return;
    }
    finish(id);
  };

  const sub = registry.onDidChangeContexts(onChange);
  return new vscode.Disposable(() => {
    sub.dispose();
    for (const id of [...pending.keys(), ...waiters.keys()]) {
      finish(id);
    }
  });
}
