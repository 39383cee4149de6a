import * as assert from 'node:assert/strict';
import { createServer, type Server, type Socket } from 'node:net';
import { ServerConnection } from '@jupyterlab/services';
import { Emitter } from '../../../../src/common/event';
import type {
  JupyterServerConnection,
  JupyterServerProvider,
  ServerDeath,
  ServerState,
} from '../../../../src/jupyter/types';
import { JupyterSessionFactory } from '../../../../src/kernels/session/sessionFactory';
import { KernelStartTimeoutError } from '../../../../src/kernels/session/startDeadline';
import { FakeTimer } from '../../fakeTimer';

/** A server provider whose start the test finishes (a hub server waiting for Start Again, or spawning). */
class SlowServer implements JupyterServerProvider {
  state: ServerState = 'starting';
  readonly onDidChangeState = new Emitter<ServerState>().event;
  readonly onDidDie = new Emitter<ServerDeath>().event;
  private finish!: { resolve: (c: JupyterServerConnection) => void; reject: (e: unknown) => void };
  private readonly started = new Promise<JupyterServerConnection>((resolve, reject) => {
    this.finish = { resolve, reject };
  });
  getServer(): Promise<JupyterServerConnection> {
    return this.started;
  }
  ready(baseUrl: string): void {
    this.state = 'running';
    this.finish.resolve({
      kind: 'remote',
      name: 'hub',
      settings: ServerConnection.makeSettings({ baseUrl, token: 't' }),
    });
  }
  fail(err: Error): void {
    this.finish.reject(err);
  }
  stop(): Promise<void> {
    return Promise.resolve();
  }
  dispose(): void {}
}

/** A TCP server that accepts and never answers: a kernel start against it hangs until its deadline. */
async function silentServer(): Promise<{ url: string; close(): Promise<void> }> {
  const sockets = new Set<Socket>();
  const server: Server = createServer((socket) => sockets.add(socket));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return {
    url: `http://127.0.0.1:${port}/`,
    close: () => {
      sockets.forEach((s) => s.destroy());
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

const tick = () => new Promise((resolve) => setImmediate(resolve));

describe('JupyterSessionFactory: the kernel start deadline', () => {
  it('does not run while the server starts: a slow server start fails with the server’s own error', async () => {
    const timer = new FakeTimer();
    const server = new SlowServer();
    const factory = new JupyterSessionFactory(() => server, undefined, { ms: 1000, timer });
    const start = factory.start('python3', 'hub');
    await tick();
    assert.equal(timer.pendingCount, 0, 'no kernel deadline while the server is still starting');
    timer.fireAll();
    server.fail(new Error('JupyterHub stopped the server "hub"; it was not started again.'));
    await assert.rejects(start, (err: Error) => {
      assert.ok(!(err instanceof KernelStartTimeoutError), `the server's error, not a kernel timeout: ${err.message}`);
      assert.match(err.message, /it was not started again/);
      return true;
    });
  });

  it('bounds the kernel start once the server is up', async () => {
    const timer = new FakeTimer();
    const server = new SlowServer();
    const silent = await silentServer();
    try {
      const factory = new JupyterSessionFactory(() => server, undefined, { ms: 1000, timer });
      const start = factory.start('python3', 'hub');
      server.ready(silent.url);
      for (let i = 0; i < 50 && timer.pendingCount === 0; i++) {
        await tick();
      }
      assert.equal(timer.pendingCount, 1, 'the deadline runs from the server being up');
      timer.fireAll();
      await assert.rejects(start, KernelStartTimeoutError);
    } finally {
      await silent.close();
    }
  });
});
