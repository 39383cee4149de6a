import type { ExecutionResult } from './types';

/** A result for a run that did not complete, with the reason in words a user understands. */
export function abortedResult(reason: string, durationMs: number, ename = 'Aborted'): ExecutionResult {
  return {
    status: 'aborted',
    executionCount: null,
    outputs: [],
    error: { ename, evalue: reason, traceback: [] },
    durationMs,
  };
}
