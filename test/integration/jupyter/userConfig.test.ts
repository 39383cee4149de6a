import * as assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { LocalJupyterServer } from '../../../src/jupyter/localServer';
import { startTestServer, TEST_PYTHON } from '../fixtures/localServer';

/** A Jupyter config dir holding one `jupyter_server_config.json`, used instead of the user's. */
function configDir(serverApp: Record<string, unknown>): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'ki-jupyter-config-'));
  writeFileSync(path.join(dir, 'jupyter_server_config.json'), JSON.stringify({ ServerApp: serverApp }));
  return dir;
}

function connectCode(host: string, port: number): Promise<string> {
  return new Promise((resolve) => {
    const socket = net.connect({ host, port, timeout: 3000 }, () => {
      socket.destroy();
      resolve('connected');
    });
    socket.once('error', (err: NodeJS.ErrnoException) => resolve(err.code ?? err.message));
    socket.once('timeout', () => resolve('timeout'));
  });
}

describe('LocalJupyterServer against a hostile user Jupyter config (real server)', () => {
  const dirs: string[] = [];
  after(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

  it('stays on 127.0.0.1 when the config asks for every interface', async function () {
    const external = Object.values(os.networkInterfaces())
      .flat()
      .find((a) => a && a.family === 'IPv4' && !a.internal);
    if (!external) {
      // Without a non-loopback address there is nothing to compare against.
      this.skip();
    }
    const dir = configDir({ ip: '0.0.0.0', port_retries: 50 });
    dirs.push(dir);
    const { server, connection } = await startTestServer({ env: { ...process.env, JUPYTER_CONFIG_DIR: dir } });
    try {
      const port = Number(new URL(connection.settings.baseUrl).port);
      assert.equal(await connectCode('127.0.0.1', port), 'connected');
      assert.equal(await connectCode(external.address, port), 'ECONNREFUSED');
    } finally {
      await server.stop();
    }
  });

  it('refuses to run when the config would switch the token off', async () => {
    const dir = configDir({ token: '' });
    dirs.push(dir);
    const server = new LocalJupyterServer({
      python: TEST_PYTHON,
      rootDir: os.tmpdir(),
      env: { ...process.env, JUPYTER_CONFIG_DIR: dir },
    });
    await assert.rejects(server.getServer(), /exit code 3[\s\S]*a Jupyter config file overrides the token/);
  });
});
