import * as assert from 'node:assert/strict';
import { ContextRegistry } from '../../../src/kernels/registry/contextRegistry';
import type { KernelSession, PooledKernel } from '../../../src/kernels/types';
import { FakeFactory, FakeSession } from './fakes';

/** Records which server each start asked for. */
class ServerRecordingFactory extends FakeFactory {
  readonly servers: Array<string | undefined> = [];
  override async start(kernelName: string, server?: string): Promise<FakeSession> {
    this.servers.push(server);
    return super.start(kernelName);
  }
}

/** A pool with one warm kernel that records whether it was asked. */
class OneWarm {
  taken = 0;
  constructor(readonly session: KernelSession) {}
  take(): PooledKernel | undefined {
    this.taken++;
    return this.taken === 1 ? { session: Promise.resolve(this.session), release: () => undefined } : undefined;
  }
}

describe('ContextRegistry with several servers (fake kernels)', () => {
  it('starts each context on its own server, the default for contexts that name none', async () => {
    const factory = new ServerRecordingFactory();
    const registry = new ContextRegistry({ factory, defaultServer: () => 'remote-a' });
    try {
      await registry.execute({ id: 'x', kind: 'named', label: 'x' }, '1');
      await registry.execute({ id: 'y', kind: 'named', label: 'y', server: 'local' }, '2');
      await registry.execute({ id: 'z', kind: 'named', label: 'z', server: 'remote-b' }, '3');
      assert.deepEqual(factory.servers, ['remote-a', 'local', 'remote-b']);
      assert.deepEqual(
        registry.list().map((c) => [c.id, c.server]),
        [
          ['x', 'remote-a'],
          ['y', 'local'],
          ['z', 'remote-b'],
        ],
      );
      assert.equal(new Set(factory.started.map((s) => s.id)).size, 3, 'three contexts, three kernels');
    } finally {
      await registry.disposeAsync();
    }
  });

  it('takes warm kernels only for contexts on the pool server', async () => {
    const factory = new ServerRecordingFactory();
    const pool = new OneWarm(new FakeSession());
    const registry = new ContextRegistry({ factory, pool });
    try {
      await registry.execute({ id: 'remote', kind: 'named', label: 'remote', server: 'remote-a' }, '1');
      assert.equal(pool.taken, 0, 'a remote context never gets a local warm kernel');
      assert.deepEqual(factory.servers, ['remote-a']);
      await registry.execute({ id: 'here', kind: 'named', label: 'here' }, '2');
      assert.equal(pool.taken, 1);
      assert.equal(registry.get('here')?.kernelId, pool.session.id);
    } finally {
      await registry.disposeAsync();
    }
  });

  it('a server chosen later applies from the next start; the running kernel keeps its server', async () => {
    const factory = new ServerRecordingFactory();
    const registry = new ContextRegistry({ factory });
    try {
      await registry.execute({ id: 'a', kind: 'named', label: 'a' }, '1');
      await registry.execute({ id: 'a', kind: 'named', label: 'a', server: 'remote-a' }, '2');
      assert.equal(registry.get('a')?.server, 'local');
      assert.equal(factory.started.length, 1);
      await registry.restart('a');
      await registry.shutdown('a');
      await registry.execute({ id: 'a', kind: 'named', label: 'a', server: 'remote-a' }, '3');
      assert.equal(registry.get('a')?.server, 'remote-a');
      assert.deepEqual(factory.servers, ['local', 'remote-a']);
    } finally {
      await registry.disposeAsync();
    }
  });

  it('disposing leaves kernels of servers that keep them running and shuts the others down', async () => {
    const factory = new ServerRecordingFactory();
    const registry = new ContextRegistry({ factory, keepsKernelsOnDispose: (server) => server !== 'local' });
    await registry.execute({ id: 'r', kind: 'named', label: 'r', server: 'remote-a' }, '1');
    await registry.execute({ id: 'l', kind: 'named', label: 'l' }, '2');
    const [remote, local] = factory.started;
    await registry.disposeAsync();
    assert.equal(remote.shutdowns, 0, 'the remote kernel stays on its server');
    assert.equal(local.shutdowns, 1);
    assert.deepEqual(registry.list(), []);
  });

  it('snapshots carry the server, so a restored context reconnects on the right one', async () => {
    const factory = new ServerRecordingFactory();
    const registry = new ContextRegistry({ factory });
    try {
      await registry.execute({ id: 'r', kind: 'named', label: 'r', server: 'remote-a' }, '1');
      const [snap] = registry.snapshot();
      assert.equal(snap.server, 'remote-a');
      const next = new ContextRegistry({ factory });
      next.restore([{ ...snap, kernelId: undefined }]);
      assert.equal(next.get('r')?.server, 'remote-a');
      await next.disposeAsync();
    } finally {
      await registry.disposeAsync();
    }
  });
});
