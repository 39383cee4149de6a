import * as assert from 'node:assert/strict';
import { waitForEvent } from '../../../src/common/event';
import { startTestServer, type TestServer } from '../fixtures/localServer';
import { isProcessAlive } from '../../../src/jupyter/processTree';
import { findKernelPid } from '../../shared/kernelProcesses';
import { agentSpec, makeRegistry, tempFolder, textOf } from './helpers';
import { waitFor } from '../../shared/poll';

describe('ContextRegistry after the Jupyter server dies (real server)', function () {
  this.timeout(90_000);
  let t: TestServer;

  before(async () => {
    t = await startTestServer();
  });
  after(() => t.server.stop());

  it('reports state lost, and the next run starts a new server and kernel with the same set-up', async () => {
    const { registry } = makeRegistry(t.server);
    try {
      const cwd = tempFolder('server-death');
      const spec = agentSpec('agent:survivor', cwd);
      await registry.execute(spec, 'x = 1');
      const oldServerPid = t.connection.pid as number;
      const oldKernelPid = await findKernelPid(registry.get(spec.id)?.kernelId ?? '');
      assert.ok(oldKernelPid !== undefined, 'the kernel process is found');
      assert.ok(
        await isProcessAlive(oldKernelPid),
        `the kernel process (pid ${oldKernelPid}) runs before its server dies`,
      );
      const lost = waitForEvent(registry.onDidChangeContexts, (e) => e.type === 'state-lost');
      process.kill(oldServerPid, 'SIGKILL');
      const event = await lost;
      assert.equal(event.context.id, spec.id);
      assert.match(event.message ?? '', /server stopped.*lost/);
      assert.equal(registry.get(spec.id)?.state, 'dead');
      // The kernel dies with its server (PR_SET_PDEATHSIG from the launcher): no orphan keeps the old state.
      await waitFor(`the old kernel (pid ${oldKernelPid}) to die with its server`, async () =>
        (await isProcessAlive(oldKernelPid)) ? undefined : true,
      );

      const after = await registry.execute(spec, 'x');
      assert.equal(after.status, 'error');
      assert.equal(after.error?.ename, 'NameError');
      assert.equal(after.executionCount, 1);
      const fresh = await t.server.getServer();
      assert.notEqual(fresh.pid, oldServerPid);
      assert.equal(textOf(await registry.execute(spec, 'import os\nprint(os.getcwd())')), `${cwd}\n`);
      assert.equal(await isProcessAlive(oldServerPid), false);
      assert.equal(await isProcessAlive(oldKernelPid), false);
    } finally {
      await registry.disposeAsync();
    }
  });
});
