import { traceMark } from '../../common/trace';
import { Emitter, Event } from '../../common/event';
import { Logger, nullLogger } from '../../common/log';
import { LOCAL_SERVER } from '../../jupyter/types';
import type { AgentSandbox } from '../agentSandbox';
import type { AbortReason } from '../session/abortReason';
import type { CompletionResult } from '../session/completion';
import { ContextBook } from './contextBook';
import type { ContextEntry } from './contextEntry';
import { ContextStarts } from './contextStarts';
import { DEFAULT_INTERRUPT_TIMEOUT_SECONDS, InterruptTimeoutError, whenNotBusy } from '../session/interruptWait';
import type { ContextSnapshot } from './contextSnapshot';
import { DEFAULT_PIPELINE_WINDOW, RunPipeline, type PipelineHost } from './runPipeline';
import type { RunGroup } from './runGroup';
import { realTimer } from '../timer';
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
} from '../types';

/** What the registry is built from. */
interface ContextRegistryOptions {
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
  /** Runs of one context a kernel holds at once (see `RunPipeline`); 16 by default. */
  pipelineWindow?: number;
  /** Sandboxes agent contexts' kernels (every `agent` context, whatever made it). */
  agentSandbox?: Pick<AgentSandbox, 'kernelNameFor'>;
}

/**
 * Context id → kernel session. Starts are deduplicated per context, runs go FIFO per context (pipelined: the
 * kernel holds the next ones while it runs one, except a `RunGroup`'s, which go one at a time and stop on error),
 * and contexts run in parallel. A context's failure (bad
 * kernelspec, dead kernel) never touches another.
 */
export class ContextRegistry implements IContextRegistry {
  private readonly executeEmitter = new Emitter<ExecutionEvent>();
  private readonly book: ContextBook;
  private readonly starts: ContextStarts;
  private readonly keepsKernels: (server: string) => boolean;
  private readonly timer: Timer;
  private readonly logger: Logger;
  private readonly interruptTimeoutSeconds: () => number;
  private nextRunId = 0;
  private disposePromise: Promise<void> | undefined;

  readonly onDidChangeContexts: Event<ContextChangeEvent>;
  readonly onDidExecute: Event<ExecutionEvent> = this.executeEmitter.event;

  constructor(options: ContextRegistryOptions) {
    this.keepsKernels = options.keepsKernelsOnDispose ?? (() => false);
    this.timer = options.timer ?? realTimer;
    this.logger = options.logger ?? nullLogger;
    this.interruptTimeoutSeconds = options.interruptTimeoutSeconds ?? (() => DEFAULT_INTERRUPT_TIMEOUT_SECONDS);
    const window = options.pipelineWindow ?? DEFAULT_PIPELINE_WINDOW;
    const sandbox = options.agentSandbox;
    this.book = new ContextBook({
      defaultKernelName: options.defaultKernelName ?? 'python3',
      defaultServer: options.defaultServer ?? (() => LOCAL_SERVER),
      newPipeline: () => new RunPipeline(this.pipelineHost, window),
      agentKernelName: sandbox && ((name) => sandbox.kernelNameFor(name)),
    });
    this.onDidChangeContexts = this.book.onDidChange;
    this.starts = new ContextStarts(
      {
        factory: options.factory,
        pool: options.pool,
        poolServer: options.poolServer ?? LOCAL_SERVER,
        logger: this.logger,
      },
      this.book,
    );
  }

  /** How every context's pipeline reaches its kernel and reports its runs. */
  private readonly pipelineHost: PipelineHost<ContextEntry> = {
    prepare: (run) => this.starts.readySession(this.book.rootOf(run.entry)),
    fire: (e) => this.executeEmitter.fire(e),
    ended: (run) => {
      // The first result is back: the pool may now start a replacement without slowing it.
      this.book.rootOf(run.entry).releasePoolClaim();
      if (this.book.isCurrent(run.entry)) {
        this.book.fireChange('changed', run.entry);
      }
    },
    error: (err) => this.logError(err),
  };

  execute(spec: ContextSpec, code: string, options: RunOptions = {}): Promise<ExecutionResult> {
    traceMark('registry.execute');
    return new Promise((resolve, reject) => {
      const entry = this.book.ensure(spec);
      this.book.rootOf(entry).pipeline.push({ entry, runId: ++this.nextRunId, code, options, resolve, reject });
    });
  }

  async getOrStart(spec: ContextSpec): Promise<KernelSession> {
    return this.starts.sessionFor(this.book.rootOf(this.book.ensure(spec)));
  }

  async complete(id: string, code: string, cursor: number): Promise<CompletionResult | undefined> {
    const entry = this.book.find(id);
    const session = entry && this.book.rootOf(entry).liveSession;
    return session?.complete(code, cursor);
  }

