import * as vscode from 'vscode';
import * as path from 'node:path';
import { environmentKernelName, environmentOfKernel, serverKernelLabel } from '../python/pythonEnvironment';
import { labelForId } from '../kernels/contextSpec';
import type { IContextRegistry } from '../kernels/types';
import { LOCAL_SERVER } from '../jupyter/types';
import type { ContextSpecBuilder } from '../workbench/contextSpecBuilder';
import type { KernelSpecChoice, KernelSpecListing } from '../kernels/kernelSpecs';

interface SpecItem extends vscode.QuickPickItem {
  choice?: KernelSpecChoice;
}

/** Picker items grouped by server (`remote-a · python3`), with a line for each server that could not be asked. */
function specItems(listing: KernelSpecListing, current: { server?: string; kernelName?: string }): SpecItem[] {
  const items: SpecItem[] = [];
  const servers = [...new Set([...listing.choices.map((c) => c.server), ...listing.unavailable.map((u) => u.server)])];
  for (const server of servers) {
    items.push({ label: server, kind: vscode.QuickPickItemKind.Separator });
    for (const c of listing.choices.filter((x) => x.server === server)) {
      const isCurrent = c.server === current.server && c.name === current.kernelName;
      const environment = environmentOfKernel(c.name);
      const description = environment ? `Python environment · ${environment.python}` : c.displayName;
      items.push({
        choice: c,
        label: serverKernelLabel({ server: c.server, kernelName: c.name }),
        description: isCurrent ? `${description} (current)` : description,
        detail: environment ? 'python' : c.language,
      });
    }
    for (const u of listing.unavailable.filter((x) => x.server === server)) {
      items.push({ label: `$(warning) ${server} is unavailable`, detail: u.reason });
    }
  }
  return items;
}

/**
 * `server:kernel` or just `kernel` (on the context's current server), as scripts and tests pass it; an interpreter's
 * absolute path picks that Python environment (on the local server).
 */
function findScripted(listing: KernelSpecListing, scripted: string, server: string): KernelSpecChoice {
  if (path.isAbsolute(scripted)) {
    return { server: 'local', name: environmentKernelName(scripted), displayName: scripted, language: 'python' };
  }
  const cut = scripted.lastIndexOf(':');
  const want = cut > 0 ? { server: scripted.slice(0, cut), name: scripted.slice(cut + 1) } : { server, name: scripted };
  const found = listing.choices.find((c) => c.server === want.server && c.name === want.name);
  if (!found) {
    const down = listing.unavailable.find((u) => u.server === want.server);
    if (down) {
      throw new Error(down.reason);
    }
    const available = listing.choices.filter((c) => c.server === want.server).map((c) => c.name);
    throw new Error(
      `Unknown kernelspec "${want.name}" on server "${want.server}". Available kernelspecs: ${available.join(', ') || 'none'}.`,
    );
  }
  return found;
}

/**
 * Lets the user choose the server and kernelspec of the active document's context. The choice holds for this
 * document from its next kernel start; when a kernel already runs, the user may restart into the new one right
 * away. A caller that names the kernelspec (`scripted`, `python3` or `remote-a:python3`) is not asked anything:
 * a running kernel restarts into it.
 */
export async function selectKernel(
  registry: IContextRegistry,
  contexts: ContextSpecBuilder,
  listSpecs: () => Promise<KernelSpecListing>,
  editor: vscode.TextEditor,
  scripted?: string,
): Promise<void> {
  const doc = editor.document;
  const spec = contexts.forDocument(doc);
  const known = registry.get(spec.id);
  const current = { server: known?.server ?? spec.server, kernelName: known?.kernelName ?? spec.kernelName };
  // A spec names its server (the builder gives it the default one); one without it shows `local`.
  const currentServer = current.server ?? LOCAL_SERVER;
  const listing = await listSpecs();
  if (listing.choices.length === 0 && listing.unavailable.length === 0) {
    throw new Error('The Jupyter server lists no kernelspecs. Install a kernel, e.g. `python3 -m ipykernel install`.');
  }
  const picked = scripted
    ? findScripted(listing, scripted, currentServer)
    : (
        await vscode.window.showQuickPick(specItems(listing, current), {
          title: `Kernel Islands: kernel for ${spec.label}`,
          placeHolder: `Now: ${serverKernelLabel({ server: currentServer, kernelName: current.kernelName ?? 'default' })}`,
        })
      )?.choice;
  if (!picked) {
    return;
  }
  contexts.chooseKernel(doc.uri, picked.name, picked.server);
  const info = registry.get(spec.id);
  if (!info) {
    return;
  }
  const running = info.state !== 'not-started' && info.state !== 'dead' && info.state !== 'shutdown';
  const changed = info.kernelName !== picked.name || info.server !== picked.server;
  if (running && changed && !scripted) {
    const target = serverKernelLabel({ server: picked.server, kernelName: picked.name });
    const restart = 'Restart into ' + target;
    const answer = await vscode.window.showWarningMessage(
      `${spec.label} runs ${serverKernelLabel(info)}. Restart it as ${target} now? Its variables are lost.`,
      restart,
      'At Next Start',
    );
    if (answer !== restart) {
      return;
    }
  }
  // The context is recreated from the document's spec on its next run, with the chosen kernelspec.
  await registry.shutdown(spec.id);
  if (running) {
    await registry.getOrStart(contexts.forDocument(doc));
  }
}

interface ContextItem extends vscode.QuickPickItem {
  id: string;
}

/**
 * Lets the active document's context share another context's kernel (a notebook's, an agent's) on purpose.
 * A caller may name the target context id (`scripted`) instead of picking it.
 */
export async function attachToContext(
  registry: IContextRegistry,
  contexts: ContextSpecBuilder,
  editor: vscode.TextEditor,
  scripted?: string,
): Promise<void> {
  const spec = contexts.forDocument(editor.document);
  if (scripted) {
    registry.attach(spec.id, scripted);
    return;
  }
  const others = registry.list().filter((c) => c.id !== spec.id && c.attachedTo !== spec.id);
  if (others.length === 0) {
    void vscode.window.showInformationMessage('Kernel Islands: no other context has a kernel to share.');
    return;
  }
  const items: ContextItem[] = others.map((c) => ({
    id: c.id,
    label: c.label === c.id ? labelForId(c.id) : c.label,
    description: `${c.kernelName} · ${c.state}`,
    detail: c.id,
  }));
  const picked = await vscode.window.showQuickPick(items, {
    title: `Kernel Islands: share a kernel with ${spec.label}`,
    placeHolder: 'Runs from this editor go to the chosen context’s kernel until you detach',
  });
  if (picked) {
    registry.attach(spec.id, picked.id);
    void vscode.window.showInformationMessage(
      `Kernel Islands: ${spec.label} now runs in the kernel of ${picked.label}. Detach to get its own kernel back.`,
    );
  }
}

/** Ends sharing: the active document's context runs in its own kernel again. */
export function detach(registry: IContextRegistry, contexts: ContextSpecBuilder, editor: vscode.TextEditor): void {
  const spec = contexts.forDocument(editor.document);
  const info = registry.get(spec.id);
  if (!info?.attachedTo) {
    void vscode.window.showInformationMessage(`Kernel Islands: ${spec.label} does not share another kernel.`);
    return;
  }
  registry.detach(spec.id);
  void vscode.window.showInformationMessage(`Kernel Islands: ${spec.label} runs in its own kernel again.`);
}
