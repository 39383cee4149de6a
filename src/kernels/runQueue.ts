/**
 * A FIFO queue that hands items to an async worker one at a time. A worker failure is reported and
 * the queue moves on, so one bad run never blocks the runs behind it.
 */
export class RunQueue<T> {
  private readonly items: T[] = [];
  private running = false;

  constructor(
    private readonly worker: (item: T) => Promise<void>,
    private readonly onError: (err: unknown) => void,
  ) {}

  /** Number of items waiting (not counting the one running). */
  get waiting(): number {
    return this.items.length;
  }

  push(item: T): void {
    this.items.push(item);
    if (!this.running) {
      void this.pump();
    }
  }

  /** Removes and returns every waiting item, e.g. to abort them on restart. The running one is left alone. */
  drain(): T[] {
    return this.items.splice(0, this.items.length);
  }

  private async pump(): Promise<void> {
    this.running = true;
    let item = this.items.shift();
    while (item !== undefined) {
      try {
        await this.worker(item);
      } catch (err) {
        this.onError(err);
      }
      item = this.items.shift();
    }
    this.running = false;
  }
}
