import * as assert from 'node:assert/strict';
import { RemoteJupyterServer, RemoteServerError } from '../../../src/jupyter/remoteServer';
import { ContextRegistry } from '../../../src/kernels/registry/contextRegistry';
import { JupyterSessionFactory } from '../../../src/kernels/session/sessionFactory';
import type { ContextChangeEvent, ExecutionResult, KernelState } from '../../../src/kernels/types';
import { waitFor } from '../../shared/poll';
import { MemoryLogger } from '../fixtures/localServer';
import { BlipProxy } from './blipProxy';
import { RemoteTestServer } from './remoteTestServer';

const SERVER = 'remote-a';

/** A registry whose every context runs on one remote server, as the extension builds it for a remote default. */
function remoteRegistry(url: string, token: string) {
  const logger = new MemoryLogger();
  const provider = new RemoteJupyterServer({ name: SERVER, url, token }, { logger, timeoutMs: 5000 });
  const factory = new JupyterSessionFactory((name) => {
    assert.equal(name, SERVER, 'every start names its server');
    return provider;
  }, logger);
  const registry = new ContextRegistry({ factory, defaultServer: () => SERVER, logger });
  const changes: ContextChangeEvent[] = [];
  registry.onDidChangeContexts((e) => changes.push(e));
  const dispose = async () => {
    await registry.disposeAsync();
    provider.dispose();
  };
  return { registry, provider, changes, logger, dispose };
}

function text(result: ExecutionResult): string {
  return result.outputs
    .map((o) => (o.output_type === 'stream' ? String(o.text) : JSON.stringify((o as { data?: unknown }).data ?? o)))
    .join('');
}

function resultText(result: ExecutionResult): string {
  const out = result.outputs.find((o) => o.output_type === 'execute_result') as { data: Record<string, string> };
  return out?.data['text/plain'] ?? `(no result: ${result.status} ${result.error?.evalue ?? ''})`;
}

/** Polls a condition as the other integration tests do, every 100 ms for up to 30 s. */
function until(what: string, check: () => boolean): Promise<boolean> {
  return waitFor(what, check, 30_000, 100);
}

