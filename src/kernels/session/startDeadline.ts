import type { Timer } from '../types';

/** Thrown when a kernel start takes longer than its deadline. */
export class KernelStartTimeoutError extends Error {
  override readonly name = 'KernelStartTimeoutError';
}

/**
 * Bounds a kernel start, so a start that never finishes (seen under heavy load) fails with a clear message
 * instead of leaving its context, and every run queued behind it, waiting forever. A start that finishes after the
 * deadline is handed to `discard`, so its kernel is shut down rather than leaked. A start that never finishes at all
 * gets `onTimeout` at the deadline, so the caller can remove whatever the start already created (the kernel on the
 * server), which would otherwise stay there until the server stops.
 */
export function startWithin<T>(
  start: Promise<T>,
  ms: number,
  timer: Timer,
  message: string,
  discard: (late: T) => void,
  onTimeout?: () => void,
): Promise<T> {
  let timedOut = false;
  return new Promise<T>((resolve, reject) => {
    const deadline = timer.setTimeout(() => {
      timedOut = true;
      reject(new KernelStartTimeoutError(message));
      onTimeout?.();
    }, ms);
    start.then(
      (value) => {
        deadline.dispose();
        if (timedOut) {
          discard(value);
        } else {
          resolve(value);
        }
      },
      (err: unknown) => {
        deadline.dispose();
        reject(err);
      },
    );
  });
}
