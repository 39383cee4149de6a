import * as vscode from 'vscode';
import type { ContextSpecBuilder } from '../../workbench/contextSpecBuilder';
import type { ErrorReporter } from '../../workbench/reportError';
import { commandRegistrar } from '../../workbench/reportedCommands';
import { canInspect, listVariables } from '../../kernels/inspection/kernelInspector';
import type { PathStep, VariableEntry, VariableList } from '../../kernels/inspection/inspectionProtocol';
import type { ContextSpec, IContextRegistry } from '../../kernels/types';

/** A row of the Variables view: a variable (or a child of one), or a line of text. */
export type VariableNode =
  { kind: 'variable'; contextId: string; path: PathStep[]; entry: VariableEntry } | { kind: 'note'; text: string };

/** The row's description: the type, the shape or length, and the short value (the columns of the view). */
function variableDescription(entry: VariableEntry): string {
  return [entry.type, entry.size, entry.value].filter((part) => part !== '').join('  ·  ');
}

/** What the view shows of one context: its last listing, and whether a run happened since. */
interface ContextListing {
  list?: VariableList;
  error?: string;
  stale: boolean;
}

/**
 * The Variables view: the variables of the active editor's or notebook's context, listed by its kernel. It is
 * refreshed after each run of that context once the kernel is idle with nothing queued (never while busy), and
 * switches with the active editor. The listing is a silent query (see `kernelInspector`): it changes nothing the
 * user sees in the kernel.
 */
export class VariablesView implements vscode.TreeDataProvider<VariableNode>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<VariableNode | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  private readonly view: vscode.TreeView<VariableNode>;
  private readonly listings = new Map<string, ContextListing>();
  private readonly subs: vscode.Disposable[] = [];
  private active: ContextSpec | undefined;
  private refreshing: Promise<void> | undefined;

  constructor(
    private readonly registry: IContextRegistry,
    private readonly contexts: ContextSpecBuilder,
    /** The one error path (`workbench/reportError`): a failed Refresh reaches the user through it. */
    report: ErrorReporter,
  ) {
    this.view = vscode.window.createTreeView('kernelIslands.variables', {
      treeDataProvider: this,
      showCollapseAll: true,
    });
    this.subs.push(
      this.view,
      this.changed,
      commandRegistrar(report)('kernelIslands.refreshVariables', () => this.refresh()),
      vscode.window.onDidChangeActiveTextEditor(() => this.follow()),
      vscode.window.onDidChangeActiveNotebookEditor(() => this.follow()),
      this.view.onDidChangeVisibility(() => this.refreshIfStale()),
      registry.onDidExecute((e) => {
        if (e.type === 'end') {
          this.listingOf(e.contextId).stale = true;
          this.refreshIfStale();
        }
      }),
      registry.onDidChangeContexts((e) => {
        if (e.type === 'removed' || e.type === 'state-lost') {
          this.listings.set(e.context.id, { stale: true });
        }
        this.refreshIfStale();
      }),
    );
    this.follow();
  }

  /** The context shown now (for commands acting on the view). */
  get activeContext(): ContextSpec | undefined {
    return this.active;
  }

  /** Lists the active context again now (the view's Refresh button). */
  refresh(): void {
    if (this.active) {
      this.listingOf(this.active.id).stale = true;
      this.refreshIfStale();
    }
  }

  getTreeItem(node: VariableNode): vscode.TreeItem {
    if (node.kind === 'note') {
      const item = new vscode.TreeItem(node.text);
      item.contextValue = 'note';
      return item;
    }
    const { entry } = node;
    const item = new vscode.TreeItem(
      entry.name,
      entry.expandable ? vscode.TreeItemCollapsibleState.Collapsed : vscode.TreeItemCollapsibleState.None,
    );
    item.description = variableDescription(entry);
    item.tooltip = new vscode.MarkdownString().appendCodeblock(
      `${entry.name}: ${entry.type}${entry.size ? ` ${entry.size}` : ''}\n${entry.value}`,
      'text',
    );
    item.contextValue = entry.table ? 'variable.table' : 'variable';
    item.id = `${node.contextId}\u0000${JSON.stringify(node.path)}`;
    return item;
  }

  async getChildren(node?: VariableNode): Promise<VariableNode[]> {
    if (!node) {
      return this.rootNodes();
    }
    if (node.kind !== 'variable') {
      return [];
    }
    const session = this.registry.idleSession(node.contextId);
    if (!session) {
      return [{ kind: 'note', text: 'The kernel is busy; expand again when it is idle.' }];
    }
    try {
      return this.nodesOf(node.contextId, node.path, await listVariables(session, node.path));
    } catch (err) {
      return [{ kind: 'note', text: err instanceof Error ? err.message : String(err) }];
    }
  }

  dispose(): void {
    for (const sub of this.subs) {
      sub.dispose();
    }
  }

  private rootNodes(): VariableNode[] {
    const spec = this.active;
    if (!spec) {
      return [];
    }
    const info = this.registry.get(spec.id);
    if (!info) {
      return [{ kind: 'note', text: `No kernel is running for ${spec.label}.` }];
    }
    const listing = this.listingOf(spec.id);
    if (listing.error) {
      return [{ kind: 'note', text: listing.error }];
    }
    if (!listing.list) {
      return [{ kind: 'note', text: info.state === 'busy' ? 'Waiting for the kernel to finish…' : 'Listing…' }];
    }
    if (listing.list.entries.length === 0) {
      return [{ kind: 'note', text: 'No variables yet.' }];
    }
    return this.nodesOf(spec.id, [], listing.list);
  }

  private nodesOf(contextId: string, path: PathStep[], list: VariableList): VariableNode[] {
    const nodes: VariableNode[] = list.entries.map((entry) => ({
      kind: 'variable',
      contextId,
      path: [...path, entry.step],
      entry,
    }));
    if (list.total > list.entries.length) {
      nodes.push({ kind: 'note', text: `… ${list.total - list.entries.length} more not shown` });
    }
    return nodes;
  }

  /** Follows the active editor or notebook; a webview or an output panel keeps the last one shown. */
  private follow(): void {
    const spec = this.contexts.active();
    if (!spec || spec.id === this.active?.id) {
      return;
    }
    this.active = spec;
    this.view.description = spec.label;
    this.listingOf(spec.id).stale = true;
    this.changed.fire(undefined);
    this.refreshIfStale();
  }

  private listingOf(id: string): ContextListing {
    let listing = this.listings.get(id);
    if (!listing) {
      listing = { stale: true };
      this.listings.set(id, listing);
    }
    return listing;
  }

  /**
   * Lists the active context again if a run happened since the last listing and its kernel is idle with nothing
   * queued; otherwise the next run's end (or state change) tries again. One listing at a time.
   */
  private refreshIfStale(): void {
    const spec = this.active;
    if (!spec || this.refreshing || !this.view.visible) {
      return;
    }
    const listing = this.listingOf(spec.id);
    const session = listing.stale ? this.registry.idleSession(spec.id) : undefined;
    if (!session) {
      return;
    }
    listing.stale = false;
    this.refreshing = (async () => {
      if (!canInspect(session.language)) {
        listing.list = undefined;
        listing.error = `Variables are not available for ${session.language} kernels.`;
        return;
      }
      try {
        listing.list = await listVariables(session);
        listing.error = undefined;
      } catch (err) {
        listing.error = err instanceof Error ? err.message : String(err);
      }
    })().finally(() => {
      this.refreshing = undefined;
      this.changed.fire(undefined);
      // A run may have ended while this listing ran, or the user switched editors.
      this.refreshIfStale();
    });
  }
}
