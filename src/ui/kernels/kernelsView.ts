import * as vscode from 'vscode';
import type { AgentLifecycle } from '../../kernels/agentLifecycle';
import type { ContextInfo, IContextRegistry, KernelState } from '../../kernels/types';
import type { KernelMemory } from './kernelMemory';
import { describeAgentActivity, describeAgentGroup, describeContext, displayLabel } from './kernelsViewText';
import type { ServerNotices } from './statusBar';
import { kernelDisplayName } from '../../python/pythonEnvironment';

/** One row of the Kernels view; `contextId` is what the kernel commands take as their argument. */
interface KernelNode {
  contextId: string;
  info: ContextInfo;
}

/** The group that holds the agent contexts (no `contextId`: kernel commands do not apply to it). */
interface AgentGroupNode {
  group: 'agents';
}

type ViewNode = KernelNode | AgentGroupNode;

/** What the view reads of the agent contexts' lifecycle. */
type AgentView = Pick<AgentLifecycle, 'activity' | 'currentLimits'>;

const isAgent = (info: ContextInfo) => info.kind === 'agent';
const byLabel = (a: ContextInfo, b: ContextInfo) => displayLabel(a).localeCompare(displayLabel(b));

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
 * kernel process's memory; agent contexts in their own group, with their age and idle time. Refreshes on registry
 * changes; memory (and the agents' idle times) are re-read only while the view is visible.
 */
export class KernelsView implements vscode.TreeDataProvider<ViewNode>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeTreeData = this.changed.event;
  private readonly view: vscode.TreeView<ViewNode>;
  private readonly subs: vscode.Disposable[] = [];
  private memory = new Map<string, number>();
  private poll: NodeJS.Timeout | undefined;

  constructor(
    private readonly registry: IContextRegistry,
    private readonly memoryReader: KernelMemory,
    private readonly agents: AgentView,
    private readonly now: () => number = Date.now,
    private readonly notices?: ServerNotices,
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
    if (notices) {
      this.subs.push(notices.onDidChangeServerStatus(() => this.refresh()));
    }
    if (this.view.visible) {
      this.startPolling();
    }
  }

  getChildren(element?: ViewNode): ViewNode[] {
    const contexts = this.registry.list();
    const agents = contexts.filter(isAgent);
    if (element && 'group' in element) {
      return agents.sort(byLabel).map((info) => ({ contextId: info.id, info }));
    }
    if (element) {
      return [];
    }
    const rows: ViewNode[] = contexts
      .filter((info) => !isAgent(info))
      .sort(byLabel)
      .map((info) => ({ contextId: info.id, info }));
    return agents.length > 0 ? [...rows, { group: 'agents' }] : rows;
  }

  getTreeItem(node: ViewNode): vscode.TreeItem {
    if ('group' in node) {
      return this.agentGroupItem();
    }
    const { info } = node;
    const item = new vscode.TreeItem(displayLabel(info), vscode.TreeItemCollapsibleState.None);
    item.id = info.id;
    const activity = this.agents.activity(info.id);
    const stopped = this.notices?.stoppedReason(info.server);
    item.description = [
      describeContext(info, this.memory.get(info.kernelId), stopped !== undefined),
      ...(activity ? [describeAgentActivity(activity, this.now())] : []),
    ].join(' · ');
    item.tooltip = new vscode.MarkdownString(
      `**${displayLabel(info)}**\n\n\`${info.id}\`\n\nKernel \`${kernelDisplayName(info.kernelName)}\` ${info.kernelId ? `(id \`${info.kernelId}\`)` : ''}\n\n${info.environment ? `Environment ${info.environment.label}: \`${info.environment.python}\`\n\n` : ''}${item.description}` +
        (stopped ? `\n\n${stopped}. The next run offers to start it again.` : ''),
    );
    item.iconPath = new vscode.ThemeIcon(stateIcons[info.state]);
    item.contextValue = `kernelIslands.context.${info.state}`;
    item.command = { title: 'Reveal', command: 'kernelIslands.revealContext', arguments: [node] };
    return item;
  }

  private agentGroupItem(): vscode.TreeItem {
    const item = new vscode.TreeItem('Agents', vscode.TreeItemCollapsibleState.Expanded);
    item.id = 'kernelIslands.agents';
    const limits = this.agents.currentLimits;
    const count = this.registry.list().filter((info) => isAgent(info) && this.agents.activity(info.id)).length;
    item.description = describeAgentGroup(count, limits);
    item.tooltip = new vscode.MarkdownString(
      'Contexts agents run code in (the `kernelIslands_runCode` tool, API callers’ `agent:…` contexts). ' +
        'An idle one is shut down after `kernelIslands.agents.idleShutdownMinutes`; at most ' +
        '`kernelIslands.agents.maxContexts` hold a kernel (the least recently used idle one makes room, a busy one ' +
        'never does). An agent whose context was shut down is told its variables are gone.',
    );
    item.iconPath = new vscode.ThemeIcon('hubot');
    item.contextValue = 'kernelIslands.agentGroup';
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
    // Agent rows show idle times, which change as the clock runs.
    if (!same || this.registry.list().some(isAgent)) {
      this.refresh();
    }
  }

  dispose(): void {
    this.stopPolling();
    this.subs.splice(0).forEach((s) => s.dispose());
  }
}
