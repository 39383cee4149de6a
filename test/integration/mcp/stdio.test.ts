import * as assert from 'node:assert/strict';
import { findKernelPid, stillRunning } from '../../shared/kernelProcesses';
import { waitFor } from '../../shared/poll';
import { buildMcpBundle, sessionKernelIds, stdioSession, writeAndReadBack } from './mcpClients';

describe('MCP over stdio (kernel-islands-mcp with its own Jupyter Server)', function () {
  this.timeout(120_000);

  before(function () {
    this.timeout(60_000);
    buildMcpBundle();
  });

  it('five sessions at once each keep their own x in context main, 20 reads each, and closing shuts their kernels down', async () => {
    const sessions = await Promise.all([0, 1, 2, 3, 4].map(() => stdioSession()));
    try {
      const seen = await Promise.all(sessions.map((s, i) => writeAndReadBack(s.client, `stdio-${i}`, 20)));
      seen.forEach((values, i) => assert.deepEqual(values, Array(20).fill(`'stdio-${i}'`), `session ${i}`));
      const kernels = await Promise.all(sessions.map((s) => sessionKernelIds(s.client)));
      const pids = await Promise.all(kernels.flat().map(findKernelPid));
      assert.equal(new Set(kernels.flat()).size, 5, 'five kernels, one per session');
      assert.deepEqual(await stillRunning(pids), pids, 'every kernel runs while its session is open');
      const serverPids = sessions.map((s) => s.transport.pid);

      await Promise.all(sessions.map((s) => s.client.close()));
      await waitFor(
        'the kernels to exit',
        async () => ((await stillRunning(pids)).length > 0 ? undefined : true),
        20_000,
      );
      await waitFor('the servers to exit', async () =>
        (await stillRunning(serverPids)).length > 0 ? undefined : true,
      );
    } finally {
      await Promise.allSettled(sessions.map((s) => s.client.close()));
    }
  });
});
