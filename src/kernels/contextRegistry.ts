import { Emitter, Event } from '../common/event';
import { Logger, nullLogger } from '../common/log';
import { LOCAL_SERVER } from '../jupyter/types';
import { ContextEntry, QueuedRun } from './contextEntry';
import { DEFAULT_INTERRUPT_TIMEOUT_SECONDS, InterruptTimeoutError, whenNotBusy } from './interruptWait';
import { planRestore, reconnectKernel, RESTORE_LOST_MESSAGE, type ContextSnapshot } from './contextSnapshot';
import { abortedResult } from './results';
import { RunQueue } from './runQueue';
import { realTimer } from './timer';
import type {
  ContextChangeEvent,
  ContextInfo,
  ContextSpec,
  ExecutionEvent,
  ExecutionResult,
  IContextRegistry,
  KernelSession,
  RunOptions,
  SessionFactory,
  SessionSource,
  Timer,
} from './types';

/** What the registry is built from. */
export interface ContextRegistryOptions {
  factory: SessionFactory;
  /** Warm kernels, taken before a cold start. */
  pool?: SessionSource;
  /** Kernelspec for contexts that name none; `python3` by default. */
  defaultKernelName?: string;
  /** Server for contexts that name none; `local` by default. Read at each context's creation. */
  defaultServer?: () => string;
  /** The server the pool's warm kernels run on; contexts on other servers always start their own. `local` by default. */
  poolServer?: string;
  /**
   * Servers whose kernels outlive the registry (remote servers: they belong to the user, not to this window).
   * Disposing the registry closes their connections without shutting them down. None by default.
   */
  keepsKernelsOnDispose?: (server: string) => boolean;
  timer?: Timer;
  logger?: Logger;
  /** Seconds an interrupted kernel may stay busy before `interrupt` rejects (read at each interrupt); 10 by default. */
  interruptTimeoutSeconds?: () => number;
}

/**
 * Context id → kernel session. Starts are deduplicated per context, runs are queued FIFO per context,
 * and contexts run in parallel. A context's failure (bad kernelspec, dead kernel) never touches another.
 */
export class ContextRegistry implements IContextRegistry {
  private readonly entries = new Map<string, ContextEntry>();
  private readonly changeEmitter = new Emitter<ContextChangeEvent>();
  private readonly executeEmitter = new Emitter<ExecutionEvent>();
  private readonly factory: SessionFactory;
  private readonly pool: SessionSource | undefined;
  private readonly defaultKernelName: string;
  private readonly defaultServer: () => string;
  private readonly poolServer: string;
  private readonly keepsKernels: (server: string) => boolean;
  private readonly timer: Timer;
  private readonly logger: Logger;
  private readonly interruptTimeoutSeconds: () => number;
  private nextRunId = 0;
  private disposePromise: Promise<void> | undefined;

  readonly onDidChangeContexts: Event<ContextChangeEvent> = this.changeEmitter.event;
  readonly onDidExecute: Event<ExecutionEvent> = this.executeEmitter.event;

  constructor(options: ContextRegistryOptions) {
    this.factory = options.factory;
    this.pool = options.pool;
    this.defaultKernelName = options.defaultKernelName ?? 'python3';
    this.defaultServer = options.defaultServer ?? (() => LOCAL_SERVER);
    this.poolServer = options.poolServer ?? LOCAL_SERVER;
    this.keepsKernels = options.keepsKernelsOnDispose ?? (() => false);
    this.timer = options.timer ?? realTimer;
    this.logger = options.logger ?? nullLogger;
    this.interruptTimeoutSeconds = options.interruptTimeoutSeconds ?? (() => DEFAULT_INTERRUPT_TIMEOUT_SECONDS);
  }

  execute(spec: ContextSpec, code: string, options: RunOptions = {}): Promise<ExecutionResult> {
    return new Promise((resolve, reject) => {
      const entry = this.ensureEntry(spec);
      this.rootOf(entry).queue.push({ entry, runId: ++this.nextRunId, code, options, resolve, reject });
    });
  }

  async getOrStart(spec: ContextSpec): Promise<KernelSession> {
    return this.sessionFor(this.rootOf(this.ensureEntry(spec)));
  }

  get(id: string): ContextInfo | undefined {
    const entry = this.entries.get(id);
    return entry && entry.info(this.rootOf(entry));
  }

  list(): ContextInfo[] {
    return [...this.entries.values()].map((entry) => entry.info(this.rootOf(entry)));
  }

