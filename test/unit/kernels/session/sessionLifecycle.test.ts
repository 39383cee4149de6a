import * as assert from 'node:assert/strict';
import { nullLogger } from '../../../../src/common/log';
import { lossMessages } from '../../../../src/kernels/session/lossMessages';
import { SessionLifecycle } from '../../../../src/kernels/session/sessionLifecycle';
import type { KernelState, StateLostEvent } from '../../../../src/kernels/types';

/** A lifecycle whose session state is whatever the test sets, recording every event and dispose call. */
function harness() {
  const seen = {
    states: [] as KernelState[],
    losses: [] as StateLostEvent[],
    sessionDisposed: 0,
    warnings: [] as string[],
  };
  let current: KernelState = 'starting';
  const life: SessionLifecycle = new SessionLifecycle({
    kernel: { id: 'k-1', kernelName: 'python3' },
    currentState: (): KernelState => life.final ?? current,
    disposeSession: () => {
      seen.sessionDisposed += 1;
      life.dispose();
    },
    warn: (message) => seen.warnings.push(message),
  });
  life.onDidChangeState((s) => seen.states.push(s));
  life.onDidLoseState((e) => seen.losses.push(e));
  const setState = (s: KernelState): void => {
    current = s;
    life.fireStateIfChanged();
  };
  return { life, seen, setState };
}

describe('SessionLifecycle (bookkeeping shared by both kernel sessions)', () => {
  it('fires a state change once per change, not for repeats of the same state', () => {
    const { seen, setState } = harness();
    setState('starting');
    setState('idle');
    setState('idle');
    setState('busy');
    setState('busy');
    setState('idle');
    assert.deepEqual(seen.states, ['idle', 'busy', 'idle']);
  });

  it('markGone fires the loss once, sets the abort reason, clears the count and disposes the session', () => {
    const { life, seen } = harness();
    life.executionCount = 4;
    life.markGone(lossMessages.serverDied, 'server-died');
    life.markGone(lossMessages.removed, 'kernel-died');
    assert.deepEqual(seen.losses, [{ reason: 'server-died', message: lossMessages.serverDied }]);
    assert.equal(life.final, 'dead');
    assert.deepEqual(life.abortReason, { kind: 'server-died' });
    assert.equal(life.executionCount, null);
    assert.equal(seen.sessionDisposed, 1);
    assert.deepEqual(seen.states, ['dead']);
  });

  it('a kernel death (not the server) aborts runs with "kernel died"', () => {
    const { life } = harness();
    life.markGone(lossMessages.deadForGood, 'kernel-died');
    assert.deepEqual(life.abortReason, { kind: 'kernel-died' });
  });

  it('loseState keeps the session alive, resets the count and fires the matching message every time', () => {
    const { life, seen } = harness();
    life.executionCount = 2;
    life.loseState('restarted');
    assert.deepEqual(life.abortReason, { kind: 'kernel-restarted' });
    assert.equal(life.executionCount, null);
    life.loseState('kernel-died');
    assert.deepEqual(life.abortReason, { kind: 'kernel-died' });
    assert.deepEqual(seen.losses, [
      { reason: 'restarted', message: lossMessages.restarted },
      { reason: 'kernel-died', message: lossMessages.died },
    ]);
    assert.equal(life.final, undefined);
    assert.equal(seen.sessionDisposed, 0);
  });

  it('throwIfGone names the kernel and says dead or shut down; passes while the session lives', () => {
    const live = harness().life;
    assert.doesNotThrow(() => live.throwIfGone());
    const dead = harness().life;
    dead.markGone(lossMessages.removed, 'kernel-died');
    assert.throws(() => dead.throwIfGone(), { message: 'Kernel python3 (k-1) is dead.' });
    const closed = harness().life;
    closed.end({ kind: 'kernel-shut-down' });
    assert.throws(() => closed.throwIfGone(), { message: 'Kernel python3 (k-1) is shut down.' });
  });

  it('execute on an ended session answers aborted at once, with the same wording, and sends nothing', async () => {
    const { life } = harness();
    life.end({ kind: 'kernel-shut-down' });
    const transport = {
      kernel: {
        requestExecute: () => assert.fail('nothing may be sent to an ended session'),
        sendInputReply: () => assert.fail('nothing may be sent to an ended session'),
      },
      now: () => 0,
      logger: nullLogger,
      track: () => ({ dispose: () => undefined }),
      interrupt: () => Promise.resolve(),
    };
    const result = await life.execute(transport, 'x = 1', {});
    assert.equal(result.status, 'aborted');
    assert.equal(result.error?.evalue, 'aborted: the kernel is shut down');
  });

  it('shutdown stops the kernel once, logs a failure to stop, and disposes the session', async () => {
    const { life, seen } = harness();
    let stops = 0;
    const stop = (): Promise<void> => {
      stops += 1;
      return Promise.reject(new Error('server gone'));
    };
    const first = life.shutdown(stop);
    assert.equal(life.shutdown(stop), first);
    await first;
    assert.equal(stops, 1);
    assert.equal(life.final, 'shutdown');
    assert.deepEqual(life.abortReason, { kind: 'kernel-shut-down' });
    assert.deepEqual(seen.warnings, ['Could not shut down kernel k-1: Error: server gone']);
    assert.equal(seen.sessionDisposed, 1);
  });

  it('shutdown after a death does not stop the kernel again, only disposes', async () => {
    const { life, seen } = harness();
    life.markGone(lossMessages.removed, 'kernel-died');
    await life.shutdown(() => assert.fail('a dead kernel is not shut down again'));
    assert.equal(seen.sessionDisposed, 2);
  });

  it('end sets shutdown and its reason only once, and never overrides a death', () => {
    const { life } = harness();
    assert.equal(life.end({ kind: 'kernel-shut-down' }), true);
    assert.equal(life.end({ kind: 'session-closed' }), false);
    assert.deepEqual(life.abortReason, { kind: 'kernel-shut-down' });
    const gone = harness().life;
    gone.markGone(lossMessages.removed, 'kernel-died');
    assert.equal(gone.end({ kind: 'session-closed' }), false);
    assert.equal(gone.final, 'dead');
  });

  it('dispose fires the end state, is safe twice, and later events reach nobody', () => {
    const { life, seen } = harness();
    life.end({ kind: 'session-closed' });
    life.dispose();
    life.dispose();
    life.loseState('restarted');
    assert.deepEqual(seen.states, ['shutdown']);
    assert.deepEqual(seen.losses, []);
  });
});
