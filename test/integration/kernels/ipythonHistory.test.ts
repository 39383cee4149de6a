import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { startTestServer, type TestServer } from '../fixtures/localServer';
import { agentSpec, makeRegistry, tempFolder, textOf } from './helpers';

const HIST_FILE = 'print(get_ipython().history_manager.hist_file)';

/** A server whose kernels use a fresh IPYTHONDIR, so the user's own history file is never touched. */
async function serverWithIpythonDir(persistentHistory: boolean): Promise<{ t: TestServer; ipythonDir: string }> {
  const ipythonDir = tempFolder('ipython');
  const t = await startTestServer({ env: { ...process.env, IPYTHONDIR: ipythonDir }, persistentHistory });
  return { t, ipythonDir };
}

describe('IPython history of the kernels we start (real server, real kernels)', function () {
  this.timeout(90_000);

  it('is in memory by default, for cold and pooled kernels alike', async () => {
    const { t } = await serverWithIpythonDir(false);
    const { registry, pool } = makeRegistry(t.server, 1);
    try {
      pool?.fill();
      const pooled = await registry.execute(agentSpec('agent:pooled'), HIST_FILE);
      const cold = await registry.execute(agentSpec('agent:cold'), HIST_FILE);
      assert.equal(textOf(pooled), ':memory:\n');
      assert.equal(textOf(cold), ':memory:\n');
    } finally {
      await registry.disposeAsync();
      await pool?.disposeAsync();
      await t.server.stop();
    }
  });

  it('is the on-disk history file with kernelIslands.python.persistentHistory', async () => {
    const { t, ipythonDir } = await serverWithIpythonDir(true);
    const { registry } = makeRegistry(t.server);
    try {
      const result = await registry.execute(agentSpec('agent:history'), HIST_FILE);
      assert.equal(textOf(result), `${path.join(ipythonDir, 'profile_default', 'history.sqlite')}\n`);
    } finally {
      await registry.disposeAsync();
      await t.server.stop();
    }
  });
});