  /**
   * Interrupts the context's kernel and resolves once it is no longer busy. Rejects with an
   * {@link InterruptTimeoutError} when it is still busy after the interrupt timeout (code that ignores SIGINT).
   */
  async interrupt(id: string): Promise<void> {
    const root = this.rootOf(this.require(id));
    const session = root.liveSession;
    if (!session) {
      return;
    }
    const seconds = this.interruptTimeoutSeconds();
    const stopped = whenNotBusy(session, this.timer, seconds * 1000);
    await session.interrupt();
    if (!(await stopped)) {
      throw new InterruptTimeoutError(root.id, root.label, seconds);
    }
  }

  async restart(id: string): Promise<void> {
    const root = this.rootOf(this.require(id));
    this.abortWaiting(root, 'aborted: kernel restarted');
    this.setDied(root, false);
    const session = root.liveSession;
    if (session) {
      // Before the restart, so a run dequeued while the kernel restarts repeats the set-up first.
      root.needsSetup = true;
      await session.restart();
    }
  }

  async shutdown(id: string): Promise<void> {
    const entry = this.entries.get(id);
    if (entry) {
      await this.shutdownEntry(entry);
    }
  }

  scheduleShutdown(id: string, delayMs: number): void {
    const entry = this.require(id);
    entry.shutdownTimer?.dispose();
    entry.shutdownTimer = this.timer.setTimeout(() => {
      entry.shutdownTimer = undefined;
      void this.shutdownEntry(entry).catch((err: unknown) => this.logError(err));
    }, delayMs);
  }

  cancelScheduledShutdown(id: string): void {
    const entry = this.entries.get(id);
    entry?.shutdownTimer?.dispose();
    if (entry) {
      entry.shutdownTimer = undefined;
    }
  }

  rename(oldId: string, newId: string, label?: string): void {
    const entry = this.require(oldId);
    if (oldId === newId) {
      return;
    }
    if (this.entries.has(newId)) {
      throw new Error(`Cannot rename context "${oldId}" to "${newId}": a context with that id already exists.`);
    }
    this.entries.delete(oldId);
    entry.id = newId;
    entry.label = label ?? entry.label;
    this.entries.set(newId, entry);
    for (const other of this.entries.values()) {
      if (other.attachedTo === oldId) {
        other.attachedTo = newId;
      }
    }
    this.fireChange('renamed', entry, { oldId });
  }

  attach(id: string, targetId: string): void {
    const root = this.rootOf(this.require(targetId));
    if (root.id === id) {
      throw new Error(`Cannot attach context "${id}" to "${targetId}": that would share a kernel with itself.`);
    }
    const entry = this.ensureEntry({ id, label: id });
    entry.attachedTo = root.id;
    this.fireChange('changed', entry);
  }

  detach(id: string): void {
    const entry = this.require(id);
    if (entry.attachedTo !== undefined) {
      entry.attachedTo = undefined;
      this.fireChange('changed', entry);
    }
  }

  /**
   * Registers the contexts persisted before a window reload without starting anything. A context's first
   * run reconnects to its own kernel if the server still has it, else starts a fresh one and reports the
   * state lost. Attachments are kept; no two other contexts ever get one kernel (see `planRestore`).
   */
  restore(snapshots: readonly unknown[]): void {
    const plan = planRestore(snapshots).filter((s) => !this.entries.has(s.id));
    for (const s of plan) {
      const entry = this.ensureEntry({
        id: s.id,
        label: s.label,
        kernelName: s.kernelName,
        cwd: s.cwd,
        file: s.file,
        server: s.server,
      });
      entry.restoreKernelId = s.kernelId;
      // The kernel received this set-up before the reload.
      entry.applied = { ...entry.target };
    }
    for (const s of plan) {
      const entry = this.entries.get(s.id);
      if (entry && s.attachedTo !== undefined) {
        entry.attachedTo = s.attachedTo;
        this.fireChange('changed', entry);
      }
    }
  }

  /** Every context as it must be persisted for a window reload (see `restore`). */
  snapshot(): ContextSnapshot[] {
    return [...this.entries.values()].map((e) => ({
      id: e.id,
      label: e.label,
      kernelName: e.session?.kernelName ?? e.kernelName,
      kernelId: e.liveSession?.id ?? e.restoreKernelId,
      attachedTo: e.attachedTo,
      server: (e.session && e.sessionServer) ?? e.server,
      cwd: e.target.cwd,
      file: e.target.file,
    }));
  }

  dispose(): void {
    void this.disposeAsync().catch((err: unknown) => this.logError(err));
  }

  /** Shuts every context's kernel down; resolves when they are gone. Safe to call twice. */
  disposeAsync(): Promise<void> {
    this.disposePromise ??= this.doDispose();
    return this.disposePromise;
  }

