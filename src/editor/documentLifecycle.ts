import * as vscode from 'vscode';
import { openTabUris, uriOfTab } from '../workbench/openTabs';
import { LOCAL_SERVER } from '../jupyter/types';
import type { IContextRegistry } from '../kernels/types';

/**
 * Ties document contexts to their editors: when the last tab showing a document or notebook closes, its local kernel
 * is shut down after `kernelIslands.shutdownDelaySeconds` (kernels on remote servers keep running); reopening it within that time keeps the kernel. Renaming a
 * file moves its context (and kernel) to the new name.
 */
export function watchDocumentLifecycle(
  registry: IContextRegistry,
  shutdownDelayMs: () => number,
  /** Called when the last tab of a document closes (an untitled buffer's choices must not outlive it). */
  onLastTabClosed: (id: string) => void = () => undefined,
): vscode.Disposable {
  const subs = [
    vscode.window.tabGroups.onDidChangeTabs((e) => {
      const open = openTabUris();
      for (const tab of e.closed) {
        const uri = uriOfTab(tab);
        const id = uri?.toString();
        if (id && !open.has(id)) {
          onLastTabClosed(id);
        }
        const info = id ? registry.get(id) : undefined;
        // A remote kernel is the user's, on their server: it stays until they shut it down (Kernels view).
        if (id && !open.has(id) && info && info.server === LOCAL_SERVER) {
          registry.scheduleShutdown(id, shutdownDelayMs());
        }
      }
      for (const tab of e.opened) {
        const id = uriOfTab(tab)?.toString();
        if (id && registry.get(id)) {
          registry.cancelScheduledShutdown(id);
        }
      }
    }),
    vscode.workspace.onDidRenameFiles((e) => {
      for (const { oldUri, newUri } of e.files) {
        renameUnder(registry, oldUri.toString(), newUri.toString());
      }
    }),
  ];
  return vscode.Disposable.from(...subs);
}

/** Renames the context of a file, or of every file under a renamed folder. */
function renameUnder(registry: IContextRegistry, oldId: string, newId: string): void {
  for (const ctx of registry.list()) {
    if (ctx.id === oldId) {
      registry.rename(oldId, newId);
    } else if (ctx.id.startsWith(`${oldId}/`)) {
      registry.rename(ctx.id, newId + ctx.id.slice(oldId.length));
    }
  }
}