  idleSession(id: string): KernelSession | undefined {
    const entry = this.book.find(id);
    if (!entry) {
      return undefined;
    }
    const root = this.book.rootOf(entry);
    const session = root.liveSession;
    const quiet = root.pipeline.waitingCount === 0 && root.pipeline.inFlightCount === 0;
    return session && session.state === 'idle' && quiet ? session : undefined;
  }

  get(id: string): ContextInfo | undefined {
    const entry = this.book.find(id);
    return entry && this.book.info(entry);
  }

  list(): ContextInfo[] {
    return this.book.all().map((entry) => this.book.info(entry));
  }

  /**
   * Interrupts the context's kernel and resolves once it is no longer busy. Rejects with an
   * {@link InterruptTimeoutError} when it is still busy after the interrupt timeout (code that ignores SIGINT).
   * Only the running run is interrupted; the runs behind it go on.
   */
  async interrupt(id: string): Promise<void> {
    const root = this.book.rootOf(this.book.require(id));
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

  stopWaiting(id: string, group: RunGroup): void {
    const entry = this.book.find(id);
    if (entry) {
      this.book.rootOf(entry).pipeline.dropWaiting({ kind: 'runs-stopped' }, group);
    }
  }

  async restart(id: string): Promise<void> {
    const root = this.book.rootOf(this.book.require(id));
    const reason: AbortReason = { kind: 'kernel-restarted' };
    root.pipeline.dropWaiting(reason);
    this.book.clearDied(root);
    const session = root.liveSession;
    if (session) {
      // Before the restart, so a run sent while the kernel restarts repeats the set-up first.
      root.markLost('restarted');
      const running = root.pipeline.running;
      // The session's loss event drops the runs the kernel held behind the running one.
      await session.restart();
      root.pipeline.giveUp(running, reason);
    }
  }

  async shutdown(id: string): Promise<void> {
    const entry = this.book.find(id);
    if (entry) {
      await this.shutdownEntry(entry);
    }
  }

  scheduleShutdown(id: string, delayMs: number, keep?: () => boolean): void {
    const entry = this.book.require(id);
    entry.scheduleShutdown(this.timer, delayMs, () => {
      if (keep?.()) {
        return;
      }
      void this.shutdownEntry(entry).catch((err: unknown) => this.logError(err));
    });
  }

  cancelScheduledShutdown(id: string): void {
    this.book.find(id)?.cancelScheduledShutdown();
  }

  rename(oldId: string, newId: string, label?: string): void {
    this.book.rename(oldId, newId, label);
  }

  attach(id: string, targetId: string): void {
    this.book.attach(id, targetId);
  }

  detach(id: string): void {
    this.book.detach(id);
  }

  /**
   * Registers the contexts persisted before a window reload without starting anything. A context's first
   * run reconnects to its own kernel if the server still has it, else starts a fresh one and reports the
   * state lost. Attachments are kept; no two other contexts ever get one kernel (see `planRestore`).
   */
  restore(snapshots: readonly unknown[]): void {
    this.book.restore(snapshots);
  }

  /** Every context as it must be persisted for a window reload (see `restore`). */
  snapshot(): ContextSnapshot[] {
    return this.book.snapshot();
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
    const entries = this.book.all();
    this.book.close();
    await Promise.all(
      entries.map((entry) =>
        this.keepsKernels(entry.kernelServer) ? this.releaseEntry(entry) : this.shutdownEntry(entry),
      ),
    );
    this.book.dispose();
    this.executeEmitter.dispose();
  }

  /** Forgets a context and closes its connection, leaving its kernel running on its server. */
  private async releaseEntry(entry: ContextEntry): Promise<void> {
    if (!this.book.remove(entry)) {
      return;
    }
    await this.closeEntry(entry, { kind: 'window-closed' }, async () => entry.dropSession());
  }

  private async shutdownEntry(entry: ContextEntry): Promise<void> {
    if (!this.book.remove(entry)) {
      return;
    }
    await this.closeEntry(entry, { kind: 'kernel-shut-down' }, async () => {
      await this.starts.shutdownRestoredKernel(entry);
      entry.unsubscribeSession();
      await entry.session?.shutdown();
    });
  }

  /**
   * Ends a removed context: its waiting runs are aborted, a start in flight sees the context is gone and ends its
   * own kernel, then `end` closes the kernel (which aborts the running run), and a run whose kernel never answered
   * is ended anyway.
   */
  private async closeEntry(entry: ContextEntry, reason: AbortReason, end: () => Promise<void>): Promise<void> {
    entry.cancelScheduledShutdown();
    const running = entry.pipeline.running;
    entry.pipeline.close(reason);
    await entry.starting?.catch(() => undefined);
    entry.releasePoolClaim();
    try {
      await end();
    } finally {
      entry.pipeline.giveUp(running, reason);
      this.book.fireRemoved(entry);
    }
  }

  private logError(err: unknown): void {
    this.logger.error(err instanceof Error ? err : new Error(String(err)));
  }
}
