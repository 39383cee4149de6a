import type { Disposable } from '../common/disposable';
import { Logger, nullLogger } from '../common/log';
import { isEnvironmentKernel } from '../python/pythonEnvironment';
import { baseKernelName } from '../jupyter/sandboxProfile';
import { KernelPool } from './kernelPool';
import type { PooledKernel, SessionFactory, SessionSource, Timer } from './types';

/** What the warm kernels are built from. */
interface WarmKernelsOptions {
  factory: Pick<SessionFactory, 'start'>;
  /** The default kernelspec (the server's own Python); project environments' kernels are pooled as well. */
  defaultKernelName: string;
  /** Warm kernels to keep in all, over every kernelspec in use (`kernelIslands.warmKernels`). */
  size: number;
  logger?: Logger;
  timer?: Timer;
  refillHoldMs?: number;
}

/**
 * Warm kernels per kernelspec in use: the default kernelspec and each project environment's (`ki-env-…`). Only
 * kernelspecs used in this window are kept warm, most recently used first, within one total: each gets one
 * kernel in that order, and what is left goes to the most recent one. So the first run in a second project's file
 * finds a warm kernel of its environment once that environment ran here, and a kernel is never handed to a
 * context of another environment (each kernelspec has its own {@link KernelPool}).
 */
export class WarmKernels implements SessionSource, Disposable {
  private readonly pools = new Map<string, KernelPool>();
  /** Kernelspecs in use, most recent first. */
  private order: string[] = [];
  private total: number;
  private disposed = false;

  constructor(private readonly options: WarmKernelsOptions) {
    this.total = normalize(options.size);
  }

  /** Kernelspecs whose kernels are kept warm, most recently used first. */
  get kernelNames(): readonly string[] {
    return this.order;
  }

  /** The pool of one kernelspec, once it was used (for tests and the benchmark). */
  poolOf(kernelName: string): KernelPool | undefined {
    return this.pools.get(kernelName);
  }

  /** Warm kernels in all, ready now. */
  get available(): number {
    return [...this.pools.values()].reduce((sum, pool) => sum + pool.available, 0);
  }

  /** True for the kernelspecs kept warm: the default one and project environments', sandboxed (for agents) or not. */
  isPooled(kernelName: string): boolean {
    const base = baseKernelName(kernelName);
    return base === this.options.defaultKernelName || isEnvironmentKernel(base);
  }

  /** A context of `kernelName` is about to start: it becomes the most recent, and its pool fills. */
  use(kernelName: string): void {
    if (this.disposed || !this.isPooled(kernelName)) {
      return;
    }
    this.order = [kernelName, ...this.order.filter((name) => name !== kernelName)];
    if (!this.pools.has(kernelName)) {
      this.pools.set(
        kernelName,
        new KernelPool({
          factory: this.options.factory,
          kernelName,
          size: 0,
          logger: this.options.logger ?? nullLogger,
          timer: this.options.timer,
          refillHoldMs: this.options.refillHoldMs,
        }),
      );
    }
    this.share();
  }

  take(kernelName: string): PooledKernel | undefined {
    if (this.disposed || !this.isPooled(kernelName)) {
      return undefined;
    }
    this.use(kernelName);
    return this.pools.get(kernelName)?.take(kernelName);
  }

  /** Changes the total; the least recently used kernelspecs give up their kernels first. */
  resize(size: number): void {
    this.total = normalize(size);
    this.share();
  }

  /** Resolves when no pool has a start in flight. */
  async whenSettled(): Promise<void> {
    await Promise.all([...this.pools.values()].map((pool) => pool.whenSettled()));
  }

  dispose(): void {
    void this.disposeAsync();
  }

  /** Shuts every warm kernel down, including ones still starting. */
  async disposeAsync(): Promise<void> {
    this.disposed = true;
    await Promise.all([...this.pools.values()].map((pool) => pool.disposeAsync()));
  }

  /** One kernel each in order of use while the total lasts; the rest to the most recent. */
  private share(): void {
    const sizes = new Map(this.order.map((name, i) => [name, i < this.total ? 1 : 0]));
    const first = this.order[0];
    if (first !== undefined && this.total > this.order.length) {
      sizes.set(first, 1 + this.total - this.order.length);
    }
    // Shrink before growing, so the total is never exceeded while kernels move between kernelspecs.
    const entries = [...this.pools.entries()];
    for (const [name, pool] of entries) {
      const size = sizes.get(name) ?? 0;
      if (size < pool.capacity) {
        pool.resize(size);
      }
    }
    for (const [name, pool] of entries) {
      const size = sizes.get(name) ?? 0;
      if (size >= pool.capacity) {
        pool.resize(size);
      }
    }
  }
}

function normalize(size: number): number {
  return Number.isFinite(size) ? Math.max(0, Math.floor(size)) : 0;
}
