import * as assert from 'node:assert/strict';
import { KernelPool } from '../../../src/kernels/kernelPool';
import { FakeFactory } from './fakes';

describe('KernelPool (fake kernels)', () => {
  let factory: FakeFactory;
  let pool: KernelPool;

  beforeEach(() => {
    factory = new FakeFactory();
  });
  afterEach(() => pool.disposeAsync());

  it('fills to its size, hands a kernel out, and refills in the background', async () => {
    pool = new KernelPool({ factory, kernelName: 'python3' });
    pool.fill();
    await pool.whenSettled();
    assert.equal(pool.available, 1);
    const taken = pool.take('python3');
    assert.equal(taken, factory.started[0]);
    assert.equal(pool.starting, 1, 'taking starts a replacement');
    await pool.whenSettled();
    assert.equal(pool.available, 1);
    assert.equal(factory.started.length, 2);
  });

  it('never holds more than its size, however often it is asked', async () => {
    pool = new KernelPool({ factory, kernelName: 'python3', size: 2 });
    for (let i = 0; i < 5; i++) {
      pool.fill();
    }
    assert.equal(pool.starting, 2);
    await pool.whenSettled();
    assert.deepEqual([pool.available, factory.started.length], [2, 2]);
  });

  it('answers only for its kernelspec', async () => {
    pool = new KernelPool({ factory, kernelName: 'python3' });
    pool.fill();
    await pool.whenSettled();
    assert.equal(pool.take('ir'), undefined);
    assert.equal(pool.available, 1);
  });

  it('skips dead kernels', async () => {
    pool = new KernelPool({ factory, kernelName: 'python3' });
    pool.fill();
    await pool.whenSettled();
    factory.started[0].die('server-died');
    assert.equal(pool.take('python3'), undefined);
    await pool.whenSettled();
    assert.equal(pool.take('python3'), factory.started[1]);
  });

  it('resize grows, and shrinking shuts the extra idle kernels down', async () => {
    pool = new KernelPool({ factory, kernelName: 'python3', size: 1 });
    pool.resize(3);
    await pool.whenSettled();
    assert.equal(pool.available, 3);
    pool.resize(1);
    await pool.whenSettled();
    assert.equal(pool.available, 1);
    assert.equal(factory.started.filter((s) => s.shutdowns === 1).length, 2);
  });

  it('pauses after a failed start instead of retrying in a loop', async () => {
    factory.failFor.add('python3');
    pool = new KernelPool({ factory, kernelName: 'python3' });
    pool.fill();
    await pool.whenSettled();
    assert.equal(pool.starting, 0);
    assert.equal(pool.available, 0);
    factory.failFor.clear();
    assert.equal(pool.take('python3'), undefined);
    await pool.whenSettled();
    assert.equal(pool.available, 1, 'the next take tries again');
  });

  it('dispose shuts down unused kernels, including one still starting, and hands out no more', async () => {
    pool = new KernelPool({ factory, kernelName: 'python3', size: 2 });
    pool.fill();
    await pool.whenSettled();
    const taken = pool.take('python3');
    assert.equal(pool.starting, 1);
    await pool.disposeAsync();
    pool.dispose();
    assert.deepEqual(
      factory.started.map((s) => s.shutdowns),
      [0, 1, 1],
      'the taken kernel belongs to its context; the idle and the starting one are shut down',
    );
    assert.equal(taken, factory.started[0]);
    assert.equal(pool.take('python3'), undefined);
  });
});
