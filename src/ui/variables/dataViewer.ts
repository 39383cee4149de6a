import * as vscode from 'vscode';
import type { ErrorReporter } from '../../workbench/reportError';
import { commandRegistrar } from '../../workbench/reportedCommands';
import { listVariables, tablePage } from '../../kernels/inspection/kernelInspector';
import type { PathStep } from '../../kernels/inspection/inspectionProtocol';
import type { IContextRegistry } from '../../kernels/types';
import { dataViewerHtml } from './dataViewerHtml';
import type { ViewerReply, ViewerRequest } from './dataViewerMessages';
import type { VariableNode } from './variablesView';

/** A table the kernel of a context holds: a DataFrame, a 2-D array, a data.frame, reached by `path`. */
interface TableTarget {
  contextId: string;
  path: PathStep[];
  name: string;
}

/**
 * Data viewer panels: a webview table per opened value, fed by the kernel one page (~200 rows) at a time as the
 * user scrolls, sorted by the kernel. Pages are asked one after another (never two inspection runs at once), and
 * only of an idle kernel with no run queued; a busy one makes the webview ask again shortly.
 */
export class DataViewers implements vscode.Disposable {
  private readonly panels = new Set<vscode.WebviewPanel>();

  constructor(
    private readonly registry: IContextRegistry,
    private readonly extensionUri: vscode.Uri,
  ) {}

  open(target: TableTarget): void {
    const label = this.registry.get(target.contextId)?.label ?? target.contextId;
    const title = `Data: ${target.name}`;
    const panel = vscode.window.createWebviewPanel('kernelIslands.dataViewer', title, vscode.ViewColumn.Active, {
      enableScripts: true,
      retainContextWhenHidden: false,
      localResourceRoots: [vscode.Uri.joinPath(this.extensionUri, 'media')],
    });
    panel.webview.html = dataViewerHtml(panel.webview, this.extensionUri, `${target.name} — ${label}`);
    this.panels.add(panel);
    let queue = Promise.resolve();
    const post = (reply: ViewerReply) => void panel.webview.postMessage(reply);
    const sub = panel.webview.onDidReceiveMessage((msg: ViewerRequest) => {
      if (msg.type === 'ready') {
        post({ type: 'init', title });
        return;
      }
      queue = queue.then(() => this.answer(target, msg, post));
    });
    panel.onDidDispose(() => {
      sub.dispose();
      this.panels.delete(panel);
    });
  }

  dispose(): void {
    for (const panel of [...this.panels]) {
      panel.dispose();
    }
  }

  private async answer(
    target: TableTarget,
    msg: Extract<ViewerRequest, { type: 'fetch' }>,
    post: (reply: ViewerReply) => void,
  ): Promise<void> {
    const session = this.registry.idleSession(target.contextId);
    if (!session) {
      const running = this.registry.get(target.contextId) !== undefined;
      post({
        type: 'error',
        seq: msg.seq,
        message: running ? 'The kernel is busy; the rows come when it is idle…' : 'The kernel is not running.',
        retry: running,
      });
      return;
    }
    try {
      const page = await tablePage(session, target.path, msg.start, undefined, msg.sort);
      post({ type: 'page', seq: msg.seq, page });
    } catch (err) {
      post({ type: 'error', seq: msg.seq, message: err instanceof Error ? err.message : String(err), retry: false });
    }
  }
}

/**
 * The View Data command: from a Variables view row, or from the palette, where it offers the tables among the
 * variables of the active context (`activeContextId`).
 */
export function registerViewDataCommand(
  registry: IContextRegistry,
  viewers: DataViewers,
  activeContextId: () => string | undefined,
  report: ErrorReporter,
): vscode.Disposable {
  return commandRegistrar(report)('kernelIslands.viewData', async (node?: VariableNode) => {
    if (node?.kind === 'variable') {
      viewers.open({ contextId: node.contextId, path: node.path, name: node.entry.name });
      return;
    }
    const contextId = activeContextId();
    const session = contextId && registry.idleSession(contextId);
    if (!contextId || !session) {
      void vscode.window.showInformationMessage(
        'View Data needs the active file’s kernel running and idle: run some code first.',
      );
      return;
    }
    const tables = (await listVariables(session)).entries.filter((e) => e.table);
    if (tables.length === 0) {
      void vscode.window.showInformationMessage('No DataFrame, 2-D array or data.frame in this kernel.');
      return;
    }
    const picked = await vscode.window.showQuickPick(
      tables.map((e) => ({ label: e.name, description: `${e.type} ${e.size}`, entry: e })),
      { placeHolder: 'View which table?' },
    );
    if (picked) {
      viewers.open({ contextId, path: [picked.entry.step], name: picked.entry.name });
    }
  });
}
