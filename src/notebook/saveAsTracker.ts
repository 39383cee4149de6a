/**
 * Keeps a notebook's kernel through Save As. VS Code gives the saved notebook a new document (new URI) and closes
 * the old one, with no event that links the two; a closed notebook with a kernel and a newly opened notebook with
 * the very same cells, moments apart, are the same notebook. File renames are handled by the document lifecycle.
 */
import * as vscode from 'vscode';
import type { Logger } from '../common/log';
import type { IContextRegistry } from '../kernels/types';
import type { NotebookRunner } from './notebookRunner';
import { labelForId } from '../kernels/contextSpec';
import { JUPYTER_NOTEBOOK_TYPE } from './notebookControllers';

/** How far apart the close and the open of one Save As may be. */
const MATCH_WINDOW_MS = 5_000;

interface Seen {
  id: string;
  signature: string;
  at: number;
}

/** The cells' kinds and text: what Save As keeps identical. */
function signature(notebook: vscode.NotebookDocument): string {
  return notebook
    .getCells()
    .map((cell) => `${cell.kind}:${cell.document.getText()}`)
    .join('\u0000');
}

export class SaveAsTracker implements vscode.Disposable {
  private closed: Seen[] = [];
  private opened: Seen[] = [];
  private readonly subscriptions: vscode.Disposable[];

  constructor(
    private readonly registry: IContextRegistry,
    private readonly runner: NotebookRunner,
    private readonly logger: Logger,
    private readonly now: () => number = Date.now,
  ) {
    this.subscriptions = [
      vscode.workspace.onDidCloseNotebookDocument((nb) => this.onClosed(nb)),
      vscode.workspace.onDidOpenNotebookDocument((nb) => this.onOpened(nb)),
      vscode.workspace.onDidSaveNotebookDocument((nb) => this.onOpened(nb)),
    ];
  }

  dispose(): void {
    for (const sub of this.subscriptions.splice(0)) {
      sub.dispose();
    }
  }

  private onClosed(notebook: vscode.NotebookDocument): void {
    const id = notebook.uri.toString();
    if (notebook.notebookType !== JUPYTER_NOTEBOOK_TYPE || !this.registry.get(id)) {
      return;
    }
    this.prune();
    const seen = { id, signature: signature(notebook), at: this.now() };
    const target = this.opened.find((o) => o.signature === seen.signature && o.id !== id && this.isFree(o.id));
    const doc = target && vscode.workspace.notebookDocuments.find((nb) => nb.uri.toString() === target.id);
    if (doc) {
      this.move(id, doc);
    } else {
      this.closed.push(seen);
    }
  }

  private onOpened(notebook: vscode.NotebookDocument): void {
    const id = notebook.uri.toString();
    if (notebook.notebookType !== JUPYTER_NOTEBOOK_TYPE || !this.isFree(id)) {
      return;
    }
    this.prune();
    const sig = signature(notebook);
    const source = this.closed.find((c) => c.signature === sig && c.id !== id && this.isOrphan(c.id));
    if (source) {
      this.move(source.id, notebook);
    } else if (!this.opened.some((o) => o.id === id)) {
      this.opened.push({ id, signature: sig, at: this.now() });
    }
  }

  /** Moves the old notebook's context (and kernel) to the new notebook, which is open, so no shutdown is due. */
  private move(oldId: string, notebook: vscode.NotebookDocument): void {
    const newId = notebook.uri.toString();
    this.closed = this.closed.filter((c) => c.id !== oldId);
    this.opened = this.opened.filter((o) => o.id !== newId);
    try {
      this.registry.rename(oldId, newId, labelForId(newId));
      this.registry.cancelScheduledShutdown(newId);
      this.runner.moved(oldId, notebook);
      this.logger.info(`Notebook kernel moved with Save As: ${oldId} → ${newId}`);
    } catch (err) {
      this.logger.warn(`Could not move the kernel of ${oldId} to ${newId}: ${String(err)}`);
    }
  }

  /** No context yet for this notebook id. */
  private isFree(id: string): boolean {
    return !this.registry.get(id);
  }

  /** A context whose notebook is no longer open. */
  private isOrphan(id: string): boolean {
    return (
      this.registry.get(id) !== undefined && !vscode.workspace.notebookDocuments.some((nb) => nb.uri.toString() === id)
    );
  }

  private prune(): void {
    const since = this.now() - MATCH_WINDOW_MS;
    this.closed = this.closed.filter((c) => c.at >= since);
    this.opened = this.opened.filter((o) => o.at >= since);
  }
}
