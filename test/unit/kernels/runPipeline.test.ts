import * as assert from 'node:assert/strict';
import { ContextRegistry } from '../../../src/kernels/registry/contextRegistry';
import { RunGroup } from '../../../src/kernels/registry/runGroup';
import type { ContextChangeEvent, ExecutionEvent, ExecutionResult, PooledKernel } from '../../../src/kernels/types';
import { FakeFactory, FakeSession } from './fakes';
import { FakeTimer } from '../fakeTimer';

const flush = () => new Promise<void>((resolve) => setImmediate(resolve));
const spec = (id: string) => ({ id, kind: 'named' as const, label: id, cwd: `/work/${id}` });
const describeEvent = (e: ExecutionEvent) =>
  e.type === 'output'
    ? `output:${e.runId}:${String(e.event.kind === 'output' && e.event.output.text)}`
    : `${e.type}:${e.runId}`;

describe('ContextRegistry pipeline (fake kernels)', () => {
  let factory: FakeFactory;
  let registry: ContextRegistry;
  let events: ExecutionEvent[];
  let changes: ContextChangeEvent[];

  const open = (window = 4) => {
    registry = new ContextRegistry({ factory, timer: new FakeTimer(), pipelineWindow: window });
    events = [];
    changes = [];
    registry.onDidExecute((e) => events.push(e));
    registry.onDidChangeContexts((e) => changes.push(e));
  };
  /** Fires `n` runs at context `id` (codes `id0`, `id1`, ...) and lets them reach the kernel. */
  const fire = async (id: string, n: number): Promise<Array<Promise<ExecutionResult>>> => {
    const runs = Array.from({ length: n }, (_, i) => registry.execute(spec(id), `${id}${i}`));
    await flush();
    return runs;
  };

  beforeEach(() => {
    factory = new FakeFactory();
    factory.manual = true;
    open();
  });
  afterEach(() => registry.disposeAsync());

  it("fires a run's 'start' when the run before it got its reply, and 'end' in order", async () => {
    const runs = await fire('a', 3);
    const [session] = factory.started;
    assert.equal(session.pendingCount, 3, 'all three are in the kernel');
    assert.deepEqual(events.map(describeEvent), ['start:1'], 'only the first is running');
    session.answerNext();
    await flush();
    assert.deepEqual(events.map(describeEvent), ['start:1', 'end:1', 'start:2']);
    session.answerNext();
    session.answerNext();
    await Promise.all(runs);
    assert.deepEqual(events.map(describeEvent), ['start:1', 'end:1', 'start:2', 'end:2', 'start:3', 'end:3']);
  });

  it('holds an output that arrives before its run started until the start, and never gives it to another run', async () => {
    const runs = await fire('a', 2);
    const [session] = factory.started;
    const second = session.runs.find((r) => r.code === 'a1');
    const out = { output_type: 'stream', name: 'stdout', text: 'from a1' };
    second?.options.onOutput?.({ kind: 'output', output: out });
    assert.deepEqual(events.map(describeEvent), ['start:1'], 'not shown while a0 still runs');
    session.answerNext();
    session.answerNext();
    await Promise.all(runs);
    assert.deepEqual(events.map(describeEvent), ['start:1', 'end:1', 'start:2', 'output:2:from a1', 'end:2']);
  });

  it('a restart aborts the running, kernel-queued and waiting runs, silently for those never started', async () => {
    const runs = await fire('a', 6);
    const [session] = factory.started;
    assert.deepEqual([session.pendingCount, events.length], [4, 1]);
    await registry.restart('a');
    const results = await Promise.all(runs);
    assert.deepEqual(
      results.map((r) => [r.status, r.error?.evalue]),
      Array.from({ length: 6 }, () => ['aborted', 'aborted: kernel restarted']),
    );
    assert.deepEqual(events.map(describeEvent), ['start:1', 'end:1'], 'only the running run showed');
    const after = registry.execute(spec('a'), 'after');
    await flush();
    const last = session.runs.slice(-2).map((r) => [r.code, r.options.silent === true]);
    assert.deepEqual(last, [
      ['setup /work/a', true],
      ['after', false],
    ]);
    session.answerNext();
    assert.equal((await after).status, 'ok');
  });

  it('a restart whose kernel never reports the running run still ends it, never a hang', async () => {
    const runs = await fire('a', 2);
    factory.started[0].silentOnRestart = true;
    await registry.restart('a');
    for (const result of await Promise.all(runs)) {
      assert.equal(result.error?.evalue, 'aborted: kernel restarted');
    }
  });

  it('a kernel death ends the runs in the kernel; the waiting ones run on a new kernel after the notice', async () => {
    open(2);
    const runs = await fire('a', 4);
    const [dead] = factory.started;
    assert.equal(dead.pendingCount, 2);
    dead.die();
    await flush();
    const lost = changes.filter((c) => c.type === 'state-lost').map((c) => c.context.id);
    assert.deepEqual(lost, ['a']);
    assert.equal(factory.started.length, 2, 'the next run started a new kernel');
    const fresh = factory.started[1];
    assert.deepEqual(fresh.userCode, ['a2', 'a3']);
    fresh.answerNext();
    fresh.answerNext();
    const results = await Promise.all(runs);
    assert.deepEqual(
      results.map((r) => r.status),
      ['aborted', 'aborted', 'ok', 'ok'],
    );
    assert.deepEqual(
      results.slice(0, 2).map((r) => r.error?.evalue),
      ['aborted: kernel died', 'aborted: kernel died'],
    );
    assert.deepEqual(events.map(describeEvent), ['start:1', 'end:1', 'start:3', 'end:3', 'start:4', 'end:4']);
  });

  it('shutdown ends the running, kernel-queued and waiting runs and removes the context', async () => {
    const runs = await fire('a', 6);
    await registry.shutdown('a');
    const results = await Promise.all(runs);
    assert.ok(results.every((r) => r.status === 'aborted'));
    assert.deepEqual(
      results.slice(1).map((r) => r.error?.evalue),
      Array(5).fill('aborted: kernel shut down'),
    );
    assert.equal(registry.get('a'), undefined);
    assert.ok(changes.some((c) => c.type === 'removed' && c.context.id === 'a'));
  });

  it("an attached context's runs join its root's pipeline in order", async () => {
    await fire('a', 1);
    registry.attach('b', 'a');
    const b = registry.execute(spec('b'), 'b0');
    const a = registry.execute(spec('a'), 'a1');
    await flush();
    const [session] = factory.started;
    assert.deepEqual(session.userCode, ['a0', 'b0', 'a1']);
    for (let i = 0; i < 3; i++) {
      session.answerNext();
    }
    assert.deepEqual([(await b).outputs[0].text, (await a).outputs[0].text], ['b0', 'a1']);
    assert.equal(factory.started.length, 1);
  });

  it('a renamed context keeps its pipeline; its runs report the new id', async () => {
    const runs = await fire('a', 2);
    registry.rename('a', 'a2');
    const [session] = factory.started;
    session.answerNext();
    session.answerNext();
    await Promise.all(runs);
    assert.deepEqual(
      events.map((e) => e.contextId),
      ['a', 'a2', 'a2', 'a2'],
    );
  });

  it('passes each run its own stdin handler', async () => {
    const ask = () => Promise.resolve('typed');
    registry.execute(spec('a'), 'first');
    registry.execute(spec('a'), 'input()', { onStdin: ask });
    await flush();
    const [session] = factory.started;
    assert.deepEqual(
      session.runs.filter((r) => !r.options.silent).map((r) => r.options.onStdin),
      [undefined, ask],
    );
  });

  it('tells the pool when the first result on a taken kernel is back', async () => {
    const pooled = new FakeSession();
    pooled.manual = true;
    let released = 0;
    const claim: PooledKernel = { session: Promise.resolve(pooled), release: () => released++ };
    registry = new ContextRegistry({ factory, pool: { take: () => claim } });
    const first = registry.execute(spec('a'), 'one');
    await flush();
    assert.equal(released, 0, 'still waiting for the first result');
    pooled.answerNext();
    await first;
    assert.equal(released, 1);
    const second = registry.execute(spec('a'), 'two');
    await flush();
    pooled.answerNext();
    await second;
    assert.equal(released, 1, 'told once');
  });

  describe('run groups (stop on error in the pipeline)', () => {
    const earlierFailed = ['aborted', 'not run: an earlier cell failed'];
    const outcome = (r: ExecutionResult) => [r.status, r.error?.evalue];
    /** Queues `codes` at context `a`, in order; a code starting with `g` goes in `group`. */
    const queue = async (group: RunGroup, codes: string[], onStart?: (code: string) => void) => {
      const runs = codes.map((code) =>
        registry.execute(spec('a'), code, {
          group: code.startsWith('g') ? group : undefined,
          onStart: onStart && (() => onStart(code)),
        }),
      );
      await flush();
      return runs;
    };

    it('a failure aborts the later runs of its group, not an ungrouped run queued between them', async () => {
      const group = new RunGroup();
      const [g0, u, g1, g2] = await queue(group, ['g0', 'u', 'g1', 'g2']);
      const [session] = factory.started;
      assert.deepEqual(session.pendingCode, ['g0', 'u'], 'the ungrouped run went in behind g0; g1 waits for g0');
      session.failNext();
      await flush();
      assert.deepEqual(outcome(await g0), ['error', 'boom']);
      assert.deepEqual([outcome(await g1), outcome(await g2)], [earlierFailed, earlierFailed]);
      session.answerNext();
      assert.equal((await u).status, 'ok');
      assert.deepEqual(session.userCode, ['g0', 'u'], 'the aborted runs never reached the session');
      assert.deepEqual(events.map(describeEvent), ['start:1', 'end:1', 'start:2', 'end:2']);
    });

    it("a group's runs are never in the kernel together, and nothing queued behind them overtakes", async () => {
      const group = new RunGroup();
      const runs = await queue(group, ['g0', 'g1', 'g2', 'u']);
      const [session] = factory.started;
      const held: string[][] = [];
      for (let i = 0; i < 4 && session.pendingCount > 0; i++) {
        held.push(session.pendingCode);
        session.answerNext();
        await flush();
      }
      assert.deepEqual(held, [['g0'], ['g1'], ['g2', 'u'], ['u']]);
      assert.deepEqual(
        (await Promise.all(runs)).map((r) => r.status),
        ['ok', 'ok', 'ok', 'ok'],
      );
      assert.deepEqual(session.userCode, ['g0', 'g1', 'g2', 'u']);
    });

    it('runs of two groups are each stopped by their own failure only', async () => {
      const mine = new RunGroup();
      const theirs = new RunGroup();
      const m0 = registry.execute(spec('a'), 'm0', { group: mine });
      const t0 = registry.execute(spec('a'), 't0', { group: theirs });
      const m1 = registry.execute(spec('a'), 'm1', { group: mine });
      const t1 = registry.execute(spec('a'), 't1', { group: theirs });
      await flush();
      const [session] = factory.started;
      assert.deepEqual(session.pendingCode, ['m0', 't0'], 'different groups pipeline as ungrouped runs do');
      session.failNext();
      session.answerNext();
      await flush();
      session.answerNext();
      assert.deepEqual([outcome(await m0), outcome(await m1)], [['error', 'boom'], earlierFailed]);
      assert.deepEqual(
        (await Promise.all([t0, t1])).map((r) => r.status),
        ['ok', 'ok'],
      );
      assert.deepEqual(session.userCode, ['m0', 't0', 't1']);
    });

    it('a group without stop on error runs on after a failure, still one at a time', async () => {
      const group = new RunGroup(false);
      const runs = await queue(group, ['g0', 'g1']);
      const [session] = factory.started;
      assert.deepEqual(session.pendingCode, ['g0']);
      session.failNext();
      await flush();
      assert.deepEqual(session.pendingCode, ['g1']);
      session.answerNext();
      assert.deepEqual(
        (await Promise.all(runs)).map((r) => r.status),
        ['error', 'ok'],
      );
    });

    it('an aborted run ends its group too (a kernel death while it ran)', async () => {
      const group = new RunGroup();
      const runs = await queue(group, ['g0', 'g1']);
      factory.started[0].die();
      const results = await Promise.all(runs);
      assert.deepEqual(results.map(outcome), [['aborted', 'aborted: kernel died'], earlierFailed]);
      assert.equal(factory.started.length, 1, 'g1 did not start a new kernel');
    });

    it('a failed kernel start fails the first run of the group and aborts the rest', async () => {
      factory.failFor.add('nope');
      const group = new RunGroup();
      const first = registry.execute({ ...spec('b'), kernelName: 'nope' }, 'g0', { group });
      const second = registry.execute({ ...spec('b'), kernelName: 'nope' }, 'g1', { group });
      await assert.rejects(first, /Unknown kernelspec "nope"/);
      assert.deepEqual(outcome(await second), earlierFailed);
    });

    it('stopWaiting ends the waiting runs of a group, leaves its running run and other runs alone', async () => {
      const group = new RunGroup();
      const [g0, g1, u, g2] = await queue(group, ['g0', 'g1', 'u', 'g2']);
      const [session] = factory.started;
      registry.stopWaiting('a', group);
      const stopped = ['aborted', 'not run: stopped before its turn'];
      assert.deepEqual([outcome(await g1), outcome(await g2)], [stopped, stopped]);
      await flush();
      assert.deepEqual(session.pendingCode, ['g0', 'u'], 'u no longer waits behind g1');
      session.answerNext();
      session.answerNext();
      assert.deepEqual([(await g0).status, (await u).status], ['ok', 'ok']);
      assert.deepEqual(session.userCode, ['g0', 'u']);
    });

    it('onStart fires when the run starts, in order, before its outputs, never for a run that did not start', async () => {
      const group = new RunGroup();
      const log: string[] = [];
      registry.onDidExecute((e) => e.type === 'output' && log.push(`output:${e.runId}`));
      const runs = await queue(group, ['g0', 'u', 'g1'], (code) => log.push(`onStart:${code}`));
      const [session] = factory.started;
      const early = { output_type: 'stream', name: 'stdout', text: 'u early' };
      session.runs.find((r) => r.code === 'u')?.options.onOutput?.({ kind: 'output', output: early });
      assert.deepEqual(log, ['onStart:g0'], "u's output waits for u's start");
      session.failNext();
      session.answerNext();
      await Promise.all(runs);
      assert.deepEqual(log, ['onStart:g0', 'onStart:u', 'output:2']);
    });
  });
});
