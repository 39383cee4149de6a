import * as vscode from 'vscode';
import type { ContextInfo, IContextRegistry, KernelState } from '../kernels/types';
import type { KernelMemory } from './kernelMemory';
import { describeContext, displayLabel } from './kernelsViewText';

/** One row of the Kernels view; `contextId` is what the kernel commands take as their argument. */
export interface KernelNode {
  contextId: string;
  info: ContextInfo;
}

/** How often memory is re-read while the view is visible. */
const MEMORY_REFRESH_MS = 5000;

const stateIcons: Record<KernelState, string> = {
  'not-started': 'circle-outline',
  starting: 'loading~spin',
  idle: 'circle-filled',
  busy: 'loading~spin',
  restarting: 'loading~spin',
  reconnecting: 'plug',
  dead: 'error',
  shutdown: 'circle-slash',
};

/**
 * The Kernels view: every live context with its kernelspec, state, execution count and (for local kernels) the
 * kernel process's memory. Refreshes on registry changes; memory is polled only while the view is visible.
 */
export class KernelsView implements vscode.TreeDataProvider<KernelNode>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeTreeData = this.changed.event;
  private readonly view: vscode.TreeView<KernelNode>;
  private readonly subs: vscode.Disposable[] = [];
  private memory = new Map<string, number>();
  private poll: NodeJS.Timeout | undefined;

  constructor(
    private readonly registry: IContextRegistry,
    private readonly memoryReader: KernelMemory,
  ) {
    this.view = vscode.window.createTreeView('kernelIslands.kernels', {
      treeDataProvider: this,
      showCollapseAll: false,
    });
    this.subs.push(
      this.view,
      this.changed,
      registry.onDidChangeContexts(() => this.refresh()),
      this.view.onDidChangeVisibility((e) => (e.visible ? this.startPolling() : this.stopPolling())),
    );
    if (this.view.visible) {
      this.startPolling();
    }
  }

  getChildren(element?: KernelNode): KernelNode[] {
    if (element) {
      return [];
    }
    return this.registry
      .list()
      .sort((a, b) => displayLabel(a).localeCompare(displayLabel(b)))
      .map((info) => ({ contextId: info.id, info }));
  }

  getTreeItem(node: KernelNode): vscode.TreeItem {
    const { info } = node;
    const item = new vscode.TreeItem(displayLabel(info), vscode.TreeItemCollapsibleState.None);
    item.id = info.id;
    item.description = describeContext(info, this.memory.get(info.kernelId));
    item.tooltip = new vscode.MarkdownString(
      `**${displayLabel(info)}**\n\n\`${info.id}\`\n\nKernel \`${info.kernelName}\` ${info.kernelId ? `(id \`${info.kernelId}\`)` : ''}\n\n${item.description}`,
    );
    item.iconPath = new vscode.ThemeIcon(stateIcons[info.state]);
    item.contextValue = `kernelIslands.context.${info.state}`;
    item.command = { title: 'Reveal', command: 'kernelIslands.revealContext', arguments: [node] };
    return item;
  }

  refresh(): void {
    this.changed.fire();
  }

  private startPolling(): void {
    void this.readMemory();
    this.poll ??= setInterval(() => void this.readMemory(), MEMORY_REFRESH_MS);
  }

  private stopPolling(): void {
    if (this.poll) {
      clearInterval(this.poll);
      this.poll = undefined;
    }
  }

  private async readMemory(): Promise<void> {
    const ids = this.registry.list().map((c) => c.kernelId);
    const next = await this.memoryReader.read(ids).catch(() => new Map<string, number>());
    const same = next.size === this.memory.size && [...next].every(([k, v]) => this.memory.get(k) === v);
    this.memory = next;
    if (!same) {
      this.refresh();
    }
  }

  dispose(): void {
    this.stopPolling();
    this.subs.splice(0).forEach((s) => s.dispose());
  }
}
