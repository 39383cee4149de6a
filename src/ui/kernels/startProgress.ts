import * as vscode from 'vscode';
import type { Disposable } from '../../common/disposable';
import { realTimer } from '../../kernels/timer';
import type { ContextChangeEvent, IContextRegistry, Timer } from '../../kernels/types';

/** Kernel starts quicker than this show no notification (the warm pool makes most starts instant). */
const SHOW_AFTER_MS = 500;

/** What the start notification needs besides the registry. */
interface StartProgressOptions {
  /**
   * True while a server shows its own start: a hub server's progress, or its Start Again question. The kernel's
   * notification waits until then, so there is one notification at a time and the question stays the newest.
   */
  serverShowsStart?: (server: string) => boolean;
  timer?: Timer;
}

/**
 * Shows a progress notification while a context's kernel starts, once the start has taken longer than ~0.5 s
 * (not counting the time its server showed its own start), and until the kernel is ready or failed.
 */
export function showStartProgress(registry: IContextRegistry, options: StartProgressOptions = {}): vscode.Disposable {
  const timer = options.timer ?? realTimer;
  const serverShowsStart = options.serverShowsStart ?? (() => false);
  const pending = new Map<string, Disposable>();
  const waiters = new Map<string, () => void>();

  const finish = (id: string) => {
    pending.get(id)?.dispose();
    pending.delete(id);
    waiters.get(id)?.();
    waiters.delete(id);
  };

  const showLater = (id: string, title: string, server: string) => {
    pending.set(
      id,
      timer.setTimeout(() => {
        if (serverShowsStart(server)) {
          showLater(id, title, server);
          return;
        }
        pending.delete(id);
        void vscode.window.withProgress(
          { location: vscode.ProgressLocation.Notification, title },
          () => new Promise<void>((resolve) => waiters.set(id, resolve)),
        );
      }, SHOW_AFTER_MS),
    );
  };

  const onChange = (e: ContextChangeEvent) => {
    const { id, state, label, kernelName, server } = e.context;
    if (e.type !== 'removed' && state === 'starting') {
      if (!pending.has(id) && !waiters.has(id)) {
        showLater(id, `Kernel Islands: starting ${kernelName} kernel for ${label}…`, server);
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
