import type { Disposable } from '../../common/disposable';
import type { Timer } from '../../kernels/types';

/**
 * When a results panel sends its pending updates: at once (on the next turn of the event loop, so the events of one
 * kernel message go together) when it sent nothing for `intervalMs`, otherwise when that interval has passed. A
 * `1+1` thus reaches the panel without waiting, and a flood still costs at most one send per interval.
 * {@link requestNow} skips the wait: a run that ended must not sit behind the interval its own start opened (a
 * `1+1` flushed its start, then waited ~100 ms for its result: `npm run bench:ui` U1's panel time).
 */
export class FlushThrottle implements Disposable {
  private pending: Disposable | undefined;
  /** The pending flush is the next turn's (it was asked for with {@link requestNow} or waited for nothing). */
  private pendingNow = false;
  private lastFlush = Number.NEGATIVE_INFINITY;

  constructor(
    private readonly flush: () => void,
    private readonly intervalMs: number,
    private readonly timer: Timer,
    private readonly now: () => number,
  ) {}

  /** Asks for a flush; several requests before it happens make one flush. */
  request(): void {
    if (this.pending) {
      return;
    }
    this.schedule(Math.max(0, this.lastFlush + this.intervalMs - this.now()));
  }

  /**
   * Asks for a flush in `delayMs` at the soonest (and no sooner than the interval allows): a run's start, which a
   * quick run's end (asked with {@link requestNow}) overtakes, so a quick run is sent once, finished. A flush already
   * pending keeps its time.
   */
  requestLater(delayMs: number): void {
    if (this.pending) {
      return;
    }
    this.schedule(Math.max(delayMs, this.lastFlush + this.intervalMs - this.now()));
  }

  /** Asks for a flush on the next turn, whatever the interval (joins a flush already due then). */
  requestNow(): void {
    if (this.pending && this.pendingNow) {
      return;
    }
    this.pending?.dispose();
    this.schedule(0);
  }

  private schedule(wait: number): void {
    this.pendingNow = wait === 0;
    this.pending = this.timer.setTimeout(() => {
      this.pending = undefined;
      this.pendingNow = false;
      this.lastFlush = this.now();
      this.flush();
    }, wait);
  }

  dispose(): void {
    this.pending?.dispose();
    this.pending = undefined;
  }
}
