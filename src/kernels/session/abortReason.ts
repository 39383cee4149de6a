import type { StateLostEvent } from '../types';

/**
 * Why a run ended without completing. Code passes these around; {@link abortMessage} alone turns one into the
 * words users read (a result's `error.evalue`), and {@link abortErrorName} into its `error.ename`.
 */
export type AbortReason =
  /** The user (or a caller) restarted the kernel: the runs it held are gone with its state. */
  | { kind: 'kernel-restarted' }
  /** The kernel process died (the server may have restarted it). */
  | { kind: 'kernel-died' }
  /** The Jupyter server died, and the kernel with it. */
  | { kind: 'server-died' }
  /** The connection to the kernel went away before anything said why. */
  | { kind: 'connection-closed' }
  /** The session was disposed (its connection closed) while the run was in flight. */
  | { kind: 'session-closed' }
  /** The kernel was shut down (the context closed, or Shut Down asked for). */
  | { kind: 'kernel-shut-down' }
  /** The run was sent to a session that had already ended. */
  | { kind: 'kernel-ended'; end: 'dead' | 'shutdown' }
  /** The window went away and the kernel stays on its (remote) server. */
  | { kind: 'window-closed' }
  /** The run was queued on a context that was already closed. */
  | { kind: 'context-closed' }
  /** The context was closed while its kernel was still starting or reconnecting. */
  | { kind: 'closed-while-starting'; contextId: string; step: 'starting' | 'reconnecting' }
  /** The kernel answered the request with status 'aborted' (it skipped it). */
  | { kind: 'kernel-skipped' }
  /** An earlier run of its group (`RunGroup` with stop on error) did not end ok, so it was never sent. */
  | { kind: 'earlier-run-failed' }
  /** Its caller stopped its group's waiting runs (the notebook's stop button, a closed notebook) before it was sent. */
  | { kind: 'runs-stopped' }
  /** Nobody answered `input()`, so the run was interrupted. */
  | { kind: 'input-cancelled' }
  /** The run failed before its kernel answered (e.g. starting or setting up the kernel failed) with `message`. */
  | { kind: 'run-failed'; message: string };

/** The user-facing words for an abort reason; the only place they are written. */
export function abortMessage(reason: AbortReason): string {
  switch (reason.kind) {
    case 'kernel-restarted':
      return 'aborted: kernel restarted';
    case 'kernel-died':
      return 'aborted: kernel died';
    case 'server-died':
      return 'aborted: Jupyter server died';
    case 'connection-closed':
      return 'aborted: kernel connection closed';
    case 'session-closed':
      return 'aborted: kernel session closed';
    case 'kernel-shut-down':
      return 'aborted: kernel shut down';
    case 'kernel-ended':
      return `aborted: the kernel is ${reason.end === 'dead' ? 'dead' : 'shut down'}`;
    case 'window-closed':
      return 'aborted: window closed';
    case 'context-closed':
      return 'aborted: the context is closed';
    case 'closed-while-starting':
      return `aborted: context "${reason.contextId}" was closed while its kernel was ${reason.step}`;
    case 'kernel-skipped':
      return 'aborted: the kernel skipped this run';
    case 'earlier-run-failed':
      return 'not run: an earlier cell failed';
    case 'runs-stopped':
      return 'not run: stopped before its turn';
    case 'input-cancelled':
      return 'aborted: input was cancelled, so the run was interrupted';
    case 'run-failed':
      return reason.message;
    default:
      return unknownReason(reason);
  }
}

/** The `ename` of an aborted result: what kind of end it was, for callers that tell them apart. */
export function abortErrorName(reason: AbortReason): string {
  switch (reason.kind) {
    case 'input-cancelled':
      return 'InputCancelled';
    case 'run-failed':
      return 'KernelError';
    default:
      return 'Aborted';
  }
}

/** Why the runs a kernel held end when its state is lost: one mapping for the sessions and the registry. */
export function lossAbortReason(reason: StateLostEvent['reason']): AbortReason {
  switch (reason) {
    case 'restarted':
      return { kind: 'kernel-restarted' };
    case 'kernel-died':
      return { kind: 'kernel-died' };
    case 'server-died':
      return { kind: 'server-died' };
    default:
      return unknownReason(reason);
  }
}

/** Fails to compile when a switch above misses a case; at run time it names the stray value. */
function unknownReason(value: never): never {
  throw new Error(`Unknown abort reason: ${JSON.stringify(value)}`);
}
