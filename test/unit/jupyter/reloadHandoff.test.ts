import * as assert from 'node:assert/strict';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as os from 'node:os';
import { waitForEvent } from '../../../src/common/event';
import type { AdoptableServer } from '../../../src/jupyter/adoptedServer';
import { LocalJupyterServer, type LocalServerOptions } from '../../../src/jupyter/localServer';
import { FakeLaunchers } from './fakeLauncher';

const TOKEN = 'a'.repeat(64);

/** A stand-in for a launcher left by the previous window: `/api/status` and the lifeline, token-checked. */
class FakeLifeline {
  readonly actions: string[] = [];
  /** The status the lifeline answers heartbeats with. */
  heartbeatStatus = 200;
  private readonly server = http.createServer((req, res) => {
    if (req.headers.authorization !== `token ${TOKEN}`) {
      res.writeHead(403).end('{}');
      return;
    }
    let body = '';
    req.on('data', (chunk) => (body += String(chunk)));
    req.on('end', () => {
      if (req.url === '/ki/lifeline') {
        const { action } = JSON.parse(body) as { action: string };
        this.actions.push(action);
        res.writeHead(action === 'heartbeat' ? this.heartbeatStatus : 200).end('{"status": "ok"}');
      } else {
        res.writeHead(200).end('{}');
      }
    });
  });

  async listen(): Promise<AdoptableServer> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    const { port } = this.server.address() as AddressInfo;
    return { baseUrl: `http://127.0.0.1:${port}/`, token: TOKEN, pid: 4_999_999 };
  }

  close(): Promise<void> {
    this.server.closeAllConnections();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}

describe('LocalJupyterServer hand-over across a window reload (fakes)', () => {
  let fakes: FakeLaunchers;
  let lifeline: FakeLifeline;
  let saved: AdoptableServer;
  let port: number;
  const servers: LocalJupyterServer[] = [];

  beforeEach(async () => {
    fakes = new FakeLaunchers();
    port = await fakes.listen();
    lifeline = new FakeLifeline();
    saved = await lifeline.listen();
  });
  afterEach(async () => {
    servers.splice(0).forEach((s) => s.release());
    await Promise.all([fakes.close(), lifeline.close()]);
  });

  function makeServer(options: LocalServerOptions = {}): LocalJupyterServer {
    const server = new LocalJupyterServer({
      python: '/fake/python3',
      launcherPath: '/fake/launcher.py',
      rootDir: os.tmpdir(),
      spawn: fakes.spawn,
      choosePort: async () => port,
      graceSeconds: 1,
      ...options,
    });
    servers.push(server);
    return server;
  }

  it('release() closes the launcher pipe without a signal and reports no death', async () => {
    const server = makeServer();
    let died = false;
    server.onDidDie(() => (died = true));
    await server.getServer();
    server.release();
    const fake = fakes.launched[0]!;
    await new Promise((resolve) => setImmediate(resolve));
    assert.equal(fake.stdinClosed, true);
    assert.deepEqual(fake.signals, []);
    assert.equal(server.state, 'stopped');
    assert.equal(died, false);
  });

  it('adopts the saved server without starting Python, prunes before anyone uses it, and heartbeats', async () => {
    const order: string[] = [];
    const started: AdoptableServer[] = [];
    const server = makeServer({
      adopt: async () => saved,
      onAdopted: async () => {
        order.push('pruned');
      },
      onDidStartServer: (info) => started.push(info),
    });
    assert.equal(await server.adoptSaved(), true);
    order.push('usable');
    const connection = await server.getServer();
    assert.deepEqual(order, ['pruned', 'usable']);
    assert.equal(fakes.launched.length, 0, 'a launcher was spawned although the saved server was adopted');
    assert.equal(connection.settings.baseUrl, saved.baseUrl);
    assert.equal(connection.settings.wsUrl, saved.baseUrl.replace('http:', 'ws:'));
    assert.equal(server.adopted, true);
    assert.deepEqual(started, [saved]);
    await waitUntil(() => lifeline.actions.includes('heartbeat'));
    assert.equal(lifeline.actions[0], 'claim');
  });

  it('reports the server gone when another window takes it over (heartbeat refused)', async () => {
    const server = makeServer({ adopt: async () => saved });
    await server.getServer();
    const died = waitForEvent(server.onDidDie);
    lifeline.heartbeatStatus = 409;
    assert.match((await died).reason, /lease refused \(HTTP 409/);
    assert.equal(server.state, 'dead');
  });

  it('starts a fresh server when the saved one is not on 127.0.0.1, without sending it the token', async () => {
    const server = makeServer({
      adopt: async () => ({ ...saved, baseUrl: saved.baseUrl.replace('127.0.0.1', 'localhost') }),
    });
    await server.getServer();
    assert.equal(fakes.launched.length, 1);
    assert.deepEqual(lifeline.actions, []);
    assert.equal(server.adopted, false);
  });

  it('never adopts with a grace period of 0 (reload survival off)', async () => {
    let asked = false;
    const server = makeServer({
      graceSeconds: 0,
      adopt: async () => {
        asked = true;
        return saved;
      },
    });
    assert.equal(await server.adoptSaved(), false);
    await server.getServer();
    assert.equal(asked, false);
    assert.equal(fakes.launched.length, 1);
  });
});

async function waitUntil(check: () => boolean, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) {
      throw new Error('condition not met in time');
    }
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
