/**
 * A notebook's cell queue: cells run one at a time in the order they were queued. When a cell fails, the cells
 * queued after it end unsuccessfully without running, as Jupyter does with `stop_on_error`.
 */

/** One queued cell. */
export interface QueuedCell {
  /** Runs the cell; resolves true when it succeeded. */
  run(): Promise<boolean>;
  /** Ends the cell without running it (an earlier cell failed, or the queue was interrupted). */
  skip(): void;
}

export class CellQueue {
  private readonly waiting: QueuedCell[] = [];
  private running = false;

  /** @param onError receives a cell whose `run` or `skip` threw; the queue treats that cell as failed. */
  constructor(private readonly onError: (err: unknown) => void) {}

  /** Cells waiting to run, not counting the running one. */
  get size(): number {
    return this.waiting.length;
  }

  /** True while a cell runs. */
  get busy(): boolean {
    return this.running;
  }

  push(...cells: QueuedCell[]): void {
    this.waiting.push(...cells);
    if (!this.running) {
      void this.pump().catch(this.onError);
    }
  }

  /** Skips every waiting cell; the running cell is left alone. Returns how many were skipped. */
  skipWaiting(): number {
    const skipped = this.waiting.splice(0, this.waiting.length);
    for (const cell of skipped) {
      this.safely(() => cell.skip());
    }
    return skipped.length;
  }

  private async pump(): Promise<void> {
    this.running = true;
    try {
      for (let cell = this.waiting.shift(); cell; cell = this.waiting.shift()) {
        let ok = false;
        try {
          ok = await cell.run();
        } catch (err) {
          this.onError(err);
        }
        if (!ok) {
          this.skipWaiting();
        }
      }
    } finally {
      this.running = false;
    }
  }

  private safely(fn: () => void): void {
    try {
      fn();
    } catch (err) {
      this.onError(err);
    }
  }
}