  private async doDispose(): Promise<void> {
    const entries = [...this.entries.values()];
    await Promise.all(
      entries.map((entry) =>
        this.keepsKernels(entry.sessionServer ?? entry.server) ? this.releaseEntry(entry) : this.shutdownEntry(entry),
      ),
    );
    this.changeEmitter.dispose();
    this.executeEmitter.dispose();
  }

  private ensureEntry(spec: ContextSpec): ContextEntry {
    if (this.disposePromise) {
      throw new Error('The context registry is disposed.');
    }
    const existing = this.entries.get(spec.id);
    if (existing) {
      existing.update(spec);
      return existing;
    }
    const queue = new RunQueue<QueuedRun>(
      (run) => this.runOne(run),
      (err) => this.logError(err),
    );
    const entry = new ContextEntry(
      spec,
      { kernelName: this.defaultKernelName, server: spec.server ?? this.defaultServer() },
      queue,
    );
    this.entries.set(entry.id, entry);
    this.fireChange('added', entry);
    return entry;
  }

  private require(id: string): ContextEntry {
    const entry = this.entries.get(id);
    if (!entry) {
      throw new Error(`No context "${id}". Known contexts: ${[...this.entries.keys()].join(', ') || 'none'}.`);
    }
    return entry;
  }

  private rootOf(entry: ContextEntry): ContextEntry {
    return (entry.attachedTo !== undefined && this.entries.get(entry.attachedTo)) || entry;
  }

  /** Runs one queued run on its context's kernel; a failed start rejects that run only. */
  private async runOne(run: QueuedRun): Promise<void> {
    const { runId, code, options } = run;
    const fire = (e: ExecutionEvent): void => this.executeEmitter.fire(e);
    fire({ type: 'start', contextId: run.entry.id, runId, code, source: options.source ?? 'api' });
    let result: ExecutionResult;
    try {
      const root = this.rootOf(run.entry);
      const session = await this.readySession(root);
      result = await session.execute(code, {
        onStdin: options.onStdin,
        onOutput: (event) => {
          // The UI hears first, so a throwing caller callback cannot hide output from it.
          fire({ type: 'output', contextId: run.entry.id, runId, event });
          options.onOutput?.(event);
        },
      });
    } catch (err) {
      const error = err instanceof Error ? err : new Error(String(err));
      fire({ type: 'end', contextId: run.entry.id, runId, result: abortedResult(error.message, 0, 'KernelError') });
      run.reject(error);
      return;
    }
    fire({ type: 'end', contextId: run.entry.id, runId, result });
    run.resolve(result);
    this.fireChange('changed', run.entry);
  }

  /** The root's session, started if needed, with the set-up repeated after a state loss or a move. */
  private async readySession(root: ContextEntry): Promise<KernelSession> {
    // The run that follows a crash is the one that gets a fresh kernel: the context stops showing 'dead'.
    this.setDied(root, false);
    const session = await this.sessionFor(root);
    if (root.setupPending) {
      const target = { ...root.target };
      await this.factory.setUp(session, target);
      root.applied = target;
      root.needsSetup = false;
    }
    return session;
  }

  private sessionFor(entry: ContextEntry): Promise<KernelSession> {
    const live = entry.liveSession;
    if (live) {
      return Promise.resolve(live);
    }
    if (!entry.starting) {
      this.dropSession(entry);
      entry.starting = this.startSession(entry).finally(() => {
        entry.starting = undefined;
        this.fireChange('changed', entry);
      });
      this.fireChange('changed', entry);
    }
    return entry.starting;
  }

  /** Takes a warm kernel or starts one, then runs the same set-up either way. */
  private async startSession(entry: ContextEntry): Promise<KernelSession> {
    const restored = await this.reconnectRestored(entry);
    if (restored) {
      return restored;
    }
    const server = entry.server;
    const warm = server === this.poolServer ? this.pool?.take(entry.kernelName) : undefined;
    const session = warm ?? (await this.factory.start(entry.kernelName, server));
    const target = { ...entry.target };
    try {
      await this.factory.setUp(session, target);
    } catch (err) {
      await session.shutdown();
      throw err;
    }
    if (this.entries.get(entry.id) !== entry || this.disposePromise) {
      await session.shutdown();
      throw new Error(`aborted: context "${entry.id}" was closed while its kernel was starting`);
    }
    entry.applied = target;
    entry.needsSetup = false;
    this.adopt(entry, session, server);
    return session;
  }

