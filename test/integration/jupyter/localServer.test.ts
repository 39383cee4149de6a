import * as assert from 'node:assert/strict';
import { KernelAPI, KernelConnection } from '@jupyterlab/services';
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { waitForEvent } from '../../../src/common/event';
import { chooseFreePort } from '../../../src/jupyter/freePort';
import { LocalJupyterServer } from '../../../src/jupyter/localServer';
import { MemoryLogger, startTestServer, TEST_PYTHON, useTestServer } from '../fixtures/localServer';
import { readArgv } from '../../../src/jupyter/processTree';
import { readEnviron } from '../../shared/kernelProcesses';
import { waitFor } from '../../shared/poll';
import { waitForKernels, waitUntilGone } from './processes';
import { runOnFreshKernel } from './connectionCheck';
import { restCall, startKernel } from './rest';

function portOf(baseUrl: string): number {
  return Number(new URL(baseUrl).port);
}

/** Resolves 'connected' or the socket error code for a TCP connect to host:port. */
function tryConnect(host: string, port: number): Promise<string> {
  return new Promise((resolve) => {
    const socket = net.connect({ host, port, timeout: 3000 });
    socket.once('connect', () => {
      socket.destroy();
      resolve('connected');
    });
    socket.once('timeout', () => {
      socket.destroy();
      resolve('timeout');
    });
    socket.once('error', (err: NodeJS.ErrnoException) => resolve(err.code ?? err.message));
  });
}

