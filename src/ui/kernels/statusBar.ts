import * as vscode from 'vscode';
import type { ContextSpecBuilder } from '../../workbench/contextSpecBuilder';
import type { ServerCatalog } from '../../workbench/serverCatalog';
import { environmentOfKernel, kernelDisplayName, serverKernelLabel } from '../../python/pythonEnvironment';
import { LOCAL_SERVER } from '../../jupyter/types';
import type { ContextInfo, IContextRegistry, KernelState } from '../../kernels/types';
import { HUB_STOPPED_WORDS } from './kernelsViewText';

const icons: Record<KernelState, string> = {
  'not-started': '$(circle-outline)',
  starting: '$(loading~spin)',
  idle: '$(circle-filled)',
  busy: '$(loading~spin)',
  restarting: '$(loading~spin)',
  reconnecting: '$(plug)',
  dead: '$(error)',
  shutdown: '$(circle-slash)',
};

/**
 * Text of the status item for a context (or for an editor whose context has no kernel yet): `server · kernelspec:
 * state`, with the project environment between them when it runs in one: `local · .venv (3.13) · python3: idle`.
 */
export function statusText(info: Pick<ContextInfo, 'kernelName' | 'state' | 'server'>, hubStopped = false): string {
  const kernel = serverKernelLabel(info);
  if (hubStopped) {
    return `$(debug-stop) ${kernel}: ${HUB_STOPPED_WORDS}`;
  }
  const state = info.state === 'not-started' ? 'not started' : info.state === 'dead' ? 'kernel died' : info.state;
  return `${icons[info.state]} ${kernel}: ${state}`;
}

/** Which servers their hub stopped, and when that changes. */
export type ServerNotices = Pick<ServerCatalog, 'stoppedReason' | 'onDidChangeServerStatus'>;

/**
 * Shows which kernel the active editor's (or notebook's) context uses and its state; a click opens the kernel
 * actions. Hidden for editors we do not run.
 */
export class KernelStatusBar implements vscode.Disposable {
  /** What the item shows now (text, tooltip, error colour), to skip updates that change nothing. */
  private lastShown: string | undefined;
  private readonly item = vscode.window.createStatusBarItem(
    'kernelIslands.status',
    vscode.StatusBarAlignment.Left,
    100,
  );
  private readonly subs: vscode.Disposable[] = [];

  constructor(
    private readonly registry: IContextRegistry,
    private readonly contexts: ContextSpecBuilder,
    private readonly isRunnable: (doc: vscode.TextDocument) => boolean,
    private readonly notices?: ServerNotices,
    /** Fires when environments appear or go (a document's environment may change before its first run). */
    onDidChangeEnvironments?: vscode.Event<void>,
  ) {
    this.item.name = 'Kernel Islands';
    this.item.command = 'kernelIslands.kernelActions';
    this.subs.push(
      this.item,
      vscode.window.onDidChangeActiveTextEditor(() => this.update()),
      vscode.window.onDidChangeActiveNotebookEditor(() => this.update()),
      registry.onDidChangeContexts(() => this.update()),
      ...(onDidChangeEnvironments ? [onDidChangeEnvironments(() => this.update())] : []),
    );
    if (notices) {
      this.subs.push(notices.onDidChangeServerStatus(() => this.update()));
    }
    this.update();
  }

  update(): void {
    const spec = this.activeSpec();
    if (!spec) {
      this.item.hide();
      this.lastShown = undefined;
      return;
    }
    const info = this.registry.get(spec.id);
    const shown = info ?? {
      kernelName: spec.kernelName ?? 'kernel',
      state: 'not-started' as const,
      // The builder names the default server; a spec without one shows `local`, as it always did.
      server: spec.server ?? LOCAL_SERVER,
    };
    const stopped = this.notices?.stoppedReason(shown.server);
    const text = statusText(shown, stopped !== undefined);
    const environment = environmentOfKernel(shown.kernelName);
    const tooltip =
      `**Kernel Islands** — ${spec.label}\n\nServer: \`${shown.server}\`` +
      (environment ? `\n\nEnvironment: ${environment.label}, \`${environment.python}\`` : '') +
      `\n\nKernel: \`${kernelDisplayName(shown.kernelName)}\`` +
      (info ? ` (id \`${info.kernelId.slice(0, 8)}\`)` : '') +
      `\n\nState: ${shown.state}` +
      (stopped ? `\n\n${stopped}. The next run offers to start it again.` : '') +
      (info?.attachedTo ? `\n\nShares the kernel of \`${info.attachedTo}\`` : '') +
      '\n\nClick for kernel actions.';
    const error = shown.state === 'dead' || stopped !== undefined;
    // Every change of every context calls this; each property set is a message to the workbench, which then draws
    // the status bar again: set only what changed (a run of 1+1 in another context changes nothing here).
    const shownNow = JSON.stringify([text, tooltip, error]);
    if (shownNow === this.lastShown) {
      return;
    }
    this.lastShown = shownNow;
    this.item.text = text;
    this.item.tooltip = new vscode.MarkdownString(tooltip);
    this.item.backgroundColor = error ? new vscode.ThemeColor('statusBarItem.errorBackground') : undefined;
    this.item.show();
  }

  private activeSpec() {
    const notebook = vscode.window.activeNotebookEditor;
    const editor = vscode.window.activeTextEditor;
    if (editor && this.isRunnable(editor.document)) {
      return this.contexts.forDocument(editor.document);
    }
    if (notebook) {
      return this.contexts.forNotebook(notebook.notebook);
    }
    return undefined;
  }

  dispose(): void {
    this.subs.splice(0).forEach((s) => s.dispose());
  }
}
