import * as assert from 'node:assert/strict';
import { ContextRegistry } from '../../../src/kernels/registry/contextRegistry';
import type { ContextChangeEvent, ExecutionEvent } from '../../../src/kernels/types';
import { FakeFactory, FakeSession, okResult } from './fakes';
import { FakeTimer } from '../fakeTimer';

const flush = () => new Promise<void>((resolve) => setImmediate(resolve));
const spec = (id: string, cwd = `/work/${id}`) => ({ id, kind: 'named' as const, label: id, cwd });

describe('ContextRegistry (fake kernels)', () => {
  let factory: FakeFactory;
  let timer: FakeTimer;
  let registry: ContextRegistry;
  let changes: ContextChangeEvent[];

  beforeEach(() => {
    factory = new FakeFactory();
    timer = new FakeTimer();
    registry = new ContextRegistry({ factory, timer });
    changes = [];
    registry.onDidChangeContexts((e) => changes.push(e));
  });
  afterEach(() => registry.disposeAsync());

  it('keeps a window of runs in the kernel, sends them in the order asked, each with its own outputs', async () => {
    registry = new ContextRegistry({ factory, timer, pipelineWindow: 4 });
    factory.manual = true;
    const codes = Array.from({ length: 10 }, (_, i) => `run ${i}`);
    const results = codes.map((code) => registry.execute(spec('a'), code));
    await flush();
    const [session] = factory.started;
    assert.deepEqual(session.userCode, codes.slice(0, 4), 'four runs in the kernel, the rest wait');
    for (let i = 0; i < codes.length; i++) {
      session.answerNext();
      await flush();
      assert.deepEqual(session.userCode, codes.slice(0, Math.min(codes.length, i + 5)), 'each reply sends one more');
    }
    const done = await Promise.all(results);
    assert.deepEqual(
      done.map((r) => r.outputs[0].text),
      codes,
    );
  });

  it('starts exactly one kernel for 10 concurrent first calls', async () => {
    let open!: () => void;
    factory.gate = new Promise((resolve) => (open = resolve));
    const calls = [
      ...Array.from({ length: 5 }, () => registry.getOrStart(spec('a'))),
      ...Array.from({ length: 5 }, (_, i) => registry.execute(spec('a'), `x${i}`)),
    ];
    await flush();
    assert.equal(registry.get('a')?.state, 'starting');
    open();
    await Promise.all(calls);
    assert.equal(factory.started.length, 1);
    assert.equal(factory.setUps.length, 1);
  });

  it('runs contexts in parallel on their own kernels', async () => {
    factory.manual = true;
    const a = registry.execute(spec('a'), 'in a');
    const b = registry.execute(spec('b'), 'in b');
    await flush();
    assert.equal(factory.started.length, 2);
    const [sa, sb] = factory.started;
    assert.deepEqual([sa.userCode, sb.userCode], [['in a'], ['in b']], 'b runs while a is still busy');
    sb.runs[1].resolve(okResult(1, 'in b'));
    sa.runs[1].resolve(okResult(1, 'in a'));
    assert.equal((await a).outputs[0].text, 'in a');
    assert.equal((await b).outputs[0].text, 'in b');
  });

  it('a failing start rejects that run with the reason, and touches neither its queue nor other contexts', async () => {
    factory.failFor.add('nope');
    const bad = registry.execute({ id: 'bad', kind: 'named', label: 'bad', kernelName: 'nope' }, '1');
    const good = registry.execute(spec('good'), '2');
    await assert.rejects(bad, /Unknown kernelspec "nope"\. Available kernelspecs: python3/);
    assert.equal((await good).status, 'ok');
    factory.failFor.clear();
    const again = await registry.execute({ id: 'bad', kind: 'named', label: 'bad', kernelName: 'nope' }, '3');
    assert.equal(again.status, 'ok', 'the queue keeps working after a failed run');
  });

  it('fires start/output/end with one runId per run', async () => {
    const events: ExecutionEvent[] = [];
    registry.onDidExecute((e) => events.push(e));
    await registry.execute(spec('a'), 'print(1)', { source: 'editor' });
    await registry.execute(spec('a'), 'print(2)');
    assert.deepEqual(
      events.map((e) => `${e.type}:${e.runId}`),
      ['start:1', 'output:1', 'end:1', 'start:2', 'output:2', 'end:2'],
    );
    assert.equal(events[0].type === 'start' && events[0].source, 'editor');
  });

  it('restart aborts waiting runs with a clear message and repeats the set-up', async () => {
    factory.manual = true;
    const first = registry.execute(spec('a'), 'long');
    const queued = [registry.execute(spec('a'), 'q1'), registry.execute(spec('a'), 'q2')];
    await flush();
    await registry.restart('a');
    for (const result of [await first, ...(await Promise.all(queued))]) {
      assert.equal(result.status, 'aborted');
      assert.match(result.error?.evalue ?? '', /aborted: kernel restarted/);
    }
    const [session] = factory.started;
    assert.deepEqual(session.userCode, ['long', 'q1', 'q2'], 'the queued runs were already in the kernel');
    assert.ok(changes.some((c) => c.type === 'state-lost' && c.context.id === 'a'));
    session.manual = false;
    await registry.execute(spec('a'), 'after');
    assert.equal(factory.setUps.length, 2, 'cwd and __file__ are set again after the restart');
  });

  it('a dead kernel reports state lost, and the next run starts a new kernel', async () => {
    await registry.execute(spec('a'), 'x = 1');
    await registry.execute(spec('b'), 'y = 1');
    const [sa, sb] = factory.started;
    sa.die();
    const lost = changes.filter((c) => c.type === 'state-lost');
    assert.deepEqual(
      lost.map((c) => [c.context.id, c.message]),
      [['a', 'state lost: kernel-died']],
    );
    assert.equal(registry.get('a')?.state, 'dead');
    const result = await registry.execute(spec('a'), 'x');
    assert.equal(result.status, 'ok');
    assert.equal(factory.started.length, 3);
    assert.notEqual(registry.get('a')?.kernelId, sa.id);
    assert.equal(registry.get('b')?.kernelId, sb.id, 'the other context keeps its kernel');
  });

  it('scheduleShutdown shuts down after the delay unless cancelled', async () => {
    await registry.execute(spec('a'), '1');
    await registry.execute(spec('b'), '1');
    const [sa, sb] = factory.started;
    registry.scheduleShutdown('a', 1000);
    registry.scheduleShutdown('b', 1000);
    registry.cancelScheduledShutdown('b');
    timer.advance(999);
    await flush();
    assert.ok(registry.get('a'));
    timer.advance(1);
    await flush();
    assert.equal(registry.get('a'), undefined);
    assert.equal(sa.shutdowns, 1);
    assert.ok(registry.get('b'));
    assert.equal(sb.shutdowns, 0);
    assert.ok(changes.some((c) => c.type === 'removed' && c.context.id === 'a'));
  });

  it('rename keeps the kernel and refuses to overwrite another context', async () => {
    await registry.execute(spec('old'), 'x = 1');
    await registry.execute(spec('other'), '1');
    const kernelId = registry.get('old')?.kernelId;
    registry.rename('old', 'new', 'new.py');
    assert.equal(registry.get('old'), undefined);
    assert.deepEqual([registry.get('new')?.kernelId, registry.get('new')?.label], [kernelId, 'new.py']);
    assert.ok(changes.some((c) => c.type === 'renamed' && c.oldId === 'old' && c.context.id === 'new'));
    assert.throws(() => registry.rename('new', 'other'), /a context with that id already exists/);
    await registry.execute(spec('new'), 'x');
    assert.equal(factory.started.length, 2);
  });

  it('attach shares the target kernel until detach', async () => {
    await registry.execute(spec('a'), 'x = 1');
    registry.attach('b', 'a');
    const [sa] = factory.started;
    await registry.execute(spec('b'), 'x');
    assert.deepEqual(sa.userCode, ['x = 1', 'x']);
    assert.equal(registry.get('b')?.attachedTo, 'a');
    assert.equal(registry.get('b')?.kernelId, sa.id);
    assert.throws(() => registry.attach('a', 'b'), /share a kernel with itself/);
    registry.detach('b');
    await registry.execute(spec('b'), 'x');
    assert.equal(factory.started.length, 2);
    assert.notEqual(registry.get('b')?.kernelId, sa.id);
  });

  it("lists each context with the kind of its spec; rename keeps it; attach gives a new one its id's kind", async () => {
    const nb = { id: 'file:///w/n.ipynb', kind: 'notebook' as const, label: 'n.ipynb', cwd: '/w' };
    await registry.execute(nb, '1');
    await registry.execute({ id: 'agent:a', kind: 'agent', label: 'agent:a' }, '1');
    assert.deepEqual(
      registry.list().map((c) => [c.id, c.kind]),
      [
        ['file:///w/n.ipynb', 'notebook'],
        ['agent:a', 'agent'],
      ],
    );
    registry.rename('file:///w/n.ipynb', 'file:///w/m.ipynb', 'm.ipynb');
    assert.equal(registry.get('file:///w/m.ipynb')?.kind, 'notebook');
    // Attaching a context that does not exist yet creates it from its id alone.
    registry.attach('untitled:Untitled-1', 'agent:a');
    assert.deepEqual(
      [registry.get('untitled:Untitled-1')?.kind, registry.get('untitled:Untitled-1')?.label],
      ['untitled', 'Untitled-1'],
    );
    // Attaching a known context keeps what its own spec said.
    registry.attach('file:///w/m.ipynb', 'agent:a');
    assert.deepEqual(
      [registry.get('file:///w/m.ipynb')?.kind, registry.get('file:///w/m.ipynb')?.label],
      ['notebook', 'm.ipynb'],
    );
  });

  it('takes a pooled kernel first and prepares it like a cold one', async () => {
    const pooled = new FakeSession('python3');
    let offered: string | undefined;
    registry = new ContextRegistry({
      factory,
      timer,
      pool: { take: (name) => ((offered = name), { session: Promise.resolve(pooled), release: () => undefined }) },
    });
    await registry.execute({ id: 'a', kind: 'named', label: 'a', cwd: '/w', file: '/w/a.py' }, 'x');
    assert.equal(offered, 'python3');
    assert.equal(factory.started.length, 0);
    assert.deepEqual(factory.setUps, [{ session: pooled, target: { cwd: '/w', file: '/w/a.py' } }]);
  });

  it('a pooled kernel that ended before its first run is let go, and the run starts a cold one', async () => {
    const ended = new FakeSession('python3');
    await ended.shutdown();
    let released = 0;
    registry = new ContextRegistry({
      factory,
      timer,
      pool: { take: () => ({ session: Promise.resolve(ended), release: () => void released++ }) },
    });
    const result = await registry.execute(spec('a'), 'x');
    assert.equal(result.status, 'ok');
    assert.equal(factory.started.length, 1, 'a cold start replaced the ended kernel');
    assert.equal(registry.get('a')?.kernelId, factory.started[0].id);
    assert.equal(released, 1, 'the pool hears the claim is over, so it refills');
  });

  it('dispose shuts every kernel down, twice safely, and refuses new runs', async () => {
    await registry.execute(spec('a'), '1');
    await registry.execute(spec('b'), '1');
    registry.dispose();
    await registry.disposeAsync();
    assert.deepEqual(
      factory.started.map((s) => s.shutdowns),
      [1, 1],
    );
    assert.deepEqual(registry.list(), []);
    await assert.rejects(registry.execute(spec('c'), '1'), /disposed/);
  });

  it('names the known contexts when asked for an unknown one', async () => {
    await registry.execute(spec('a'), '1');
    await assert.rejects(registry.restart('zzz'), /No context "zzz"\. Known contexts: a\./);
  });
});