  /** A context restored after a window reload gets its own kernel back, if the server still has it. */
  private async reconnectRestored(entry: ContextEntry): Promise<KernelSession | undefined> {
    const kernelId = entry.restoreKernelId;
    if (kernelId === undefined) {
      return undefined;
    }
    const server = entry.server;
    const session = await reconnectKernel(
      this.factory,
      { kernelId, kernelName: entry.kernelName, server },
      this.logger,
    );
    entry.restoreKernelId = undefined;
    if (!session) {
      this.fireChange('state-lost', entry, { message: RESTORE_LOST_MESSAGE, reason: 'not-restored' });
      return undefined;
    }
    if (this.entries.get(entry.id) !== entry || this.disposePromise) {
      await session.shutdown();
      throw new Error(`aborted: context "${entry.id}" was closed while its kernel was reconnecting`);
    }
    this.adopt(entry, session, server);
    return session;
  }

  /** A restored context closed before its first run still owns a kernel on the server: end it too. */
  private async shutdownRestoredKernel(entry: ContextEntry): Promise<void> {
    const kernelId = entry.restoreKernelId;
    entry.restoreKernelId = undefined;
    if (kernelId !== undefined && !entry.session) {
      const ref = { kernelId, kernelName: entry.kernelName, server: entry.server };
      const session = await reconnectKernel(this.factory, ref, this.logger);
      await session?.shutdown();
    }
  }

  private adopt(entry: ContextEntry, session: KernelSession, server: string): void {
    entry.session = session;
    entry.sessionServer = server;
    entry.addSessionSub(session.onDidChangeState(() => this.fireForKernel(entry, 'changed')));
    entry.addSessionSub(
      session.onDidLoseState((e) => {
        entry.needsSetup = true;
        // A crash or a dead server shows as 'dead' until the next run, even once the server restarted the process.
        entry.died = e.reason !== 'restarted';
        this.fireForKernel(entry, 'state-lost', { message: e.message, reason: e.reason });
      }),
    );
  }

  private dropSession(entry: ContextEntry): void {
    entry.clearSessionSubs();
    entry.session?.dispose();
    entry.session = undefined;
  }

  /** Forgets a context and closes its connection, leaving its kernel running on its server. */
  private async releaseEntry(entry: ContextEntry): Promise<void> {
    if (this.entries.get(entry.id) !== entry) {
      return;
    }
    this.entries.delete(entry.id);
    entry.shutdownTimer?.dispose();
    this.abortWaiting(entry, 'aborted: window closed');
    await entry.starting?.catch(() => undefined);
    this.dropSession(entry);
    this.changeEmitter.fire({ type: 'removed', context: entry.info(entry) });
  }

  private async shutdownEntry(entry: ContextEntry): Promise<void> {
    if (this.entries.get(entry.id) !== entry) {
      return;
    }
    this.entries.delete(entry.id);
    entry.shutdownTimer?.dispose();
    this.abortWaiting(entry, 'aborted: kernel shut down');
    for (const other of this.entries.values()) {
      if (other.attachedTo === entry.id) {
        other.attachedTo = undefined;
        this.fireChange('changed', other);
      }
    }
    // A start in flight sees the context is gone and shuts its own kernel down.
    await entry.starting?.catch(() => undefined);
    await this.shutdownRestoredKernel(entry);
    const session = entry.session;
    entry.clearSessionSubs();
    await session?.shutdown();
    this.changeEmitter.fire({ type: 'removed', context: entry.info(entry) });
  }

  private abortWaiting(root: ContextEntry, reason: string): void {
    for (const run of root.queue.drain()) {
      run.resolve(abortedResult(reason, 0));
    }
  }

  /** Fires for the context that owns the kernel and for every context attached to it. */
  private fireForKernel(
    root: ContextEntry,
    type: 'changed' | 'state-lost',
    extra: Pick<ContextChangeEvent, 'message' | 'reason'> = {},
  ): void {
    for (const entry of this.entries.values()) {
      if (entry === root || entry.attachedTo === root.id) {
        this.fireChange(type, entry, extra);
      }
    }
  }

  private setDied(root: ContextEntry, died: boolean): void {
    if (root.died !== died) {
      root.died = died;
      this.fireForKernel(root, 'changed');
    }
  }

  private fireChange(type: ContextChangeEvent['type'], entry: ContextEntry, extra: Partial<ContextChangeEvent> = {}) {
    this.changeEmitter.fire({ type, context: entry.info(this.rootOf(entry)), ...extra });
  }

  private logError(err: unknown): void {
    this.logger.error(err instanceof Error ? err : new Error(String(err)));
  }
}
