import * as assert from 'node:assert/strict';
import { KernelStartTimeoutError, startWithin } from '../../../../src/kernels/session/startDeadline';
import { FakeTimer } from '../../fakeTimer';

function deferred<T>() {
  let resolve!: (v: T) => void;
  let reject!: (e: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

describe('startWithin (kernel start deadline)', () => {
  it('passes a start that finishes in time through and cancels the deadline', async () => {
    const timer = new FakeTimer();
    const start = deferred<string>();
    const bounded = startWithin(start.promise, 1000, timer, 'too slow', () => assert.fail('nothing is late'));
    start.resolve('kernel');
    assert.equal(await bounded, 'kernel');
    assert.equal(timer.pendingCount, 0);
  });

  it('passes a failed start through unchanged', async () => {
    const timer = new FakeTimer();
    const start = deferred<string>();
    const bounded = startWithin(start.promise, 1000, timer, 'too slow', () => undefined);
    start.reject(new Error('Unknown kernelspec'));
    await assert.rejects(bounded, /Unknown kernelspec/);
  });

  it('rejects with the message at the deadline, and discards a start that finishes later', async () => {
    const timer = new FakeTimer();
    const start = deferred<string>();
    const discarded: string[] = [];
    const bounded = startWithin(start.promise, 1000, timer, 'Kernel python3 did not become ready', (late) =>
      discarded.push(late),
    );
    timer.fireAll();
    await assert.rejects(bounded, (err: unknown) => {
      assert.ok(err instanceof KernelStartTimeoutError);
      assert.match(err.message, /did not become ready/);
      return true;
    });
    start.resolve('late-kernel');
    await start.promise;
    await Promise.resolve();
    assert.deepEqual(discarded, ['late-kernel']);
  });

  it('calls onTimeout once at the deadline, so the caller can remove a start that never finishes', async () => {
    const timer = new FakeTimer();
    const start = deferred<string>();
    let timeouts = 0;
    const bounded = startWithin(
      start.promise,
      1000,
      timer,
      'too slow',
      () => undefined,
      () => timeouts++,
    );
    assert.equal(timeouts, 0);
    timer.fireAll();
    await assert.rejects(bounded, KernelStartTimeoutError);
    assert.equal(timeouts, 1);
    start.reject(new Error('kernel deleted'));
    await start.promise.catch(() => undefined);
    assert.equal(timeouts, 1);
  });

  it('does not call onTimeout when the start finishes in time', async () => {
    const timer = new FakeTimer();
    const start = deferred<string>();
    let timeouts = 0;
    const bounded = startWithin(
      start.promise,
      1000,
      timer,
      'too slow',
      () => undefined,
      () => timeouts++,
    );
    start.resolve('kernel');
    await bounded;
    timer.fireAll();
    assert.equal(timeouts, 0);
  });
});
