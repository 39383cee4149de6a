import { toDisposable, type Disposable } from '../../src/common/disposable';
import type { Timer } from '../../src/kernels/types';

/**
 * The one fake `Timer` of the unit tests: nothing runs until the test says so. `advance(ms)` moves a fake clock and
 * runs what fell due (scheduled shutdowns, idle limits); `fireAll()` runs everything pending at once, whatever its
 * delay (deadlines that either pass or not, coalescing). A disposed callback never runs.
 */
export class FakeTimer implements Timer {
  private now = 0;
  private readonly timers = new Set<{ at: number; ms: number; callback: () => void }>();

  /** The fake timer's own setTimeout (the `Timer` interface): it schedules on the fake clock and never waits. */
  setTimeout(callback: () => void, ms: number): Disposable {
    const timer = { at: this.now + ms, ms, callback };
    this.timers.add(timer);
    return toDisposable(() => this.timers.delete(timer));
  }

  /** Moves the clock by `ms` and runs, in the order they were set, the callbacks due by then. */
  advance(ms: number): void {
    this.now += ms;
    for (const timer of [...this.timers]) {
      if (timer.at <= this.now && this.timers.delete(timer)) {
        timer.callback();
      }
    }
  }

  /** Runs every callback pending now (not the ones they set in turn), without moving the clock. */
  fireAll(): void {
    for (const timer of [...this.timers]) {
      if (this.timers.delete(timer)) {
        timer.callback();
      }
    }
  }

  /** Callbacks set and neither run nor disposed. */
  get pendingCount(): number {
    return this.timers.size;
  }

  /** The delays (ms) the pending callbacks were set with, in the order they were set. */
  get pendingDelays(): number[] {
    return [...this.timers].map((t) => t.ms);
  }

  /** The fake clock's time in milliseconds, for code that takes a `now()` next to its timer. */
  readonly clock = (): number => this.now;
}
