import type { Disposable } from '../common/disposable';
import type { Timer } from '../kernels/types';

/**
 * When a results panel sends its pending updates: at once (on the next turn of the event loop, so the events of one
 * kernel message go together) when it sent nothing for `intervalMs`, otherwise when that interval has passed. A
 * `1+1` thus reaches the panel without waiting, and a flood still costs at most one send per interval.
 * (It used to wait `intervalMs` every time: 100 ms of every result's way to the screen, `npm run bench:ui` U1.)
 */
export class FlushThrottle implements Disposable {
  private pending: Disposable | undefined;
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
    const wait = Math.max(0, this.lastFlush + this.intervalMs - this.now());
    this.pending = this.timer.setTimeout(() => {
      this.pending = undefined;
      this.lastFlush = this.now();
      this.flush();
    }, wait);
  }

  dispose(): void {
    this.pending?.dispose();
    this.pending = undefined;
  }
}
