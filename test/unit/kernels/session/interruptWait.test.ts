import * as assert from 'node:assert/strict';
import { ContextRegistry } from '../../../../src/kernels/registry/contextRegistry';
import { InterruptTimeoutError, whenNotBusy } from '../../../../src/kernels/session/interruptWait';
import { FakeFactory, FakeSession } from '../fakes';
import { FakeTimer } from '../../fakeTimer';

describe('interrupt with a timeout', () => {
  it('resolves when the kernel leaves busy, false after the timeout, true at once when idle', async () => {
    const timer = new FakeTimer();
    const session = new FakeSession();
    assert.equal(await whenNotBusy(session, timer, 1000), true);
    session.setState('busy');
    const stopped = whenNotBusy(session, timer, 1000);
    session.setState('idle');
    assert.equal(await stopped, true);
    assert.equal(timer.pendingCount, 0, 'the timeout is cleared');
    session.setState('busy');
    const stuck = whenNotBusy(session, timer, 1000);
    timer.advance(999);
    session.setState('busy');
    timer.advance(1);
    assert.equal(await stuck, false);
  });

  it('the registry rejects with the context, the timeout and a restart hint when the kernel stays busy', async () => {
    const timer = new FakeTimer();
    const factory = new FakeFactory();
    const registry = new ContextRegistry({ factory, timer, interruptTimeoutSeconds: () => 7 });
    await registry.execute({ id: 'agent:s', kind: 'agent', label: 'stubborn' }, '1');
    const session = factory.started[0];
    session.setState('busy');
    const interrupted = registry.interrupt('agent:s');
    await Promise.resolve();
    timer.advance(7000);
    const err = await interrupted.then(
      () => undefined,
      (e: unknown) => e,
    );
    assert.ok(err instanceof InterruptTimeoutError);
    assert.equal(err.contextId, 'agent:s');
    assert.equal(
      err.message,
      'The kernel of stubborn did not stop within 7 s of the interrupt: the running code may ignore Ctrl+C (SIGINT). ' +
        'Restart the kernel to stop it; its variables will be lost.',
    );
    session.setState('busy');
    const acknowledged = registry.interrupt('agent:s');
    await Promise.resolve();
    session.setState('idle');
    await acknowledged;
    await registry.disposeAsync();
  });
});
