import type { Disposable } from '../common/disposable';
import { Logger, nullLogger } from '../common/log';
import { realTimer } from './timer';
import type { KernelSession, PooledKernel, SessionFactory, SessionSource, Timer } from './types';

/** Longest a taker holds the refill back while waiting for its first result (a long first run must not starve it). */
const DEFAULT_REFILL_HOLD_MS = 3000;

/** What the pool is built from. */
interface KernelPoolOptions {
  factory: Pick<SessionFactory, 'start'>;
  /** The one kernelspec the pool keeps warm (the default kernelspec). */
  kernelName: string;
  /** Warm kernels to keep; 1 by default. */
  size?: number;
  logger?: Logger;
  timer?: Timer;
  /** See {@link DEFAULT_REFILL_HOLD_MS}. */
  refillHoldMs?: number;
}

/** A pool start in flight; a taker may claim it before it is ready. */
interface PoolStart {
  readonly session: Promise<KernelSession>;
  claimed: boolean;
}

/**
 * Keeps up to `size` started, untouched kernels of one kernelspec, so a new context skips the kernel start. A taker
 * gets a ready kernel or, when none is ready, the start already in flight (so it waits only for the remainder
 * instead of a second cold start beside it). The refill waits until the taker's first result is back (`release`),
 * so a kernel start does not compete with that result for the CPU. Pooled kernels get no set-up here: the
 * registry prepares them exactly like cold ones.
 */
export class KernelPool implements SessionSource, Disposable {
  readonly kernelName: string;
  private readonly factory: Pick<SessionFactory, 'start'>;
  private readonly logger: Logger;
  private readonly timer: Timer;
  private readonly refillHoldMs: number;
  private size: number;
  private ready: KernelSession[] = [];
  /** Unclaimed starts in flight; they count towards `size`. */
  private starts: PoolStart[] = [];
  /** Every start in flight, claimed or not, for `whenSettled` and dispose. */
  private readonly settling = new Set<Promise<void>>();
  /** Takers waiting for their first result; while any is, the pool starts nothing. */
  private readonly holds = new Set<Disposable>();
  /** After a failed start the pool waits for the next `take`/`fill` instead of retrying in a loop. */
  private paused = false;
  private disposePromise: Promise<void> | undefined;

  constructor(options: KernelPoolOptions) {
    this.factory = options.factory;
    this.kernelName = options.kernelName;
    this.size = normalizeSize(options.size ?? 1);
    this.logger = options.logger ?? nullLogger;
    this.timer = options.timer ?? realTimer;
    this.refillHoldMs = options.refillHoldMs ?? DEFAULT_REFILL_HOLD_MS;
  }

  /** Warm kernels ready to hand out now. */
  get available(): number {
    this.pruneDead();
    return this.ready.length;
  }

  /** Kernels being started for the pool right now (not yet handed to a taker). */
  get starting(): number {
    return this.starts.length;
  }

  get capacity(): number {
    return this.size;
  }

  /** Takers the refill is waiting for. */
  get holding(): number {
    return this.holds.size;
  }

  /** Starts filling the pool in the background. */
  fill(): void {
    this.paused = false;
    this.refill();
  }

  take(kernelName: string): PooledKernel | undefined {
    if (this.disposePromise || kernelName !== this.kernelName) {
      return undefined;
    }
    this.pruneDead();
    const ready = this.ready.shift();
    const start = ready ? undefined : this.starts.shift();
    if (start) {
      start.claimed = true;
    }
    const session = ready ? Promise.resolve(ready) : start?.session;
    if (!session) {
      // Nothing warm: the taker starts its own kernel; the pool refills unless another taker holds it back.
      this.fill();
      return undefined;
    }
    this.paused = false;
    return { session, release: this.hold() };
  }

  /** Changes how many kernels are kept warm; extra idle ones are shut down. */
  resize(size: number): void {
    this.size = normalizeSize(size);
    for (const extra of this.ready.splice(this.size)) {
      this.shutdownQuietly(extra);
    }
    this.fill();
  }

  /** Resolves when no kernel start is in flight (the pool is full, held back, or a start failed). */
  async whenSettled(): Promise<void> {
    while (this.settling.size > 0) {
      await Promise.all([...this.settling]);
    }
  }

  dispose(): void {
    void this.disposeAsync().catch((err: unknown) => this.logger.error(asError(err)));
  }

  /** Shuts down every unused pooled kernel, including ones still starting. Safe to call twice. */
  disposeAsync(): Promise<void> {
    this.disposePromise ??= this.doDispose();
    return this.disposePromise;
  }

  private async doDispose(): Promise<void> {
    for (const hold of [...this.holds]) {
      hold.dispose();
    }
    const idle = this.ready.splice(0);
    await Promise.all([...idle.map((s) => s.shutdown()), this.whenSettled()]);
  }

  /** Holds the refill back until the returned release is called or the hold times out. */
  private hold(): () => void {
    const timeout = this.timer.setTimeout(() => release(), this.refillHoldMs);
    const hold: Disposable = {
      dispose: () => {
        this.holds.delete(hold);
        timeout.dispose();
      },
    };
    const release = (): void => {
      if (this.holds.has(hold)) {
        hold.dispose();
        this.refill();
      }
    };
    this.holds.add(hold);
    return release;
  }

  private refill(): void {
    while (
      !this.disposePromise &&
      !this.paused &&
      this.holds.size === 0 &&
      this.ready.length + this.starts.length < this.size
    ) {
      this.startOne();
    }
  }

  private startOne(): void {
    const start: PoolStart = { session: this.factory.start(this.kernelName), claimed: false };
    this.starts.push(start);
    // A settled start is off offer at once: `keep` may take a while to shut down a kernel nobody wants, and a
    // taker claiming the start meanwhile would get that kernel, already shut down.
    const offOffer = () => {
      this.starts = this.starts.filter((s) => s !== start);
    };
    const settled = start.session
      .then(
        (session) => {
          offOffer();
          return this.keep(start, session);
        },
        (err: unknown) => {
          offOffer();
          this.paused = true;
          if (!start.claimed) {
            this.logger.warn(`Could not pre-start a ${this.kernelName} kernel: ${asError(err).message}`);
          }
        },
      )
      .finally(() => this.settling.delete(settled));
    this.settling.add(settled);
  }

  /** A finished start joins the ready kernels, unless a taker claimed it or the pool no longer wants it. */
  private async keep(start: PoolStart, session: KernelSession): Promise<void> {
    if (start.claimed) {
      return;
    }
    if (this.disposePromise || this.ready.length >= this.size) {
      await session.shutdown();
      return;
    }
    this.ready.push(session);
  }

  private pruneDead(): void {
    this.ready = this.ready.filter((s) => {
      const alive = s.state !== 'dead' && s.state !== 'shutdown';
      if (!alive) {
        s.dispose();
      }
      return alive;
    });
  }

  private shutdownQuietly(session: KernelSession): void {
    void session.shutdown().catch((err: unknown) => this.logger.warn(`Pooled kernel shutdown: ${String(err)}`));
  }
}

function normalizeSize(size: number): number {
  return Number.isFinite(size) ? Math.max(0, Math.floor(size)) : 1;
}

function asError(err: unknown): Error {
  return err instanceof Error ? err : new Error(String(err));
}