describe('LocalJupyterServer (real server)', () => {
  describe('a running server', () => {
    const t = useTestServer();

    it('answers /api/status with the token', async () => {
      const { status, body } = await restCall(t.connection, 'api/status');
      assert.equal(status, 200);
      assert.equal(typeof (body as { started?: unknown }).started, 'string');
      assert.equal(t.server.state, 'running');
      assert.equal(t.connection.kind, 'local');
    });

    it('refuses a request without the token or with a wrong one (403)', async () => {
      assert.equal((await restCall(t.connection, 'api/kernels', { token: null })).status, 403);
      assert.equal((await restCall(t.connection, 'api/kernels', { token: 'f'.repeat(64) })).status, 403);
    });

    it('uses a token of at least 128 bits', () => {
      assert.match(t.connection.settings.token, /^[0-9a-f]{64}$/);
    });

    it('listens on 127.0.0.1 only', async function () {
      const port = portOf(t.connection.settings.baseUrl);
      assert.equal(await tryConnect('127.0.0.1', port), 'connected');
      const external = Object.values(os.networkInterfaces())
        .flat()
        .find((a) => a && a.family === 'IPv4' && !a.internal);
      if (!external) {
        // Nothing to compare against on a machine with loopback only.
        this.skip();
      }
      assert.equal(await tryConnect(external.address, port), 'ECONNREFUSED', `reachable on ${external.address}`);
    });

    it('lists its kernels while one is starting (jupyter_server 1.x answered 500 in that window)', async () => {
      // A kernel is in the server's table before its start finishes; listing it then raised AttributeError
      // (no last_activity yet), so a reload's adoption or a warm-pool start could turn GET /api/kernels into a 500.
      let starting = true;
      const statuses: number[] = [];
      const polling = (async () => {
        while (starting) {
          statuses.push((await restCall(t.connection, 'api/kernels')).status);
        }
      })();
      const ids = await Promise.all([startKernel(t.connection), startKernel(t.connection)]);
      starting = false;
      await polling;
      assert.ok(statuses.length >= 2, `only ${statuses.length} listings ran during the start`);
      assert.deepEqual(
        statuses.filter((s) => s !== 200),
        [],
        `listings during the start: ${statuses.join(' ')}`,
      );
      for (const id of ids) {
        await restCall(t.connection, `api/kernels/${id}`, { method: 'DELETE' });
      }
    });

    it('keeps the token out of every argv, the kernels\u2019 environment and the log', async () => {
      const pid = t.connection.pid as number;
      await startKernel(t.connection);
      const kernels = await waitForKernels(pid, 1);
      assert.ok(kernels.length >= 1, 'a kernel process runs under the launcher');
      const token = t.connection.settings.token;
      for (const p of [pid, ...kernels]) {
        const argv = await readArgv(p);
        assert.ok(argv, `process ${p} runs`);
        assert.ok(!argv.join(' ').includes(token), `token in argv of ${p}`);
      }
      for (const p of kernels) {
        assert.ok(!(await readEnviron(p)).some((v) => v.includes(token)), `token in environment of kernel ${p}`);
      }
      // Sanity check that the launcher really got it through its environment.
      assert.ok((await readEnviron(pid)).includes(`JUPYTER_TOKEN=${token}`));
      assert.ok(t.logger.lines.length > 0);
      assert.ok(!t.logger.lines.some((l) => l.includes(token)), 'token in the log');
    });

    it('delivers a 10 MB print loop in full (the IOPub rate limit is off)', async () => {
      const { stdoutChars } = await runOnFreshKernel(t.connection.settings, "for _ in range(10_000): print('x' * 999)");
      assert.equal(stdoutChars, 10_000_000);
    });

    it("keeps each kernel's execution_state and last_activity while decoding only status messages", async () => {
      assert.ok(
        t.logger.lines.some((l) => l.includes('kernel activity: status messages decoded')),
        'the launcher did not install its light activity watch',
      );
      const model = await KernelAPI.startNew({ name: 'python3' }, t.connection.settings);
      const kernel = new KernelConnection({ model, serverSettings: t.connection.settings, handleComms: false });
      const read = async () =>
        (await restCall(t.connection, `api/kernels/${model.id}`)).body as {
          execution_state: string;
          last_activity: string;
        };
      // The run below loops until this file exists.
      const release = path.join(os.tmpdir(), `ki-release-${model.id}`);
      try {
        await kernel.info;
        // The server's activity watch subscribes to the kernel's iopub after the kernel started, and a SUB socket
        // misses what is published before it is connected: under load it once missed the whole start and the
        // run's busy (all "starting", then the run's idle). Runs of `pass` until the server says idle, so it has
        // seen a status and no earlier run's "busy" is still showing.
        const before = await waitFor(
          'the server to report the kernel idle before the run',
          async () => {
            const seen = await read();
            if (seen.execution_state === 'idle') {
              return seen;
            }
            await kernel.requestExecute({ code: 'pass' }).done;
            return undefined;
          },
          60_000,
          100,
        );
        // The kernel's loop (the run under test) polls for the release file; the test itself waits for conditions.
        const future = kernel.requestExecute({
          code: `import os, time\nprint('x' * 100_000)\nwhile not os.path.exists(${JSON.stringify(release)}):\n    time.sleep(0.05)`,
        });
        // Not a run of a fixed length (it was 1.5 s, which under load ended before the server had seen it start):
        // this one ends when the test has seen the server report it busy.
        const states: string[] = [];
        await waitFor(
          'the server to report the run busy',
          async () => {
            const state = (await read()).execution_state;
            if (states.at(-1) !== state) {
              states.push(state);
            }
            return state === 'busy';
          },
          60_000,
        ).catch((err: Error) => assert.fail(`${err.message}; states seen during the run: ${states.join(' ')}`));
        writeFileSync(release, '');
        await future.done;
        const after = await waitFor(
          'the server to report the kernel idle after the run',
          async () => {
            const seen = await read();
            return seen.execution_state === 'idle' ? seen : undefined;
          },
          60_000,
        );
        assert.ok(Date.parse(after.last_activity) > Date.parse(before.last_activity), 'last_activity did not move');
      } finally {
        rmSync(release, { force: true });
        kernel.dispose();
        await KernelAPI.shutdownKernel(model.id, t.connection.settings);
      }
    });

    it('turns Nagle off on kernel websockets', () => {
      assert.ok(
        t.logger.lines.some((l) =>
          /TCP_NODELAY on kernel websockets: (ZMQChannelsHandler|KernelWebsocketHandler)/.test(l),
        ),
        'the launcher did not patch a kernel websocket handler',
      );
    });

    it('writes no file holding the token to the Jupyter runtime dir', () => {
      const dir = execFileSync(
        TEST_PYTHON,
        ['-c', 'from jupyter_core.paths import jupyter_runtime_dir as d; print(d())'],
        {
          encoding: 'utf8',
        },
      ).trim();
      const token = t.connection.settings.token;
      const holders = readdirSync(dir).filter((name) => {
        try {
          return readFileSync(path.join(dir, name), 'utf8').includes(token);
        } catch {
          // Deleted meanwhile by another server, or a directory: holds nothing.
          return false;
        }
      });
      assert.deepEqual(holders, []);
    });
  });

  it('shares one start between concurrent getServer() calls', async () => {
    const server = new LocalJupyterServer({ python: TEST_PYTHON, rootDir: os.tmpdir() });
    try {
      const states: string[] = [];
      server.onDidChangeState((s) => states.push(s));
      const [a, b] = await Promise.all([server.getServer(), server.getServer()]);
      assert.equal(a, b);
      assert.deepEqual(states, ['starting', 'running']);
      assert.ok(server.lastStartDurationMs !== undefined && server.lastStartDurationMs > 0);
    } finally {
      await server.stop();
    }
  });

  it('stop() leaves no server or kernel processes', async () => {
    const { server, connection } = await startTestServer();
    const pid = connection.pid as number;
    await startKernel(connection);
    await startKernel(connection);
    const kernels = await waitForKernels(pid, 2);
    assert.equal(kernels.length, 2);
    await server.stop();
    assert.equal(server.state, 'stopped');
    assert.deepEqual(await waitUntilGone([pid, ...kernels], 0), [], 'processes left after stop()');
  });

  it('after kill -9 of the server: onDidDie fires, its kernels go, and getServer() gives a new server', async () => {
    const { server, connection } = await startTestServer();
    try {
      const pid = connection.pid as number;
      await startKernel(connection);
      const kernels = await waitForKernels(pid, 1);
      const died = waitForEvent(server.onDidDie);
      process.kill(pid, 'SIGKILL');
      const { reason } = await died;
      assert.match(reason, /SIGKILL/);
      assert.equal(server.state, 'dead');
      // Orphaned kernels notice their parent is gone (ipykernel's parent poller checks every second).
      assert.deepEqual(await waitUntilGone(kernels, 5000), [], 'kernels outlived a killed server');
      const fresh = await server.getServer();
      assert.notEqual(fresh.pid, pid);
      assert.equal((await restCall(fresh, 'api/status')).status, 200);
      assert.equal(server.state, 'running');
    } finally {
      await server.stop();
    }
  });

  it('retries with a new port when the chosen one is taken before the server binds it', async () => {
    // Whoever holds the port must never see our token: count the connections it gets.
    let blockerConnections = 0;
    const blocker = net.createServer((socket) => {
      blockerConnections++;
      socket.destroy();
    });
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const taken = (blocker.address() as net.AddressInfo).port;
    const chosen: number[] = [];
    const choosePort = async () => {
      const port = chosen.length === 0 ? taken : await chooseFreePort();
      chosen.push(port);
      return port;
    };
    const logger = new MemoryLogger();
    const server = new LocalJupyterServer({ python: TEST_PYTHON, rootDir: os.tmpdir(), choosePort, logger });
    try {
      const connection = await server.getServer();
      assert.equal(chosen.length, 2);
      assert.equal(portOf(connection.settings.baseUrl), chosen[1]);
      assert.notEqual(chosen[1], taken);
      assert.equal((await restCall(connection, 'api/status')).status, 200);
      assert.ok(logger.lines.some((l) => l.includes(`Port ${taken} was taken`)));
      assert.equal(blockerConnections, 0, 'a request (with the token) went to the port we did not bind');
    } finally {
      await server.stop();
      blocker.close();
    }
  });
});
