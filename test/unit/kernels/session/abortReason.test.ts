import { strict as assert } from 'node:assert';
import {
  abortErrorName,
  abortMessage,
  lossAbortReason,
  type AbortReason,
} from '../../../../src/kernels/session/abortReason';
import { abortedResult } from '../../../../src/kernels/output/results';

/** One row per kind: a new kind of reason does not compile until it gets its wording here. */
const wording: { [K in AbortReason['kind']]: [Extract<AbortReason, { kind: K }>, string] } = {
  'kernel-restarted': [{ kind: 'kernel-restarted' }, 'aborted: kernel restarted'],
  'kernel-died': [{ kind: 'kernel-died' }, 'aborted: kernel died'],
  'server-died': [{ kind: 'server-died' }, 'aborted: Jupyter server died'],
  'connection-closed': [{ kind: 'connection-closed' }, 'aborted: kernel connection closed'],
  'session-closed': [{ kind: 'session-closed' }, 'aborted: kernel session closed'],
  'kernel-shut-down': [{ kind: 'kernel-shut-down' }, 'aborted: kernel shut down'],
  'kernel-ended': [{ kind: 'kernel-ended', end: 'dead' }, 'aborted: the kernel is dead'],
  'window-closed': [{ kind: 'window-closed' }, 'aborted: window closed'],
  'context-closed': [{ kind: 'context-closed' }, 'aborted: the context is closed'],
  'closed-while-starting': [
    { kind: 'closed-while-starting', contextId: 'agent:a', step: 'reconnecting' },
    'aborted: context "agent:a" was closed while its kernel was reconnecting',
  ],
  'kernel-skipped': [{ kind: 'kernel-skipped' }, 'aborted: the kernel skipped this run'],
  'earlier-run-failed': [{ kind: 'earlier-run-failed' }, 'not run: an earlier cell failed'],
  'runs-stopped': [{ kind: 'runs-stopped' }, 'not run: stopped before its turn'],
  'input-cancelled': [{ kind: 'input-cancelled' }, 'aborted: input was cancelled, so the run was interrupted'],
  'run-failed': [{ kind: 'run-failed', message: 'Unknown kernelspec "x".' }, 'Unknown kernelspec "x".'],
};

describe('abort reasons', () => {
  for (const [reason, text] of Object.values(wording)) {
    it(`${reason.kind} reads "${text}"`, () => {
      assert.equal(abortMessage(reason), text);
    });
  }

  it('the variants of a kind are worded from their fields', () => {
    assert.equal(abortMessage({ kind: 'kernel-ended', end: 'shutdown' }), 'aborted: the kernel is shut down');
    assert.equal(
      abortMessage({ kind: 'closed-while-starting', contextId: 'file:///a.py', step: 'starting' }),
      'aborted: context "file:///a.py" was closed while its kernel was starting',
    );
  });

  it('a cancelled input and a failed run keep their own error names; every other abort is "Aborted"', () => {
    const names = Object.values(wording).map(([reason]) => [reason.kind, abortErrorName(reason)]);
    assert.deepEqual(
      names.filter(([, name]) => name !== 'Aborted'),
      [
        ['input-cancelled', 'InputCancelled'],
        ['run-failed', 'KernelError'],
      ],
    );
  });

  it('a lost state maps to the reason its runs end with', () => {
    assert.deepEqual(lossAbortReason('restarted'), { kind: 'kernel-restarted' });
    assert.deepEqual(lossAbortReason('kernel-died'), { kind: 'kernel-died' });
    assert.deepEqual(lossAbortReason('server-died'), { kind: 'server-died' });
  });

  it('a value outside the union (only possible through a cast) is named, not worded as something else', () => {
    const stray = { kind: 'gremlins' } as unknown as AbortReason;
    assert.throws(() => abortMessage(stray), /Unknown abort reason: \{"kind":"gremlins"\}/);
  });

  it('abortedResult carries the wording and the error name', () => {
    assert.deepEqual(abortedResult({ kind: 'input-cancelled' }, 12), {
      status: 'aborted',
      executionCount: null,
      outputs: [],
      error: {
        ename: 'InputCancelled',
        evalue: 'aborted: input was cancelled, so the run was interrupted',
        traceback: [],
      },
      durationMs: 12,
    });
  });
});
