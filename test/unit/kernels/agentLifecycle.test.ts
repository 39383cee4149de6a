import * as assert from 'node:assert/strict';
import { AgentLifecycle, type AgentLimits } from '../../../src/kernels/agentLifecycle';
import { contextSpec } from '../../../src/kernels/contextSpec';
import { ContextRegistry } from '../../../src/kernels/registry/contextRegistry';
import { FakeFactory, FakeSession } from './fakes';
import { FakeTimer } from '../fakeTimer';

const flush = () => new Promise<void>((resolve) => setImmediate(resolve));
const spec = (id: string) => contextSpec({ id });
const MINUTE = 60_000;

describe('AgentLifecycle (fake kernels, fake clock)', () => {
  let factory: FakeFactory;
  let timer: FakeTimer;
  let registry: ContextRegistry;
  let lifecycle: AgentLifecycle;

  const start = (limits: AgentLimits, remembered?: number) => {
    lifecycle = new AgentLifecycle(registry, { limits, timer, now: timer.clock, remembered });
  };
  const ids = () =>
    registry
      .list()
      .map((c) => c.id)
      .sort();
  /** The fake kernel a context got, by the order contexts started. */
  const kernelOf = (id: string): FakeSession => {
    const info = registry.get(id);
    const session = factory.started.find((s) => s.id === info?.kernelId);
    assert.ok(session, `${id} has a kernel`);
    return session;
  };
  /** Runs `code` in each context in turn, one clock tick apart, so their last use is in that order. */
  const use = async (...contexts: string[]) => {
    for (const id of contexts) {
      await registry.execute(spec(id), `in ${id}`);
      timer.advance(1);
      await flush();
    }
  };

  beforeEach(() => {
    factory = new FakeFactory();
    timer = new FakeTimer();
    registry = new ContextRegistry({ factory, timer });
  });
  afterEach(async () => {
    lifecycle.dispose();
    await registry.disposeAsync();
  });

  it('a new agent context over the cap shuts down the least recently used idle one', async () => {
    start({ idleShutdownMinutes: 30, maxContexts: 3 });
    await use('agent:a', 'agent:b', 'agent:c', 'agent:a');
    const b = kernelOf('agent:b');
    await use('agent:d');
    assert.deepEqual(ids(), ['agent:a', 'agent:c', 'agent:d']);
    assert.equal(b.shutdowns, 1, "b's kernel is shut down on its server");
    assert.deepEqual(lifecycle.shutdownCause('agent:b'), { kind: 'cap', maxContexts: 3 });
  });

  it('never shuts a busy context down: the least recently used idle one goes instead', async () => {
    start({ idleShutdownMinutes: 30, maxContexts: 3 });
    factory.manual = true;
    const busyRun = registry.execute(spec('agent:busy'), 'import time; time.sleep(60)');
    await flush();
    timer.advance(1);
    factory.manual = false;
    await use('agent:a', 'agent:b', 'agent:new');
    assert.deepEqual(ids(), ['agent:b', 'agent:busy', 'agent:new'], 'a, the oldest idle one, went; busy stayed');
    kernelOf('agent:busy').answerNext();
    assert.equal((await busyRun).status, 'ok', 'the busy run was not cut short');
  });

  it('when every agent context is busy the new one still starts; the next new one makes room among the idle ones', async () => {
    start({ idleShutdownMinutes: 30, maxContexts: 2 });
    factory.manual = true;
    const runs = ['agent:a', 'agent:b', 'agent:c'].map((id) => registry.execute(spec(id), `sleep in ${id}`));
    await flush();
    assert.deepEqual(ids(), ['agent:a', 'agent:b', 'agent:c'], 'over the cap while all three are busy');
    assert.equal(factory.started.length, 3, 'the third call was not queued behind the others');
    for (const id of ['agent:a', 'agent:b', 'agent:c']) {
      kernelOf(id).answerNext();
      timer.advance(1);
      await flush();
    }
    await Promise.all(runs);
    assert.deepEqual(ids(), ['agent:a', 'agent:b', 'agent:c'], 'a run that ends never costs its context its kernel');
    factory.manual = false;
    await use('agent:d');
    assert.deepEqual(ids(), ['agent:c', 'agent:d'], 'the new one made room: the two least recently used went');
  });

  it('never touches editor, notebook or other named contexts, nor an agent context sharing another kernel', async () => {
    start({ idleShutdownMinutes: 1, maxContexts: 1 });
    const others = ['file:///w/a.py', 'untitled:Untitled-1', 'vscode-notebook-cell:/w/n.ipynb#c1', 'my-script'];
    await use(...others, 'agent:a');
    registry.attach('agent:shares', 'file:///w/a.py');
    await use('agent:shares', 'agent:b');
    assert.deepEqual(ids(), ['agent:b', 'agent:shares', ...others].sort(), 'only agent:a went (for agent:b)');
    timer.advance(10 * MINUTE);
    await flush();
    assert.deepEqual(ids(), ['agent:shares', ...others].sort(), 'idle shutdown took agent:b alone');
    assert.deepEqual(lifecycle.managedIds(), []);
  });

  it('shuts an idle agent context down at its deadline, and a busy one not before its run ends', async () => {
    start({ idleShutdownMinutes: 30, maxContexts: 8 });
    await use('agent:idle');
    factory.manual = true;
    const long = registry.execute(spec('agent:long'), 'long job');
    await flush();
    timer.advance(30 * MINUTE - 2);
    await flush();
    assert.deepEqual(ids(), ['agent:idle', 'agent:long'], 'one millisecond before the deadline');
    timer.advance(1);
    await flush();
    assert.deepEqual(ids(), ['agent:long'], 'at the deadline');
    assert.deepEqual(lifecycle.shutdownCause('agent:idle'), { kind: 'idle', minutes: 30 });
    timer.advance(60 * MINUTE);
    await flush();
    assert.deepEqual(ids(), ['agent:long'], 'a running run keeps its context');
    kernelOf('agent:long').answerNext();
    await long;
    timer.advance(30 * MINUTE - 1);
    await flush();
    assert.deepEqual(ids(), ['agent:long'], 'the idle clock starts when the run ends');
    timer.advance(1);
    await flush();
    assert.deepEqual(ids(), []);
  });

  it('a queued run keeps the context busy until the last one ends', async () => {
    start({ idleShutdownMinutes: 1, maxContexts: 8 });
    factory.manual = true;
    const first = registry.execute(spec('agent:q'), 'first');
    await flush();
    const second = registry.execute(spec('agent:q'), 'second');
    await flush();
    const kernel = kernelOf('agent:q');
    kernel.answerNext();
    await first;
    timer.advance(5 * MINUTE);
    await flush();
    assert.deepEqual(ids(), ['agent:q'], 'the second run is still running');
    kernel.answerNext();
    assert.equal((await second).status, 'ok');
  });

  it('the next call to a context it shut down is told its variables are gone, once, and runs in a fresh kernel', async () => {
    start({ idleShutdownMinutes: 30, maxContexts: 1 });
    await lifecycle.execute(spec('agent:x'), 'x = 1');
    const first = kernelOf('agent:x');
    await lifecycle.execute(spec('agent:y'), 'y = 1');
    await flush();
    const back = await lifecycle.execute(spec('agent:x'), 'print(x)');
    assert.equal(
      back.notice,
      'Context agent:x was shut down to stay within kernelIslands.agents.maxContexts=1; its variables are gone; this run started a fresh kernel.',
    );
    assert.notEqual(kernelOf('agent:x'), first, 'a fresh kernel');
    assert.equal(back.result.status, 'ok');
    assert.equal((await lifecycle.execute(spec('agent:x'), 'x')).notice, undefined, 'said once');

    timer.advance(30 * MINUTE);
    await flush();
    const idle = await lifecycle.execute(spec('agent:x'), 'x');
    assert.equal(
      idle.notice,
      'Context agent:x was shut down after 30 minutes idle (kernelIslands.agents.idleShutdownMinutes); its variables are gone; this run started a fresh kernel.',
    );
    assert.equal((await lifecycle.execute(spec('agent:never-seen'), '1')).notice, undefined);
  });

  it('a context the user shut down, or one made again by another caller, gets no notice', async () => {
    start({ idleShutdownMinutes: 1, maxContexts: 8 });
    await use('agent:u');
    await registry.shutdown('agent:u');
    assert.equal((await lifecycle.execute(spec('agent:u'), '1')).notice, undefined, 'the user asked for it');
    timer.advance(MINUTE);
    await flush();
    await registry.execute(spec('agent:u'), 'a caller that bypasses the lifecycle');
    assert.equal((await lifecycle.execute(spec('agent:u'), '1')).notice, undefined, 'that caller has its new kernel');
  });

  it('remembers only the last ids it shut down', async () => {
    start({ idleShutdownMinutes: 1, maxContexts: 8 }, 2);
    await use('agent:1', 'agent:2', 'agent:3');
    timer.advance(MINUTE);
    await flush();
    assert.deepEqual(ids(), []);
    assert.equal(lifecycle.shutdownCause('agent:1'), undefined, 'the oldest is forgotten');
    assert.ok(lifecycle.shutdownCause('agent:2'));
    assert.ok(lifecycle.shutdownCause('agent:3'));
  });

  it('applies changed limits at once: a shorter idle time and a lower cap', async () => {
    start({ idleShutdownMinutes: 30, maxContexts: 8 });
    await use('agent:a', 'agent:b', 'agent:c', 'agent:d');
    timer.advance(15 * MINUTE);
    lifecycle.setLimits({ idleShutdownMinutes: 30, maxContexts: 2 });
    await flush();
    assert.deepEqual(ids(), ['agent:c', 'agent:d'], 'the two least recently used went');
    lifecycle.setLimits({ idleShutdownMinutes: 10, maxContexts: 2 });
    timer.advance(0);
    await flush();
    assert.deepEqual(ids(), [], 'idle 15 minutes, over the new 10');
    assert.deepEqual(lifecycle.shutdownCause('agent:c'), { kind: 'idle', minutes: 10 });
  });

  it('0 turns either limit off', async () => {
    start({ idleShutdownMinutes: 0, maxContexts: 0 });
    await use(...Array.from({ length: 12 }, (_, i) => `agent:${i}`));
    timer.advance(1000 * MINUTE);
    await flush();
    assert.equal(ids().length, 12);
  });

  it('reload: contexts it shut down are not in the snapshot; restored ones get a fresh idle clock and the cap', async () => {
    start({ idleShutdownMinutes: 30, maxContexts: 2 });
    await use('agent:a', 'agent:b', 'agent:c');
    await flush();
    const saved = registry.snapshot();
    assert.deepEqual(
      saved.map((s) => s.id),
      ['agent:b', 'agent:c'],
      'agent:a, shut down for the cap, is not restored',
    );
    lifecycle.dispose();
    await registry.disposeAsync();

    timer.advance(29 * MINUTE);
    registry = new ContextRegistry({ factory, timer });
    start({ idleShutdownMinutes: 30, maxContexts: 1 });
    registry.restore(saved);
    await flush();
    const kept = ids();
    assert.equal(kept.length, 1, 'the lower cap applies to restored contexts');
    timer.advance(29 * MINUTE);
    await flush();
    assert.deepEqual(ids(), kept, 'its idle clock restarted at the restore');
    timer.advance(MINUTE);
    await flush();
    assert.deepEqual(ids(), []);
  });

  it('reports the age and idle time of agent contexts only', async () => {
    start({ idleShutdownMinutes: 30, maxContexts: 8 });
    timer.advance(1000);
    factory.manual = true;
    const run = registry.execute(spec('agent:a'), 'work');
    await flush();
    assert.deepEqual(lifecycle.activity('agent:a'), { createdAt: 1000, idleSince: undefined });
    timer.advance(500);
    kernelOf('agent:a').answerNext();
    await run;
    assert.deepEqual(lifecycle.activity('agent:a'), { createdAt: 1000, idleSince: 1500 });
    factory.manual = false;
    await registry.execute(spec('file:///w/a.py'), '1');
    assert.equal(lifecycle.activity('file:///w/a.py'), undefined);
  });
});
