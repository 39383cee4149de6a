import * as assert from 'node:assert/strict';
import { KernelPool } from '../../../src/kernels/kernelPool';
import type { PooledKernel } from '../../../src/kernels/types';
import { FakeFactory, FakeSession } from './fakes';
import { FakeTimer } from '../fakeTimer';

describe('KernelPool (fake kernels)', () => {
  let factory: FakeFactory;
  let timer: FakeTimer;
  let pool: KernelPool;
  /** Holds every start in flight until the test calls it. */
  let openGate: () => void;

  const closeGate = () => {
    factory.gate = new Promise((resolve) => (openGate = resolve));
  };
  const make = (size = 1) => new KernelPool({ factory, kernelName: 'python3', size, timer, refillHoldMs: 3000 });
  const mustTake = (): PooledKernel => {
    const claim = pool.take('python3');
    assert.ok(claim, 'the pool handed something out');
    return claim;
  };

  beforeEach(() => {
    factory = new FakeFactory();
    timer = new FakeTimer();
  });
  afterEach(() => pool.disposeAsync());

  it('hands out a ready kernel and refills only once the taker released it', async () => {
    pool = make();
    pool.fill();
    await pool.whenSettled();
    const claim = mustTake();
    assert.equal(await claim.session, factory.started[0]);
    assert.deepEqual([pool.available, pool.starting, pool.holding], [0, 0, 1], 'no refill while the taker waits');
    claim.release();
    claim.release();
    assert.equal(pool.starting, 1, 'released: the replacement starts, once');
    await pool.whenSettled();
    assert.deepEqual([pool.available, factory.started.length], [1, 2]);
  });

  it('hands over a start in flight instead of starting a second kernel beside it', async () => {
    closeGate();
    pool = make();
    pool.fill();
    assert.equal(pool.starting, 1);
    const claim = mustTake();
    assert.deepEqual([pool.starting, pool.available], [0, 0], 'the start now belongs to the taker');
    openGate();
    const session = await claim.session;
    await pool.whenSettled();
    assert.equal(factory.started.length, 1, 'one kernel started in all');
    assert.equal(session, factory.started[0]);
    assert.equal(pool.available, 0, 'the handed-over kernel did not also join the pool');
    claim.release();
    await pool.whenSettled();
    assert.equal(pool.available, 1, 'the pool refilled behind the taker');
    assert.notEqual(factory.started[1], session);
  });

  it('a hold that is never released lets the refill go after the hold time', async () => {
    pool = make();
    pool.fill();
    await pool.whenSettled();
    mustTake();
    timer.advance(2999);
    assert.equal(pool.starting, 0);
    timer.advance(1);
    assert.equal(pool.starting, 1, 'a long first run does not keep the pool empty');
    await pool.whenSettled();
    assert.equal(pool.available, 1);
    assert.equal(timer.pendingCount, 0);
  });

  it('while any taker holds the refill back, nothing starts; each claim takes one kernel', async () => {
    closeGate();
    pool = make(2);
    pool.fill();
    const first = mustTake();
    const second = mustTake();
    assert.equal(pool.take('python3'), undefined, 'nothing left: the third context starts cold');
    assert.equal(pool.starting, 0, 'no refill while two takers wait for their first result');
    openGate();
    assert.notEqual(await first.session, await second.session);
    first.release();
    assert.equal(pool.starting, 0, 'the second taker still holds it');
    second.release();
    assert.equal(pool.starting, 2);
    await pool.whenSettled();
    assert.deepEqual([pool.available, factory.started.length], [2, 4]);
  });

  it('never holds more than its size, however often it is asked', async () => {
    pool = make(2);
    for (let i = 0; i < 5; i++) {
      pool.fill();
    }
    assert.equal(pool.starting, 2);
    await pool.whenSettled();
    const claim = mustTake();
    claim.release();
    pool.fill();
    await pool.whenSettled();
    assert.deepEqual([pool.available, factory.started.length], [2, 3]);
  });

  it('answers only for its kernelspec, and never hands a start of its kernelspec to another', async () => {
    closeGate();
    pool = make();
    pool.fill();
    assert.equal(pool.take('ir'), undefined);
    assert.equal(pool.starting, 1, 'the python3 start is still the pool’s');
    openGate();
    await pool.whenSettled();
    assert.equal(pool.take('ir'), undefined);
    assert.equal(pool.available, 1);
  });

  it('skips dead kernels', async () => {
    pool = make();
    pool.fill();
    await pool.whenSettled();
    factory.started[0].die('server-died');
    assert.equal(pool.take('python3'), undefined);
    await pool.whenSettled();
    assert.equal(await mustTake().session, factory.started[1]);
  });

  it('resize grows, and shrinking shuts the extra idle kernels down', async () => {
    pool = make(1);
    pool.resize(3);
    await pool.whenSettled();
    assert.equal(pool.available, 3);
    pool.resize(1);
    await pool.whenSettled();
    assert.equal(pool.available, 1);
    assert.equal(factory.started.filter((s) => s.shutdowns === 1).length, 2);
  });

  it('pauses after a failed start instead of retrying in a loop; a handed-over failure reaches the taker', async () => {
    factory.failFor.add('python3');
    pool = make();
    pool.fill();
    await pool.whenSettled();
    assert.deepEqual([pool.starting, pool.available], [0, 0]);
    closeGate();
    assert.equal(pool.take('python3'), undefined, 'the take tries again');
    const claim = mustTake();
    openGate();
    await assert.rejects(claim.session, /Unknown kernelspec/);
    claim.release();
    await pool.whenSettled();
    assert.equal(pool.starting, 0, 'paused again after the second failure');
    factory.failFor.clear();
    pool.fill();
    await pool.whenSettled();
    assert.equal(pool.available, 1);
  });

  it('dispose shuts down the idle kernels, twice safely', async () => {
    pool = make(2);
    pool.fill();
    await pool.whenSettled();
    await pool.disposeAsync();
    pool.dispose();
    assert.deepEqual(
      factory.started.map((s) => s.shutdowns),
      [1, 1],
    );
    assert.equal(pool.take('python3'), undefined);
  });

  it('dispose shuts down starts in flight, but not the ones handed over', async () => {
    pool = make(3);
    pool.fill();
    await pool.whenSettled();
    closeGate();
    const taken = [mustTake(), mustTake(), mustTake()];
    taken.forEach((claim) => claim.release());
    assert.equal(pool.starting, 3);
    const inFlight = mustTake();
    const disposing = pool.disposeAsync();
    openGate();
    await disposing;
    const handedOut = await Promise.all([...taken, inFlight].map((c) => c.session));
    assert.deepEqual(
      factory.started.map((s) => (handedOut.includes(s) ? 'taken' : s.shutdowns)),
      ['taken', 'taken', 'taken', 'taken', 1, 1],
      'the two starts nobody took are shut down; the taken ones belong to their contexts',
    );
    assert.equal(timer.pendingCount, 0, 'no hold timer left behind');
  });

  it('never hands out a start that ended while the pool was shutting it down (no longer wanted)', async () => {
    // Seen in the in-host suite: a shrunk pool shut a just-finished start down, and a taker claimed that start in
    // the moment the shutdown took, getting a session that was already shut down ("the kernel is shut down").
    let finish: (session: FakeSession) => void = () => undefined;
    const slowStop = new FakeSession('python3');
    const stopped = slowStop.shutdown.bind(slowStop);
    let stopReturns: () => void = () => undefined;
    slowStop.shutdown = async () => {
      await stopped();
      await new Promise<void>((resolve) => (stopReturns = resolve));
    };
    pool = new KernelPool({
      factory: { start: () => new Promise<FakeSession>((resolve) => (finish = resolve)) },
      kernelName: 'python3',
      size: 1,
      timer,
    });
    pool.fill();
    pool.resize(0);
    finish(slowStop);
    await new Promise((resolve) => setImmediate(resolve));
    assert.equal(slowStop.state, 'shutdown', 'the pool no longer wanted it and shut it down');
    assert.equal(pool.starting, 0, 'a start the pool has settled is no longer on offer');
    assert.equal(pool.take('python3'), undefined);
    stopReturns();
  });
});
