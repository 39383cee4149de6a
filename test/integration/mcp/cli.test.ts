import * as assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import * as os from 'node:os';
import { TEST_PYTHON } from '../fixtures/localServer';
import { kernelPidsUnder, stillRunning } from '../../shared/kernelProcesses';
import { waitFor } from '../../shared/poll';
import { buildMcpBundle, endHttpSession, httpSession, MCP_BIN, run, valueOf } from './mcpClients';

describe('kernel-islands-mcp --http (the command)', function () {
  this.timeout(90_000);

  before(function () {
    this.timeout(60_000);
    buildMcpBundle();
  });

  it('refuses a token on the command line', () => {
    const r = spawnSync(process.execPath, [MCP_BIN, '--http', '--token', 'abc'], { encoding: 'utf8' });
    assert.equal(r.status, 1);
    assert.match(r.stderr, /never a command-line argument.*KERNEL_ISLANDS_MCP_TOKEN/);
  });

  it('prints its URL and a generated token once to stderr, serves with it, and stops its server and kernels on SIGTERM', async () => {
    const env = { ...process.env };
    delete env.KERNEL_ISLANDS_MCP_TOKEN;
    const child = spawn(process.execPath, [MCP_BIN, '--http', '--python', TEST_PYTHON, '--root', os.tmpdir()], {
      env,
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    try {
      const [url, token] = await waitFor('the URL and token on stderr', () => {
        const u = /Streamable HTTP on (http:\/\/127\.0\.0\.1:\d+\/mcp)/.exec(stderr)?.[1];
        const t = /bearer token[^:]*: ([0-9a-f]{64})/.exec(stderr)?.[1];
        return u && t ? [u, t] : undefined;
      });
      assert.equal(stderr.split(token).length - 1, 1, 'the token is printed once');
      await assert.rejects(httpSession(url, undefined), /401|Unauthorized/);
      const session = await httpSession(url, token);
      assert.equal(valueOf(await run(session.client, '6 * 7')), '42');
      const kernels = await kernelPidsUnder(child.pid!);
      assert.ok(kernels.length >= 1, 'a session kernel runs under the command');
      assert.deepEqual(await stillRunning(kernels), kernels, 'the session kernels run under the command');
      await endHttpSession(session);

      child.kill('SIGTERM');
      assert.equal(await exited, 0);
      await waitFor('every kernel to exit', async () => ((await stillRunning(kernels)).length > 0 ? undefined : true));
    } finally {
      child.kill('SIGKILL');
    }
  });
});
