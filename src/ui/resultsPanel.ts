import * as vscode from 'vscode';
import type { ContextChangeEvent, ExecutionEvent, IContextRegistry } from '../kernels/types';
import { ContextResults, RunView } from './resultsModel';
import { resultsHtml } from './resultsHtml';

/** How often a panel receives updates while output streams in; bounds the work per second for floods. */
const FLUSH_MS = 50;

/** One webview panel showing one context's runs. */
class ContextPanel implements vscode.Disposable {
  private readonly dirty = new Map<number, RunView>();
  private timer: NodeJS.Timeout | undefined;
  private readonly subs: vscode.Disposable[] = [];

  constructor(
    readonly panel: vscode.WebviewPanel,
    private readonly results: ContextResults,
    onDispose: () => void,
  ) {
    this.subs.push(
      panel.webview.onDidReceiveMessage((msg: { type?: string }) => {
        if (msg?.type === 'ready') {
          this.reset();
        }
      }),
      panel.onDidDispose(() => {
        this.dispose();
        onDispose();
      }),
    );
  }

  reset(): void {
    this.dirty.clear();
    void this.panel.webview.postMessage({ type: 'reset', runs: this.results.runs });
  }

  markDirty(run: RunView): void {
    this.dirty.set(run.id, run);
    this.timer ??= setTimeout(() => this.flush(), FLUSH_MS);
  }

  private flush(): void {
    this.timer = undefined;
    for (const run of this.dirty.values()) {
      void this.panel.webview.postMessage({ type: 'run', run });
    }
    this.dirty.clear();
  }

  dispose(): void {
    if (this.timer) {
      clearTimeout(this.timer);
      this.timer = undefined;
    }
    this.subs.splice(0).forEach((s) => s.dispose());
  }
}

/**
 * Keeps a results view model per context (fed by the registry's execution events) and shows it in a webview
 * panel beside the editor, one panel per context. Surfaces never call this: it observes the registry.
 */
export class ResultsPanels implements vscode.Disposable {
  private readonly results = new Map<string, ContextResults>();
  private readonly panels = new Map<string, ContextPanel>();
  private readonly subs: vscode.Disposable[] = [];

  constructor(
    private readonly registry: IContextRegistry,
    private readonly extensionUri: vscode.Uri,
    /** Sources whose runs bring the panel into view (e.g. 'editor'); API runs only update an open panel. */
    private readonly revealFor: ReadonlySet<string> = new Set(['editor']),
  ) {
    this.subs.push(
      registry.onDidExecute((e) => this.onExecute(e)),
      registry.onDidChangeContexts((e) => this.onContextChange(e)),
    );
  }

  /** Opens (or reveals) the results panel of a context. */
  show(contextId: string, preserveFocus = true): void {
    const existing = this.panels.get(contextId);
    if (existing) {
      existing.panel.reveal(undefined, preserveFocus);
      return;
    }
    const results = this.resultsOf(contextId);
    const panel = vscode.window.createWebviewPanel(
      'kernelIslands.results',
      this.titleOf(contextId),
      { viewColumn: vscode.ViewColumn.Beside, preserveFocus },
      {
        enableScripts: true,
        retainContextWhenHidden: true,
        localResourceRoots: [vscode.Uri.joinPath(this.extensionUri, 'media')],
      },
    );
    panel.webview.html = resultsHtml(panel.webview, this.extensionUri, this.titleOf(contextId));
    this.panels.set(contextId, new ContextPanel(panel, results, () => this.panels.delete(contextId)));
  }

  /** Clears a context's results (and its panel, if open). */
  clear(contextId: string): void {
    this.results.get(contextId)?.clearAll();
    this.panels.get(contextId)?.reset();
  }

  private resultsOf(contextId: string): ContextResults {
    let results = this.results.get(contextId);
    if (!results) {
      results = new ContextResults();
      this.results.set(contextId, results);
    }
    return results;
  }

  private titleOf(contextId: string): string {
    const info = this.registry.get(contextId);
    const label = info?.label ?? contextId;
    return info ? `Results: ${label} (${info.kernelName})` : `Results: ${label}`;
  }

  private onExecute(e: ExecutionEvent): void {
    const results = this.resultsOf(e.contextId);
    let run: RunView | undefined;
    if (e.type === 'start') {
      run = results.start(e.runId, e.code);
      if (this.revealFor.has(e.source)) {
        this.show(e.contextId);
      }
    } else if (e.type === 'output') {
      run = results.apply(e.runId, e.event);
    } else {
      run = results.end(e.runId, e.result);
    }
    const panel = this.panels.get(e.contextId);
    if (run && panel) {
      panel.markDirty(run);
    }
  }

  private onContextChange(e: ContextChangeEvent): void {
    const id = e.context.id;
    if (e.type === 'renamed' && e.oldId) {
      this.move(e.oldId, id);
    }
    const panel = this.panels.get(id);
    if (panel) {
      panel.panel.title = this.titleOf(id);
    }
  }

  private move(oldId: string, newId: string): void {
    const results = this.results.get(oldId);
    if (results) {
      this.results.delete(oldId);
      this.results.set(newId, results);
    }
    const panel = this.panels.get(oldId);
    if (panel) {
      this.panels.delete(oldId);
      this.panels.set(newId, panel);
    }
  }

  dispose(): void {
    this.subs.splice(0).forEach((s) => s.dispose());
    for (const panel of [...this.panels.values()]) {
      panel.panel.dispose();
    }
    this.panels.clear();
  }
}
