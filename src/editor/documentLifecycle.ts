import * as vscode from 'vscode';
import { LOCAL_SERVER } from '../jupyter/types';
import type { IContextRegistry } from '../kernels/types';

/** Tab inputs that show a document or notebook by URI. */
function uriOfTab(tab: vscode.Tab): vscode.Uri | undefined {
  const input = tab.input;
  if (input instanceof vscode.TabInputText || input instanceof vscode.TabInputNotebook) {
    return input.uri;
  }
  if (input instanceof vscode.TabInputTextDiff) {
    return input.modified;
  }
  return undefined;
}

function openUris(): Set<string> {
  const uris = new Set<string>();
  for (const group of vscode.window.tabGroups.all) {
    for (const tab of group.tabs) {
      const uri = uriOfTab(tab);
      if (uri) {
        uris.add(uri.toString());
      }
    }
  }
  return uris;
}

/**
 * Ties document contexts to their editors: when the last tab showing a document or notebook closes, its local kernel
 * is shut down after `kernelIslands.shutdownDelaySeconds` (kernels on remote servers keep running); reopening it within that time keeps the kernel. Renaming a
 * file moves its context (and kernel) to the new name.
 */
export function watchDocumentLifecycle(registry: IContextRegistry, shutdownDelayMs: () => number): vscode.Disposable {
  const subs = [
    vscode.window.tabGroups.onDidChangeTabs((e) => {
      const open = openUris();
      for (const tab of e.closed) {
        const uri = uriOfTab(tab);
        const id = uri?.toString();
        const info = id ? registry.get(id) : undefined;
        // A remote kernel is the user's, on their server: it stays until they shut it down (Kernels view).
        if (id && !open.has(id) && info && (info.server ?? LOCAL_SERVER) === LOCAL_SERVER) {
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
