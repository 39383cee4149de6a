import * as vscode from 'vscode';
import { labelForId } from '../kernels/contextSpec';
import type { IContextRegistry } from '../kernels/types';
import type { DocumentContexts } from './documentContexts';
import type { KernelSpecChoice } from './kernelSpecs';

interface SpecItem extends vscode.QuickPickItem {
  name: string;
}

/**
 * Lets the user choose the kernelspec of the active document's context. The choice holds for this document
 * from its next kernel start; when a kernel already runs, the user may restart into the new one right away.
 * A caller that names the kernelspec (`scripted`) is not asked anything: a running kernel restarts into it.
 */
export async function selectKernel(
  registry: IContextRegistry,
  contexts: DocumentContexts,
  listSpecs: () => Promise<KernelSpecChoice[]>,
  editor: vscode.TextEditor,
  scripted?: string,
): Promise<void> {
  const doc = editor.document;
  const spec = contexts.forDocument(doc);
  const current = registry.get(spec.id)?.kernelName ?? spec.kernelName;
  const specs = await listSpecs();
  if (specs.length === 0) {
    throw new Error('The Jupyter server lists no kernelspecs. Install a kernel, e.g. `python3 -m ipykernel install`.');
  }
  const items: SpecItem[] = specs.map((s) => ({
    name: s.name,
    label: s.displayName,
    description: s.name === current ? `${s.name} (current)` : s.name,
    detail: s.language,
  }));
  const picked = scripted
    ? items.find((i) => i.name === scripted)
    : await vscode.window.showQuickPick(items, {
        title: `Kernel Islands: kernel for ${spec.label}`,
        placeHolder: `Now: ${current ?? 'default'}`,
      });
  if (scripted && !picked) {
    throw new Error(`Unknown kernelspec "${scripted}". Available kernelspecs: ${specs.map((s) => s.name).join(', ')}.`);
  }
  if (!picked) {
    return;
  }
  contexts.chooseKernel(doc.uri, picked.name);
  const info = registry.get(spec.id);
  if (!info) {
    return;
  }
  const running = info.state !== 'not-started' && info.state !== 'dead' && info.state !== 'shutdown';
  if (running && info.kernelName !== picked.name && !scripted) {
    const restart = 'Restart into ' + picked.label;
    const answer = await vscode.window.showWarningMessage(
      `${spec.label} runs ${info.kernelName}. Restart it as ${picked.label} now? Its variables are lost.`,
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
  contexts: DocumentContexts,
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
export function detach(registry: IContextRegistry, contexts: DocumentContexts, editor: vscode.TextEditor): void {
  const spec = contexts.forDocument(editor.document);
  const info = registry.get(spec.id);
  if (!info?.attachedTo) {
    void vscode.window.showInformationMessage(`Kernel Islands: ${spec.label} does not share another kernel.`);
    return;
  }
  registry.detach(spec.id);
  void vscode.window.showInformationMessage(`Kernel Islands: ${spec.label} runs in its own kernel again.`);
}
