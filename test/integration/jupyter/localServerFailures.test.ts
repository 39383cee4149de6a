import * as assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import * as os from 'node:os';
import * as path from 'node:path';
import { LocalJupyterServer } from '../../../src/jupyter/localServer';
import { resolveLauncherPath, type SpawnFunction } from '../../../src/jupyter/launcherProcess';
import { MemoryLogger, startTestServer, TEST_PYTHON } from '../fixtures/localServer';
import { waitForKernels, waitUntilGone } from './processes';
import { startKernel } from './rest';

function assertStartError(pattern: RegExp) {
  return (err: Error) => {
    assert.equal(err.name, 'ServerStartError');
    assert.match(err.message, pattern);
    return true;
  };
}

describe('LocalJupyterServer failures (real processes)', () => {
  it('names a missing folder to serve', async () => {
    const server = new LocalJupyterServer({ python: TEST_PYTHON, rootDir: '/nonexistent/ki-root' });
    await assert.rejects(
      server.getServer(),
      assertStartError(/folder to serve, \/nonexistent\/ki-root, does not exist/),
    );
    assert.equal(server.state, 'stopped');
  });

  it('names an interpreter that cannot be run', async () => {
    const server = new LocalJupyterServer({ python: '/nonexistent/python3', rootDir: os.tmpdir() });
    await assert.rejects(
      server.getServer(),
      assertStartError(/\/nonexistent\/python3.*could not run the interpreter: ENOENT/),
    );
  });

  it('shows the server output (masked) when the launcher crashes', async () => {
    const logger = new MemoryLogger();
    let token = '';
    // `-S` drops site-packages, so the launcher's `import jupyter_server` fails like on a bare Python.
    const bareSpawn: SpawnFunction = (command, args, options) => {
      token = String(options.env?.JUPYTER_TOKEN);
      return spawn(command, ['-S', ...args], options);
    };
    const server = new LocalJupyterServer({ python: TEST_PYTHON, rootDir: os.tmpdir(), spawn: bareSpawn, logger });
    await assert.rejects(server.getServer(), (err: Error) => {
      assertStartError(/exited before it was ready \(exit code 1\)/)(err);
      assert.match(err.message, /Last server output:[\s\S]*ModuleNotFoundError: No module named 'jupyter_server'/);
      assert.ok(token.length === 64 && !err.message.includes(token));
      return true;
    });
    assert.equal(server.state, 'stopped');
  });

  it('a second getServer() after a failed start tries again', async () => {
    let calls = 0;
    const flakySpawn: SpawnFunction = (command, args, options) => {
      calls++;
      return spawn(command, calls === 1 ? ['-S', ...args] : [...args], options);
    };
    const server = new LocalJupyterServer({ python: TEST_PYTHON, rootDir: os.tmpdir(), spawn: flakySpawn });
    try {
      await assert.rejects(server.getServer());
      const connection = await server.getServer();
      assert.equal(calls, 2);
      assert.equal(server.state, 'running');
      assert.ok(connection.pid);
    } finally {
      await server.stop();
    }
  });

  it('stop() kills a server that ignores SIGTERM, and its kernels', async () => {
    const { server, connection } = await startTestServer({
      launcherPath: path.join(__dirname, 'stubbornLauncher.py'),
      env: { ...process.env, KI_REAL_LAUNCHER_DIR: path.dirname(resolveLauncherPath()) },
      stopTimeoutMs: 1000,
    });
    const pid = connection.pid as number;
    await startKernel(connection);
    const kernels = await waitForKernels(pid, 1);
    assert.equal(kernels.length, 1);
    await server.stop();
    assert.deepEqual(await waitUntilGone([pid, ...kernels], 200), [], 'processes left after stop()');
  });
});
