import type { KernelSession, Timer } from '../types';

/** Seconds a kernel gets to stop after an interrupt before the user is offered a restart. */
export const DEFAULT_INTERRUPT_TIMEOUT_SECONDS = 10;

/**
 * Thrown by `ContextRegistry.interrupt` when the kernel is still busy `timeoutSeconds` after the interrupt,
 * typically because the running code ignores SIGINT. A restart is the only way to stop it; callers with a UI
 * offer one (`contextId` names the context to restart).
 */
export class InterruptTimeoutError extends Error {
  override readonly name = 'InterruptTimeoutError';

  constructor(
    readonly contextId: string,
    label: string,
    readonly timeoutSeconds: number,
  ) {
    super(
      `The kernel of ${label} did not stop within ${timeoutSeconds} s of the interrupt: the running code may ignore ` +
        'Ctrl+C (SIGINT). Restart the kernel to stop it; its variables will be lost.',
    );
  }
}

/**
 * Resolves true as soon as `session` leaves 'busy' (the interrupt was acknowledged, or the kernel went away), or
 * false after `timeoutMs`. Resolves true at once when it is not busy. Subscribe before sending the interrupt, so
 * a fast acknowledgement is not missed.
 */
export function whenNotBusy(session: KernelSession, timer: Timer, timeoutMs: number): Promise<boolean> {
  if (session.state !== 'busy') {
    return Promise.resolve(true);
  }
  return new Promise((resolve) => {
    const finish = (stopped: boolean): void => {
      sub.dispose();
      timeout.dispose();
      resolve(stopped);
    };
    const sub = session.onDidChangeState((state) => {
      if (state !== 'busy') {
        finish(true);
      }
    });
    const timeout = timer.setTimeout(() => finish(false), timeoutMs);
  });
}
