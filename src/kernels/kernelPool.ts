import type { Disposable } from '../common/disposable';
import { Logger, nullLogger } from '../common/log';
import type { KernelSession, SessionFactory, SessionSource } from './types';

/** What the pool is built from. */
export interface KernelPoolOptions {
  factory: Pick<SessionFactory, 'start'>;
  /** The one kernelspec the pool keeps warm (the default kernelspec). */
  kernelName: string;
  /** Warm kernels to keep; 1 by default. */
  size?: number;
  logger?: Logger;
}

/**
 * Keeps up to `size` started, untouched kernels of one kernelspec, so a new context skips the kernel
 * start. Pooled kernels get no set-up here: the registry prepares them exactly like cold ones.
 */
export class KernelPool implements SessionSource, Disposable {
  readonly kernelName: string;
  private readonly factory: Pick<SessionFactory, 'start'>;
  private readonly logger: Logger;
  private size: number;
  private ready: KernelSession[] = [];
  private readonly inFlight = new Set<Promise<void>>();
  /** After a failed start the pool waits for the next `take`/`fill` instead of retrying in a loop. */
  private paused = false;
  private disposePromise: Promise<void> | undefined;

  constructor(options: KernelPoolOptions) {
    this.factory = options.factory;
    this.kernelName = options.kernelName;
    this.size = normalizeSize(options.size ?? 1);
    this.logger = options.logger ?? nullLogger;
  }

  /** Warm kernels ready to hand out now. */
  get available(): number {
    this.pruneDead();
    return this.ready.length;
  }

  /** Kernels being started for the pool right now. */
  get starting(): number {
    return this.inFlight.size;
  }

  get capacity(): number {
    return this.size;
  }

  /** Starts filling the pool in the background. */
  fill(): void {
    this.paused = false;
    this.refill();
  }

  take(kernelName: string): KernelSession | undefined {
    if (this.disposePromise || kernelName !== this.kernelName) {
      return undefined;
    }
    this.pruneDead();
    const session = this.ready.shift();
    this.fill();
    return session;
  }

  /** Changes how many kernels are kept warm; extra idle ones are shut down. */
  resize(size: number): void {
    this.size = normalizeSize(size);
    for (const extra of this.ready.splice(this.size)) {
      this.shutdownQuietly(extra);
    }
    this.fill();
  }

  /** Resolves when no kernel start is in flight (the pool is full, or a start failed). */
  async whenSettled(): Promise<void> {
    while (this.inFlight.size > 0) {
      await Promise.all([...this.inFlight]);
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
    const idle = this.ready.splice(0);
    await Promise.all([...idle.map((s) => s.shutdown()), this.whenSettled()]);
  }

  private refill(): void {
    while (!this.disposePromise && !this.paused && this.ready.length + this.inFlight.size < this.size) {
      const start: Promise<void> = this.startOne()
        .catch((err: unknown) => this.logger.warn(`Pooled kernel start: ${asError(err).message}`))
        .finally(() => this.inFlight.delete(start));
      this.inFlight.add(start);
    }
  }

  private async startOne(): Promise<void> {
    let session: KernelSession;
    try {
      session = await this.factory.start(this.kernelName);
    } catch (err) {
      this.paused = true;
      this.logger.warn(`Could not pre-start a ${this.kernelName} kernel: ${asError(err).message}`);
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
