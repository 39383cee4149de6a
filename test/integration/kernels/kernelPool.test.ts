import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { useTestServer } from '../fixtures/localServer';
import { makeRegistry, serverKernelIds, tempFolder, textOf } from './helpers';

/** Every name in the user namespace, as the first run of a context sees it. */
const listNames = 'sorted(dir())';

describe('KernelPool (real server, real kernels)', function () {
  this.timeout(90_000);
  const t = useTestServer();

  it('a pooled kernel behaves like a cold one: cwd, __file__, clean namespace, count 1', async () => {
    const warm = makeRegistry(t.server, 1);
    const cold = makeRegistry(t.server, 0);
    try {
      warm.pool?.fill();
      await warm.pool?.whenSettled();
      assert.equal(warm.pool?.available, 1);
      const pooledIds = await serverKernelIds(t.connection);
      const cwd = tempFolder('pool');
      const file = path.join(cwd, 'a.py');
      const spec = { id: `file://${file}`, kind: 'file' as const, label: 'a.py', cwd, file };

      const fromPool = await warm.registry.execute(spec, listNames);
      const fromCold = await cold.registry.execute(spec, listNames);
      assert.ok(pooledIds.includes(warm.registry.get(spec.id)?.kernelId ?? ''), 'the context got the pooled kernel');
      assert.ok(!pooledIds.includes(cold.registry.get(spec.id)?.kernelId ?? ''));
      assert.deepEqual([fromPool.executionCount, fromCold.executionCount], [1, 1]);
      assert.equal(textOf(fromPool), textOf(fromCold));
      assert.match(textOf(fromPool), /'__file__'/);
      assert.doesNotMatch(textOf(fromPool), /'os'/);

      const where = 'import os\nprint(os.getcwd())\nprint(__file__)';
      assert.equal(textOf(await warm.registry.execute(spec, where)), `${cwd}\n${file}\n`);
      assert.equal(textOf(await cold.registry.execute(spec, where)), `${cwd}\n${file}\n`);
    } finally {
      await Promise.all([warm.registry.disposeAsync(), cold.registry.disposeAsync(), warm.pool?.disposeAsync()]);
    }
  });

  it('refills after a take, never holds more than its size, and resizes', async () => {
    const { registry, pool } = makeRegistry(t.server, 1);
    try {
      const before = await serverKernelIds(t.connection);
      pool?.fill();
      pool?.fill();
      await pool?.whenSettled();
      await registry.execute({ id: 'agent:pool-a', kind: 'agent', label: 'a' }, '1');
      await pool?.whenSettled();
      assert.equal(pool?.available, 1, 'refilled after the take');
      const added = (await serverKernelIds(t.connection)).filter((id) => !before.includes(id));
      assert.equal(added.length, 2, 'one kernel for the context and one warm, no more');
      pool?.resize(2);
      await pool?.whenSettled();
      assert.equal(pool?.available, 2);
      assert.equal((await serverKernelIds(t.connection)).length - before.length, 3);
    } finally {
      await Promise.all([registry.disposeAsync(), pool?.disposeAsync()]);
    }
  });

  it('a context opened while the pool is still starting takes that start over; the pool refills after its result', async () => {
    const { registry, pool } = makeRegistry(t.server, 1);
    try {
      const before = await serverKernelIds(t.connection);
      pool?.fill();
      assert.equal(pool?.starting, 1);
      const spec = { id: 'agent:pool-handover', kind: 'agent' as const, label: 'handover' };
      const result = registry.execute(spec, '1 + 1');
      await new Promise((resolve) => setImmediate(resolve));
      assert.deepEqual([pool?.starting, pool?.holding], [0, 1], 'the start went to the context; no refill yet');
      assert.equal(textOf(await result), '2');
      await pool?.whenSettled();
      assert.equal(pool?.available, 1, 'refilled after the first result');
      const added = (await serverKernelIds(t.connection)).filter((id) => !before.includes(id));
      assert.equal(added.length, 2, 'the handed-over kernel and one warm, never a cold start beside them');
      assert.ok(added.includes(registry.get(spec.id)?.kernelId ?? ''));
    } finally {
      await Promise.all([registry.disposeAsync(), pool?.disposeAsync()]);
    }
  });

  it('does not hand a python3 kernel to an R context, which starts its own ir kernel with the cwd', async () => {
    const { registry, pool } = makeRegistry(t.server, 1);
    try {
      pool?.fill();
      await pool?.whenSettled();
      assert.equal(pool?.take('ir'), undefined);
      const cwd = tempFolder('r');
      const result = await registry.execute(
        { id: 'agent:r', kind: 'agent', label: 'r', kernelName: 'ir', cwd },
        'cat(getwd())',
      );
      assert.equal(textOf(result), cwd);
      assert.equal(registry.get('agent:r')?.kernelName, 'ir');
      assert.equal(pool?.available, 1, 'the warm python3 kernel is still there');
    } finally {
      await Promise.all([registry.disposeAsync(), pool?.disposeAsync()]);
    }
  });

  it('dispose shuts down the unused pooled kernels but not the ones contexts took', async () => {
    const { registry, pool } = makeRegistry(t.server, 2);
    try {
      pool?.fill();
      await pool?.whenSettled();
      await registry.execute({ id: 'agent:keep', kind: 'agent', label: 'keep' }, 'x = 1');
      const taken = registry.get('agent:keep')?.kernelId ?? '';
      await pool?.whenSettled();
      const listed = await serverKernelIds(t.connection);
      await pool?.disposeAsync();
      const left = await serverKernelIds(t.connection);
      assert.deepEqual(
        listed.filter((id) => !left.includes(id)).length,
        2,
        'both unused pooled kernels were shut down',
      );
      assert.ok(left.includes(taken));
      assert.equal(
        textOf(await registry.execute({ id: 'agent:keep', kind: 'agent', label: 'keep' }, 'print(x)')),
        '1\n',
      );
    } finally {
      await registry.disposeAsync();
    }
  });
});
