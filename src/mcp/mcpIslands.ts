import type { Disposable } from '../common/disposable';
import { LOCAL_SERVER } from '../jupyter/types';
import type { AgentLifecycle } from '../kernels/agentLifecycle';
import type { AgentSandbox } from '../kernels/agentSandbox';
import { contextSpec, MCP_CONTEXT_PREFIX } from '../kernels/contextSpec';
import type { ContextInfo, ContextSpec, ExecutionResult, IContextRegistry } from '../kernels/types';
import type { McpPlacement } from './mcpEngine';

/** A context of the user's (an editor's, a notebook's) that the user shared with a session, as the session sees it. */
interface SharedContext {
  /** The name the session's agent uses for it. */
  name: string;
  /** The user's context whose kernel it runs in. */
  targetId: string;
}

/** The context a session's agent names `main` (or nothing). */
const DEFAULT_MCP_CONTEXT = 'main';

/** A context name as the agent gives it, trimmed; `main` when empty. Colons are kept: the name is opaque. */
export function contextName(name: string | undefined): string {
  const trimmed = name?.trim();
  return trimmed ? trimmed : DEFAULT_MCP_CONTEXT;
}

/** The registry id of a session's context. Only this function makes MCP ids, so no session can name another's. */
function mcpContextId(sessionId: string, name: string): string {
  return `${MCP_CONTEXT_PREFIX}${sessionId}:${name}`;
}

/**
 * One MCP session's island: the only contexts it can reach are its own (`agent:mcp-<session>:<name>`), so two
 * sessions naming `main` get two kernels, and no session can reach an editor's, a notebook's or another session's
 * kernel, unless the user shares one with this very session (`share`, from a command that names the session).
 * `close` shuts all of its own kernels down; a shared kernel stays the user's.
 */
export class McpIsland {
  private readonly prefix: string;
  /** Why a context's variables are gone, told once on its next run (kernel died, server died). */
  private readonly lostNotes = new Map<string, string>();
  private readonly watch: Disposable;
  /** Shared name → the user's context id; kept here because the registry detaches a share when its target goes. */
  private readonly shared = new Map<string, string>();
  private closing: Promise<void> | undefined;
  /** Who is on the other end (the client's name from `initialize`), for labels; set once it is known. */
  clientName: string | undefined;

  /** `lifecycle` applies the agent limits (idle shutdown, cap) to the session's contexts as to every agent's. */
  constructor(
    private readonly registry: IContextRegistry,
    private readonly lifecycle: AgentLifecycle,
    readonly sessionId: string,
    private readonly cwd?: string,
    private readonly sandbox?: Pick<AgentSandbox, 'workFolder'>,
    /** Where the contexts run when all run on one server (the command's); absent inside VS Code. */
    readonly placement?: McpPlacement,
  ) {
    this.prefix = mcpContextId(sessionId, '');
    this.watch = registry.onDidChangeContexts((e) => {
      if (e.type === 'removed') {
        this.shareEnded(e.context.id);
      }
      if (e.type === 'state-lost' && e.reason !== 'restarted' && e.context.id.startsWith(this.prefix)) {
        const name = e.context.id.slice(this.prefix.length);
        const why = e.message ?? 'The kernel lost its state.';
        // On another machine the server is named: the agent (and its user) must know which one lost the kernel.
        const where = e.context.server === LOCAL_SERVER ? '' : ` (on server ${e.context.server})`;
        this.lostNotes.set(
          e.context.id,
          `Context ${name}${where}: ${why} Its variables are gone; this run started afresh.`,
        );
      }
    });
  }

  /** The session's contexts, by the names the agent gave them. */
  contexts(): Array<ContextInfo & { name: string }> {
    return this.registry
      .list()
      .filter((c) => c.id.startsWith(this.prefix))
      .map((c) => ({ ...c, name: c.id.slice(this.prefix.length) }));
  }

  /**
   * Runs code in the named context, starting its kernel on first use. The one place MCP runs reach the engine.
   * `notice` says, once, that the context's earlier variables are gone: its kernel died, or the agent lifecycle
   * shut it down (idle, or over the cap), since the last run.
   */
  async run(
    name: string,
    code: string,
    kernel?: string,
  ): Promise<{ result: ExecutionResult; kernelName: string; notice?: string }> {
    this.assertOpen();
    const id = mcpContextId(this.sessionId, name);
    const existing = this.registry.get(id);
    if (existing && kernel && existing.kernelName !== kernel) {
      throw new Error(
        `Context "${name}" already runs kernel ${existing.kernelName}; shut it down first or pick another context name for ${kernel}.`,
      );
    }
    const spec = this.spec(name, kernel);
    const notice = this.lostNotes.get(id);
    this.lostNotes.delete(id);
    try {
      const run = await this.lifecycle.execute(spec, code, { source: 'mcp' });
      return {
        result: run.result,
        kernelName: this.registry.get(id)?.kernelName ?? kernel ?? 'kernel',
        // The agent knows its context by name, not by the registry id the lifecycle words its notice with.
        notice: notice ?? run.notice?.split(id).join(name),
      };
    } catch (err) {
      if (!existing) {
        // A context whose kernel never started (unknown kernelspec) is not kept: the next run may name another.
        await this.registry.shutdown(id).catch(() => undefined);
      }
      throw err;
    }
  }