describe('a remote Jupyter Server in a network namespace of our own (Kernel Gateway behaviours)', function () {
  this.timeout(90_000);
  let server: RemoteTestServer;

  before(async function () {
    this.timeout(60_000);
    server = await RemoteTestServer.start({ refuseKernelList: true });
    if (server.loopbackReason) {
      console.log(`      (remote server on loopback: ${server.loopbackReason})`);
    }
  });
  after(async function () {
    this.timeout(30_000);
    await server?.dispose();
  });

  it('is another host: reached at its own 10.x address, with nothing listening on our loopback', async function () {
    if (server.loopbackReason) {
      this.skip();
    }
    assert.match(server.baseUrl, /^http:\/\/10\.213\.\d+\.2:\d+\/gw\/$/);
    const port = server.host.split(':')[1];
    await assert.rejects(fetch(`http://127.0.0.1:${port}/gw/api/status`), /fetch failed/);
  });

  it('refuses kernel listing with 403, like Kernel Gateway by default', async () => {
    const r = await fetch(`${server.baseUrl}api/kernels`, { headers: { Authorization: `token ${server.token}` } });
    assert.equal(r.status, 403);
  });

  it('gives three contexts three kernels that never see each other, despite the refused listing', async () => {
    const { registry, dispose } = remoteRegistry(server.baseUrl, server.token);
    try {
      // The cwd is a local folder that does not exist over there: the set-up must not try to enter it.
      const spec = (id: string) => ({
        id,
        kind: 'named' as const,
        label: id,
        cwd: '/no/such/local/folder',
        file: '/no/such/local/a.py',
      });
      const names = ['a', 'b', 'c'];
      await Promise.all(names.map((n) => registry.execute(spec(n), `secret = "${n}"\nonly_${n} = 1`)));
      const seen = await Promise.all(names.map((n) => registry.execute(spec(n), 'secret')));
      assert.deepEqual(seen.map(resultText), ["'a'", "'b'", "'c'"]);
      const foreign = await registry.execute(spec('a'), 'only_b');
      assert.equal(foreign.status, 'error');
      assert.equal(foreign.error?.ename, 'NameError');
      const kernels = registry.list().map((c) => c.kernelId);
      assert.equal(new Set(kernels).size, 3, `three distinct kernels: ${kernels.join(', ')}`);
      assert.ok(registry.list().every((c) => c.server === SERVER));
    } finally {
      await dispose();
    }
  });

  it("starts each kernel in the server's root directory, not in the server process's working directory", async () => {
    assert.notEqual(server.rootDir, process.cwd(), 'the server runs in our cwd, which is not its root');
    const { registry, dispose } = remoteRegistry(server.baseUrl, server.token);
    try {
      const spec = { id: 'cwd', kind: 'named' as const, label: 'cwd', cwd: '/no/such/local/folder' };
      const result = await registry.execute(spec, 'import os; os.getcwd()');
      assert.equal(resultText(result), `'${server.rootDir}'`);
    } finally {
      await dispose();
    }
  });

  it('a wrong token gives a clear message, before and through a run', async () => {
    const wrong = 'f'.repeat(48);
    const remote = new RemoteJupyterServer({ name: SERVER, url: server.baseUrl, token: wrong });
    await assert.rejects(remote.getServer(), (err: unknown) => {
      assert.ok(err instanceof RemoteServerError);
      assert.equal(err.kind, 'wrong-token');
      assert.match(err.message, /refused the token \(HTTP 403\)/);
      assert.ok(!err.message.includes(wrong));
      return true;
    });
    const { registry, dispose } = remoteRegistry(server.baseUrl, wrong);
    try {
      await assert.rejects(registry.execute({ id: 'x', kind: 'named', label: 'x' }, '1'), /refused the token/);
    } finally {
      await dispose();
    }
  });

  it('rides out a network blip: reports reconnecting, then runs in the same kernel with its variables', async () => {
    const [host, port] = server.host.split(':');
    const proxy = new BlipProxy(host, Number(port));
    await proxy.listen();
    const { registry, dispose } = remoteRegistry(`http://127.0.0.1:${proxy.port}/gw/`, server.token);
    try {
      const spec = { id: 'blip', kind: 'named' as const, label: 'blip' };
      await registry.execute(spec, 'kept = 6 * 7');
      const kernelId = registry.get('blip')?.kernelId;
      const session = await registry.getOrStart(spec);
      const states: KernelState[] = [];
      session.onDidChangeState((s) => states.push(s));
      await proxy.blip(3000);
      await until('the kernel is idle again', () => states.includes('reconnecting') && session.state === 'idle');
      const after = await registry.execute(spec, 'kept');
      assert.equal(resultText(after), '42', `the variable survived; states: ${states.join(' → ')}`);
      assert.equal(registry.get('blip')?.kernelId, kernelId, 'the same kernel');
    } finally {
      await dispose();
      await proxy.close();
    }
  });

  it('reports reconnecting, then the state lost when the server crashed and came back without the kernel', async () => {
    const { registry, changes, dispose } = remoteRegistry(server.baseUrl, server.token);
    try {
      const spec = { id: 'restarted', kind: 'named' as const, label: 'restarted' };
      await registry.execute(spec, 'before = 1');
      const oldKernel = registry.get('restarted')?.kernelId;
      await server.stop({ crash: true });
      await until('reconnecting is reported', () => registry.get('restarted')?.state === 'reconnecting');
      await server.launch();
      await until('the state loss is reported', () => changes.some((e) => e.type === 'state-lost'));
      const lost = changes.find((e) => e.type === 'state-lost');
      assert.match(lost?.message ?? '', /came back without this kernel/);
      const next = await registry.execute(spec, "'before' in globals()");
      assert.equal(resultText(next), 'False');
      assert.notEqual(registry.get('restarted')?.kernelId, oldKernel);
    } finally {
      await dispose();
    }
  });

  it('reports the state lost at once when the server is shut down gracefully (it ends its kernels)', async () => {
    const { registry, changes, dispose } = remoteRegistry(server.baseUrl, server.token);
    try {
      await registry.execute({ id: 'graceful', kind: 'named', label: 'graceful' }, 'x = 1');
      await server.stop();
      await until('the state loss is reported', () => changes.some((e) => e.type === 'state-lost'));
      assert.match(changes.find((e) => e.type === 'state-lost')?.message ?? '', /shut down on the server/);
      assert.equal(registry.get('graceful')?.state, 'dead');
    } finally {
      await server.launch();
      await dispose();
    }
  });
});

describe('a remote server at its kernel cap (403 "Resource Limit")', function () {
  this.timeout(90_000);
  let server: RemoteTestServer;

  before(async function () {
    this.timeout(60_000);
    server = await RemoteTestServer.start({ kernelLimit: 2 });
  });
  after(async function () {
    this.timeout(30_000);
    await server?.dispose();
  });

  it('says the limit is reached and what to do; the contexts already running are untouched', async () => {
    const { registry, dispose } = remoteRegistry(server.baseUrl, server.token);
    try {
      await registry.execute({ id: 'one', kind: 'named', label: 'one' }, 'v = 1');
      await registry.execute({ id: 'two', kind: 'named', label: 'two' }, 'v = 2');
      await assert.rejects(
        registry.execute({ id: 'three', kind: 'named', label: 'three' }, 'v = 3'),
        /refused to start another python3 kernel: it reached its resource limit \(HTTP 403\).*Shut down kernels/,
      );
      const still = await registry.execute({ id: 'two', kind: 'named', label: 'two' }, 'v');
      assert.equal(resultText(still), '2');
      assert.equal(text(still), JSON.stringify({ 'text/plain': '2' }));
    } finally {
      await dispose();
    }
  });
});
