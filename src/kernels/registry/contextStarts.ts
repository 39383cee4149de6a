import type { Logger } from '../../common/log';
import { assertEnvironmentExists, EnvironmentNotReadyError } from '../../python/environmentCheck';
import { pythonOfKernelName } from '../../python/pythonEnvironment';
import { abortMessage, lossAbortReason } from '../session/abortReason';
import type { ContextBook } from './contextBook';
import type { ContextEntry } from './contextEntry';
import { reconnectKernel, RESTORE_LOST_MESSAGE } from './contextSnapshot';
import type { KernelSession, SessionFactory, SessionSource } from '../types';

/** What the starts are built from. */
interface ContextStartsOptions {
  factory: SessionFactory;
  pool: SessionSource | undefined;
  /** The server the pool's warm kernels run on; contexts on other servers always start their own. */
  poolServer: string;
  logger: Logger;
}

/**
 * Gives contexts their kernels: a warm one from the pool (even one still starting) or a cold start, the kernel
 * from before a window reload, the silent set-up before a context's first run and again after a state loss.
 * Starts are deduplicated per context.
 */
export class ContextStarts {
  constructor(
    private readonly options: ContextStartsOptions,
    private readonly book: ContextBook,
  ) {}

  /** The root's session, started if needed, with the set-up repeated after a state loss or a move. */
  async readySession(root: ContextEntry): Promise<KernelSession> {
    try {
      return await this.prepare(root);
    } catch (err) {
      if (err instanceof EnvironmentNotReadyError) {
        err.contextId ??= root.id;
      }
      throw err;
    }
  }

  private async prepare(root: ContextEntry): Promise<KernelSession> {
    // The run that follows a crash is the one that gets a fresh kernel: the context stops showing 'dead'.
    this.book.clearDied(root);
    // A kernel whose environment was deleted under it says so instead of failing at its next import.
    const livePython = pythonOfKernelName(root.liveSession?.kernelName);
    if (livePython) {
      assertEnvironmentExists(livePython);
    }
    const session = await this.sessionFor(root);
    if (root.setupPending) {
      const target = { ...root.target };
      await this.options.factory.setUp(session, target);
      root.markSetUp(target);
    }
    return session;
  }

  /** The context's live session, or the start in flight, or a new start. */
  sessionFor(entry: ContextEntry): Promise<KernelSession> {
    const live = entry.liveSession;
    if (live) {
      return Promise.resolve(live);
    }
    if (entry.starting) {
      return entry.starting;
    }
    entry.dropSession();
    const start = entry.beginStart(this.startSession(entry), () => this.book.fireChange('changed', entry));
    this.book.fireChange('changed', entry);
    return start;
  }

  /** A restored context closed before its first run still owns a kernel on the server: end it too. */
  async shutdownRestoredKernel(entry: ContextEntry): Promise<void> {
    const kernelId = entry.restoreKernelId;
    entry.forgetRestoredKernel();
    if (kernelId !== undefined && !entry.session) {
      const ref = { kernelId, kernelName: entry.kernelName, server: entry.server };
      const session = await reconnectKernel(this.options.factory, ref, this.options.logger);
      await session?.shutdown();
    }
  }

  /** Takes a warm kernel or starts one, then runs the same set-up either way. */
  private async startSession(entry: ContextEntry): Promise<KernelSession> {
    const restored = await this.reconnectRestored(entry);
    if (restored) {
      return restored;
    }
    const server = entry.server;
    const session = await this.warmOrCold(entry, server);
    const target = { ...entry.target };
    try {
      await this.options.factory.setUp(session, target);
    } catch (err) {
      entry.releasePoolClaim();
      await session.shutdown();
      throw err;
    }
    if (!this.book.isCurrent(entry)) {
      entry.releasePoolClaim();
      await session.shutdown();
      throw new Error(abortMessage({ kind: 'closed-while-starting', contextId: entry.id, step: 'starting' }));
    }
    entry.markSetUp(target);
    this.adopt(entry, session, server);
    return session;
  }

  /**
   * A warm kernel (the pool may hand over one still starting: waiting for its remainder beats a cold start
   * beside it), or a cold start when the pool has none or its start failed.
   */
  private async warmOrCold(entry: ContextEntry, server: string): Promise<KernelSession> {
    const { pool, poolServer, factory, logger } = this.options;
    const claim = server === poolServer ? pool?.take(entry.kernelName) : undefined;
    if (claim) {
      entry.holdPoolClaim(claim);
      try {
        const session = await claim.session;
        if (session.state !== 'dead' && session.state !== 'shutdown') {
          return session;
        }
        // It ended on the way (its process died): a cold start beats failing the run.
        entry.releasePoolClaim();
        logger.warn(`A warm ${entry.kernelName} kernel ended before its first run; starting one for ${entry.label}.`);
      } catch (err) {
        entry.releasePoolClaim();
        logger.warn(
          `A warm ${entry.kernelName} kernel failed to start (${String(err)}); starting one for ${entry.label}.`,
        );
      }
    }
    return factory.start(entry.kernelName, server);
  }

  /** A context restored after a window reload gets its own kernel back, if the server still has it. */
  private async reconnectRestored(entry: ContextEntry): Promise<KernelSession | undefined> {
    const kernelId = entry.restoreKernelId;
    if (kernelId === undefined) {
      return undefined;
    }
    const server = entry.server;
    const ref = { kernelId, kernelName: entry.kernelName, server };
    const started = Date.now();
    const session = await reconnectKernel(this.options.factory, ref, this.options.logger);
    entry.forgetRestoredKernel();
    if (session) {
      this.options.logger.info(
        `${entry.label}: reconnected to its kernel ${kernelId} from before the window reload in ${Date.now() - started} ms.`,
      );
    }
    if (!session) {
      this.book.fireChange('state-lost', entry, { message: RESTORE_LOST_MESSAGE, reason: 'not-restored' });
      return undefined;
    }
    if (!this.book.isCurrent(entry)) {
      await session.shutdown();
      throw new Error(abortMessage({ kind: 'closed-while-starting', contextId: entry.id, step: 'reconnecting' }));
    }
    this.adopt(entry, session, server);
    return session;
  }

  private adopt(entry: ContextEntry, session: KernelSession, server: string): void {
    entry.adopt(session, server, [
      session.onDidChangeState(() => this.book.fireForKernel(entry, 'changed')),
      session.onDidLoseState((e) => {
        // A crash or a dead server shows as 'dead' until the next run, even once the server restarted the process.
        entry.markLost(e.reason === 'restarted' ? 'restarted' : 'died');
        this.book.fireForKernel(entry, 'state-lost', { message: e.message, reason: e.reason });
        // The kernel's own queue is gone with its state; the running run ends through its session, same reason.
        entry.pipeline.dropQueuedInKernel(lossAbortReason(e.reason));
      }),
    ]);
  }
}
