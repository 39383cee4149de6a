/** Something that releases resources. Compatible with `vscode.Disposable`. */
export interface Disposable {
  dispose(): void;
}

/** Wraps a callback as a Disposable that runs it at most once. */
export function toDisposable(fn: () => void): Disposable {
  let done = false;
  return {
    dispose() {
      if (!done) {
        done = true;
        fn();
      }
    },
  };
}

/**
 * Owns a set of disposables and disposes them together, newest first.
 * Safe to dispose twice; adding to a disposed store disposes the item at once.
 */
export class DisposableStore implements Disposable {
  private readonly items = new Set<Disposable>();
  private disposed = false;

  get isDisposed(): boolean {
    return this.disposed;
  }

  add<T extends Disposable>(item: T): T {
    if (this.disposed) {
      item.dispose();
    } else {
      this.items.add(item);
    }
    return item;
  }

  delete(item: Disposable): void {
    this.items.delete(item);
  }

  dispose(): void {
    if (this.disposed) {
      return;
    }
    this.disposed = true;
    const items = [...this.items].reverse();
    this.items.clear();
    for (const item of items) {
      item.dispose();
    }
  }
}
