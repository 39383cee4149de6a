import { Disposable, toDisposable } from './disposable';

/** A subscribable event, shaped like `vscode.Event` so surfaces can pass it on. */
export type Event<T> = (listener: (e: T) => void) => Disposable;

/** Fires events to listeners. A throwing listener does not stop the others. */
export class Emitter<T> implements Disposable {
  private listeners: Array<(e: T) => void> = [];
  private disposed = false;

  readonly event: Event<T> = (listener) => {
    if (this.disposed) {
      return toDisposable(() => undefined);
    }
    this.listeners.push(listener);
    return toDisposable(() => {
      this.listeners = this.listeners.filter((l) => l !== listener);
    });
  };

  fire(e: T): void {
    for (const listener of this.listeners) {
      try {
        listener(e);
      } catch (err) {
        reportListenerError(err);
      }
    }
  }

  dispose(): void {
    this.disposed = true;
    this.listeners = [];
  }
}

let onListenerError: (err: unknown) => void = () => undefined;

/** Routes errors thrown by event listeners to the extension's log (set once at start-up). */
export function setListenerErrorHandler(handler: (err: unknown) => void): void {
  onListenerError = handler;
}

function reportListenerError(err: unknown): void {
  onListenerError(err);
}

/** Resolves when `event` first fires with a value that passes `predicate`. */
export function waitForEvent<T>(event: Event<T>, predicate: (e: T) => boolean = () => true): Promise<T> {
  return new Promise((resolve) => {
    const sub = event((e) => {
      if (predicate(e)) {
        sub.dispose();
        resolve(e);
      }
    });
  });
}
