import * as assert from 'node:assert/strict';
import * as os from 'node:os';
import { waitForEvent } from '../../../src/common/event';
import { LocalJupyterServer, type LocalServerOptions } from '../../../src/jupyter/localServer';
import { FakeLaunchers } from './fakeLauncher';

class Lines {
  readonly lines: string[] = [];
  info = (m: string) => this.lines.push(m);
  warn = (m: string) => this.lines.push(m);
  error = (m: string | Error) => this.lines.push(String(m));
}

describe('LocalJupyterServer (fake launcher)', () => {
  let fakes: FakeLaunchers;
  let port: number;
  let logger: Lines;

  beforeEach(async () => {
    fakes = new FakeLaunchers();
    port = await fakes.listen();
    logger = new Lines();
  });
  afterEach(() => fakes.close());

  function makeServer(options: LocalServerOptions = {}): LocalJupyterServer {
    return new LocalJupyterServer({
      python: '/fake/python3',
      launcherPath: '/fake/launcher.py',
      rootDir: os.tmpdir(),
      spawn: fakes.spawn,
      choosePort: async () => port,
      logger,
      ...options,
    });
  }

  it('starts once for concurrent callers and goes stopped → starting → running', async () => {
    const server = makeServer();
    const states: string[] = [];
    server.onDidChangeState((s) => states.push(s));
    const [a, b, c] = await Promise.all([server.getServer(), server.getServer(), server.getServer()]);
    assert.equal(fakes.launched.length, 1);
    assert.ok(a === b && b === c);
    assert.deepEqual(states, ['starting', 'running']);
    assert.equal(a.settings.baseUrl, `http://127.0.0.1:${port}/`);
    assert.equal(a.settings.wsUrl, `ws://127.0.0.1:${port}/`);
    assert.equal(a.pid, fakes.launched[0]?.pid);
    assert.equal(await server.getServer(), a);
  });

  it('passes the token only in the environment, and masks it in the log', async () => {
    const server = makeServer({ graceSeconds: 7 });
    const { settings } = await server.getServer();
    const fake = fakes.launched[0];
    assert.ok(fake);
    assert.equal(fake.env.JUPYTER_TOKEN, settings.token);
    assert.equal(fake.env.KI_GRACE_SECONDS, '7');
    assert.deepEqual(fake.args.slice(1), ['--port', String(port), '--root-dir', os.tmpdir(), '--base-url', '/']);
    assert.ok(!fake.args.some((a) => a.includes(settings.token)));
    assert.ok(logger.lines.some((l) => l.includes('fake server starting, token <token>')));
    assert.ok(!logger.lines.some((l) => l.includes(settings.token)));
  });

  it('sends nothing to the port until the launcher says it bound it', async () => {
    fakes.behaviour = { announce: false };
    const server = makeServer();
    const started = server.getServer();
    await new Promise((resolve) => setTimeout(resolve, 100));
    assert.deepEqual(fakes.requests, []);
    fakes.launched[0]?.exit(1);
    await assert.rejects(started, /exited before it was ready \(exit code 1\)[\s\S]*Last server output:/);
    assert.equal(server.state, 'stopped');
  });

  it('an unexpected exit makes it dead, fires onDidDie, and the next getServer() starts anew', async () => {
    const server = makeServer();
    const first = await server.getServer();
    const died = waitForEvent(server.onDidDie);
    fakes.launched[0]?.exit(null, 'SIGKILL');
    assert.match((await died).reason, /exited unexpectedly \(signal SIGKILL\)/);
    assert.equal(server.state, 'dead');
    const second = await server.getServer();
    assert.equal(fakes.launched.length, 2);
    assert.notEqual(second.settings.token, first.settings.token);
    assert.equal(server.state, 'running');
  });

  it('stop() closes stdin and sends SIGTERM, and does not report a death', async () => {
    const server = makeServer();
    await server.getServer();
    let deaths = 0;
    server.onDidDie(() => deaths++);
    await server.stop();
    const fake = fakes.launched[0];
    assert.ok(fake?.stdinClosed);
    assert.deepEqual(fake?.signals, ['SIGTERM']);
    assert.equal(server.state, 'stopped');
    assert.equal(deaths, 0);
  });

  it('stop() escalates to SIGKILL when SIGTERM is ignored', async () => {
    fakes.behaviour = { obeySigterm: false };
    const server = makeServer({ stopTimeoutMs: 20 });
    await server.getServer();
    await server.stop();
    assert.deepEqual(fakes.launched[0]?.signals, ['SIGTERM', 'SIGKILL']);
    assert.ok(logger.lines.some((l) => /did not stop within 20 ms/.test(l)));
  });

  it('stop() during a start waits for it and then stops that server', async () => {
    const server = makeServer();
    const starting = server.getServer();
    await server.stop();
    await starting;
    assert.deepEqual(fakes.launched[0]?.signals, ['SIGTERM']);
    assert.equal(server.state, 'stopped');
  });

  it('dispose() stops, is safe twice, and later getServer() calls fail clearly', async () => {
    const server = makeServer();
    await server.getServer();
    server.dispose();
    server.dispose();
    await assert.rejects(server.getServer(), /has been disposed/);
    await server.stop();
    assert.deepEqual(fakes.launched[0]?.signals, ['SIGTERM']);
  });
});