  /** The spec of the session's context `name` (an agent's: the registry runs it in the agents' sandbox). */
  private spec(name: string, kernel?: string): ContextSpec {
    const id = mcpContextId(this.sessionId, name);
    return {
      ...contextSpec({ id, kind: 'agent', fallbackCwd: this.cwd, kernelName: kernel }),
      label: this.clientName ? `MCP ${name} (${this.clientName} ${this.sessionId})` : `MCP ${name} (${this.sessionId})`,
    };
  }

  /**
   * The host path of the context's work folder (its kernel's cwd and HOME in the sandbox), starting its kernel
   * when it has none yet, so an agent can put its input files there before its first run. Refused for a shared
   * context (the user's kernel) and where contexts run unsandboxed.
   */
  async workFolder(name: string): Promise<string> {
    this.assertOpen();
    if (this.shared.has(name)) {
      throw new Error(`Context "${name}" is the user's own kernel, shared with this session: it has no work folder.`);
    }
    if (this.placement?.remote) {
      throw new Error(
        `Context "${name}" runs on ${this.placement.server}, another machine: its files are that server's, not ` +
          "this one's. Read and write them with run_code.",
      );
    }
    const id = mcpContextId(this.sessionId, name);
    await this.registry.getOrStart(this.spec(name));
    const info = this.registry.get(id);
    const folder = info?.sandboxed ? this.sandbox?.workFolder(info.kernelId) : undefined;
    if (!folder) {
      throw new Error(
        `Context "${name}" runs without a sandbox (this server was started with --no-sandbox), so it has no ` +
          'private work folder; its code reads and writes files itself.',
      );
    }
    return folder;
  }

  /** A sandboxed kernel's work folder, when known (for lists: it starts nothing). */
  workFolderOf(kernelId: string): string | undefined {
    return this.sandbox?.workFolder(kernelId);
  }

  interrupt(name: string): Promise<void> {
    return this.registry.interrupt(this.require(name));
  }

  async restart(name: string): Promise<void> {
    const id = this.require(name);
    await this.registry.restart(id);
    this.lostNotes.delete(id);
  }

  /** Shuts the context's kernel down; for a share, only the session's name for it goes (the user's kernel stays). */
  shutdown(name: string): Promise<void> {
    const id = this.require(name);
    this.lostNotes.delete(id);
    this.shared.delete(name);
    return this.registry.shutdown(id);
  }

  /**
   * Lets this session run code in the user's context `targetId` (an editor's or a notebook's kernel), under a name
   * of its own: `preferred` (the file's name, say), with a number added when the session already uses it. Only
   * the user does this (the share command); nothing an agent sends can. Returns the name the session sees.
   */
  share(targetId: string, preferred: string): string {
    this.assertOpen();
    const target = this.registry.get(targetId);
    if (!target) {
      throw new Error(`No context "${targetId}" to share: run code in it first.`);
    }
    if (target.id.startsWith(MCP_CONTEXT_PREFIX)) {
      throw new Error("Only an editor's or a notebook's kernel can be shared with an MCP session.");
    }
    const already = this.shares().find((s) => s.targetId === targetId);
    if (already) {
      return already.name;
    }
    const base = contextName(preferred);
    let name = base;
    for (let n = 2; this.registry.get(mcpContextId(this.sessionId, name)); n++) {
      name = `${base}-${n}`;
    }
    this.registry.attach(mcpContextId(this.sessionId, name), targetId);
    this.shared.set(name, targetId);
    return name;
  }

  /** Ends a share: the session's name for it is forgotten; the user's kernel and its variables stay. */
  async unshare(name: string): Promise<void> {
    if (!this.shared.delete(name)) {
      throw new Error(`This session has no shared context "${name}".`);
    }
    await this.registry.shutdown(mcpContextId(this.sessionId, name));
  }

  /** The user's contexts shared with this session. */
  shares(): SharedContext[] {
    return [...this.shared].map(([name, targetId]) => ({ name, targetId }));
  }

  /** Shuts down every kernel of the session; later calls fail. Safe to call twice: both wait for the same end. */
  close(): Promise<void> {
    this.closing ??= (async () => {
      this.watch.dispose();
      await Promise.all(this.contexts().map((c) => this.registry.shutdown(c.id)));
    })();
    return this.closing;
  }

  /**
   * A context went away. The session's name for a share is forgotten with it; when the user's shared context went
   * (its editor closed), the share ends too, so the name never quietly gets a fresh kernel of its own.
   */
  private shareEnded(removedId: string): void {
    for (const [name, targetId] of this.shared) {
      const id = mcpContextId(this.sessionId, name);
      if (removedId === id) {
        this.shared.delete(name);
      } else if (removedId === targetId) {
        this.shared.delete(name);
        void this.registry.shutdown(id).catch(() => undefined);
      }
    }
  }

  private require(name: string): string {
    this.assertOpen();
    const id = mcpContextId(this.sessionId, name);
    if (!this.registry.get(id)) {
      const names = this.contexts().map((c) => c.name);
      throw new Error(`This session has no context "${name}". Its contexts: ${names.join(', ') || 'none yet'}.`);
    }
    return id;
  }

  private assertOpen(): void {
    if (this.closing) {
      throw new Error('This MCP session is closed; its kernels were shut down.');
    }
  }
}
