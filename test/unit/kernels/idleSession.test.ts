import * as assert from 'node:assert/strict';
import { ContextRegistry } from '../../../src/kernels/registry/contextRegistry';
import { FakeFactory } from './fakes';
import { FakeTimer } from '../fakeTimer';

describe('ContextRegistry.idleSession', () => {
  const spec = { id: 'a', kind: 'named' as const, label: 'a' };

  it('is the kernel only while it runs, is idle and has no run queued; it never starts one', async () => {
    const factory = new FakeFactory();
    const registry = new ContextRegistry({ factory, timer: new FakeTimer() });
    assert.equal(registry.idleSession('a'), undefined, 'an unknown context');
    await registry.execute(spec, 'x = 1');
    const [session] = factory.started;
    assert.equal(registry.idleSession('a'), session);

    session.manual = true;
    const run = registry.execute(spec, 'slow()');
    await new Promise((resolve) => setImmediate(resolve));
    assert.equal(registry.idleSession('a'), undefined, 'a run in the kernel');
    session.answerNext();
    await run;
    assert.equal(registry.idleSession('a'), session, 'idle again after the run');

    session.state = 'busy';
    assert.equal(registry.idleSession('a'), undefined, 'a busy kernel (another client runs code)');
    session.state = 'idle';
    await registry.shutdown('a');
    assert.equal(registry.idleSession('a'), undefined, 'a shut down context');
    assert.equal(factory.started.length, 1, 'asking started no kernel');
    await registry.disposeAsync();
  });
});
