import * as assert from 'node:assert/strict';
import { environmentKernelName } from '../../../src/python/pythonEnvironment';
import { WarmKernels } from '../../../src/kernels/warmKernels';
import { FakeFactory } from './fakes';
import { FakeTimer } from '../fakeTimer';

const envA = environmentKernelName('/w/proj-a/.venv/bin/python');
const envB = environmentKernelName('/w/proj-b/.venv/bin/python');
const envC = environmentKernelName('/w/proj-c/.venv/bin/python');

describe('WarmKernels: warm kernels per environment (fake kernels)', () => {
  let factory: FakeFactory;
  let warm: WarmKernels;
  const make = (size: number) =>
    new WarmKernels({ factory, defaultKernelName: 'python3', size, timer: new FakeTimer(), refillHoldMs: 3000 });
  const sizes = () => warm.kernelNames.map((name) => warm.poolOf(name)?.capacity);

  beforeEach(() => {
    factory = new FakeFactory();
  });
  afterEach(() => warm.disposeAsync());

  it('starts nothing before an environment is used, then keeps the most recent ones within the total', async () => {
    warm = make(2);
    await warm.whenSettled();
    assert.equal(factory.started.length, 0, 'nothing for environments nobody used');
    warm.use(envA);
    await warm.whenSettled();
    assert.deepEqual(sizes(), [2], 'one environment in use gets the whole total');
    warm.use(envB);
    await warm.whenSettled();
    assert.deepEqual(warm.kernelNames, [envB, envA]);
    assert.deepEqual(sizes(), [1, 1]);
    assert.equal(warm.available, 2);
    warm.use(envC);
    await warm.whenSettled();
    assert.deepEqual(sizes(), [1, 1, 0], 'the least recently used gives its kernel up');
    assert.deepEqual(
      [warm.poolOf(envC)?.available, warm.poolOf(envB)?.available, warm.poolOf(envA)?.available],
      [1, 1, 0],
    );
    assert.equal(warm.available, 2, 'never more than warmKernels in all');
  });

  it("hands each kernelspec only its own kernels, and pools only the default kernelspec and environments'", async () => {
    warm = make(2);
    warm.use(envA);
    warm.use(envB);
    await warm.whenSettled();
    const claim = warm.take(envA);
    assert.ok(claim);
    assert.equal((await claim.session).kernelName, envA);
    assert.equal(warm.take('ir'), undefined, 'another kernelspec is never pooled');
    assert.equal(warm.poolOf('ir'), undefined);
    assert.deepEqual(warm.kernelNames, [envA, envB], 'a take makes it the most recent');
    for (const session of factory.started) {
      assert.ok([envA, envB].includes(session.kernelName));
    }
  });

  it('resize shrinks from the least recently used; 0 keeps nothing warm', async () => {
    warm = make(3);
    warm.use('python3');
    warm.use(envA);
    await warm.whenSettled();
    assert.deepEqual(sizes(), [2, 1]);
    warm.resize(1);
    assert.deepEqual(sizes(), [1, 0]);
    warm.resize(0);
    await warm.whenSettled();
    assert.equal(warm.available, 0);
  });
});
