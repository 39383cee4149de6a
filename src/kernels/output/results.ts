import { abortErrorName, abortMessage, type AbortReason } from '../session/abortReason';
import type { ExecutionResult } from '../types';

/** A result for a run that did not complete, with the reason in words a user understands. */
export function abortedResult(reason: AbortReason, durationMs: number): ExecutionResult {
  return {
    status: 'aborted',
    executionCount: null,
    outputs: [],
    error: { ename: abortErrorName(reason), evalue: abortMessage(reason), traceback: [] },
    durationMs,
  };
}
