// Reload survival, the VS Code side: what the next extension host of this workspace needs to adopt the
// local Jupyter Server and give every context its own kernel back. The server's address and the context
// list live in workspace state; the server's token only in SecretStorage (never settings, logs or argv).
import * as vscode from 'vscode';
import type { Logger } from '../common/log';
import type { AdoptableServer } from '../jupyter/adoptedServer';
import type { LocalServerOptions } from '../jupyter/localServer';
import { isDocumentKind, MCP_CONTEXT_PREFIX } from '../kernels/contextSpec';
import type { ContextRegistry } from '../kernels/registry/contextRegistry';
import {
  claimedKernelIds,
  planRestore,
  pruneUnclaimedKernels,
  type ContextSnapshot,
} from '../kernels/registry/contextSnapshot';
import { openTabUris } from './openTabs';

const SERVER_KEY = 'kernelIslands.reload.server';
const CONTEXTS_KEY = 'kernelIslands.reload.contexts';
const TOKEN_KEY = 'kernelIslands.reload.serverToken';

/** The saved server without its token. */
interface SavedServer {
  baseUrl: string;
  pid: number;
}

/**
 * Saves and restores what survives a window reload. Build it before the server (it supplies the server's
 * adoption hooks), then `track` the registry before anything can run.
 */
export class ReloadState implements vscode.Disposable {
  private restored: ContextSnapshot[];
  private subscription: vscode.Disposable | undefined;

  constructor(
    private readonly context: vscode.ExtensionContext,
    private readonly log: Logger,
  ) {
    this.restored = planRestore(context.workspaceState.get<unknown[]>(CONTEXTS_KEY) ?? []);
  }

  /** True when the previous extension host of this workspace left a server that may still be running. */
  get hasSavedServer(): boolean {
    return isSavedServer(this.context.workspaceState.get(SERVER_KEY));
  }

  /** The hooks that let `LocalJupyterServer` adopt the saved server and save the next one. */
  serverOptions(): Pick<LocalServerOptions, 'adopt' | 'onAdopted' | 'onDidStartServer'> {
    return {
      adopt: () => this.readServer(),
      onAdopted: async (connection) => {
        await pruneUnclaimedKernels(connection.settings, claimedKernelIds(this.restored), this.log);
      },
      onDidStartServer: (server) => this.run(this.saveServer(server)),
    };
  }

  /**
   * Registers the saved contexts (nothing starts) and keeps the saved list current from now on. A restored
   * document or notebook whose editor did not come back (closed just before the reload) gets the delayed
   * shutdown a closed editor gets, so its kernel cannot outlive it for good.
   */
  track(registry: ContextRegistry, shutdownDelayMs: () => number): void {
    registry.restore(this.restored);
    if (this.restored.length > 0) {
      this.log.info(`Restored ${this.restored.length} context(s) from before the window reload.`);
    }
    const open = openTabUris();
    const tabless = this.restored.filter(({ id, kind }) => isDocumentKind(kind) && !open.has(id) && registry.get(id));
    for (const { id } of tabless) {
      // Asked again when the time comes: the tabs VS Code restores may reach this extension host only after it
      // activated, as a whole new tab model that fires no tab-opened event, so an editor that is back must not
      // lose its kernel (issue #14: a reloaded a.py lost its kernel 30 s after the reload, mid-run).
      registry.scheduleShutdown(id, shutdownDelayMs(), () => openTabUris().has(id));
    }
    if (tabless.length > 0) {
      this.log.info(
        `${tabless.length} restored context(s) had no open tab yet; their kernels shut down in ${shutdownDelayMs() / 1000} s unless a tab shows them by then: ${tabless.map((s) => s.id).join(', ')}`,
      );
    }
    this.subscription?.dispose();
    this.subscription = registry.onDidChangeContexts(() =>
      this.run(this.context.workspaceState.update(CONTEXTS_KEY, reloadSnapshot(registry))),
    );
  }

  /** Stops saving: from here on the registry only changes because the extension host is going away. */
  dispose(): void {
    this.subscription?.dispose();
    this.subscription = undefined;
  }

  /** Forgets the saved server and contexts (after an explicit shut down: nothing is left to adopt). */
  async forget(): Promise<void> {
    this.dispose();
    this.restored = [];
    await Promise.all([
      this.context.workspaceState.update(SERVER_KEY, undefined),
      this.context.workspaceState.update(CONTEXTS_KEY, undefined),
      this.context.secrets.delete(TOKEN_KEY),
    ]);
  }

  private async readServer(): Promise<AdoptableServer | undefined> {
    const saved = this.context.workspaceState.get<unknown>(SERVER_KEY);
    if (!isSavedServer(saved)) {
      return undefined;
    }
    const token = await this.context.secrets.get(TOKEN_KEY);
    if (!token) {
      this.log.info('The saved Jupyter Server has no token in SecretStorage; it cannot be adopted.');
      return undefined;
    }
    return { baseUrl: saved.baseUrl, pid: saved.pid, token };
  }

  private async saveServer(server: AdoptableServer): Promise<void> {
    const saved: SavedServer = { baseUrl: server.baseUrl, pid: server.pid };
    await this.context.secrets.store(TOKEN_KEY, server.token);
    await this.context.workspaceState.update(SERVER_KEY, saved);
  }

  private run(work: Thenable<void>): void {
    void Promise.resolve(work).catch((err: unknown) =>
      this.log.warn(`Saving state for a window reload: ${String(err)}`),
    );
  }
}

/**
 * The contexts worth bringing back after a reload. Not an MCP session's: the session ends with this window's MCP
 * server, so its contexts would come back as orphans nobody can reach (their kernels go as unclaimed instead).
 */
export function reloadSnapshot(registry: Pick<ContextRegistry, 'snapshot'>): ContextSnapshot[] {
  return registry.snapshot().filter((s) => !s.id.startsWith(MCP_CONTEXT_PREFIX));
}

function isSavedServer(value: unknown): value is SavedServer {
  const v = value as Partial<SavedServer> | undefined;
  return typeof v?.baseUrl === 'string' && typeof v.pid === 'number';
}
