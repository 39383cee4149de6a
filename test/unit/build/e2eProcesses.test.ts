import * as assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { findDescendants, findMarkedProcesses, signalAll, stillAlive, waitUntilGone } from '../../e2e/lib/processes';

describe("the e2e harness's process finder (test/e2e/lib/processes, on the product's /proc scan)", () => {
  it('finds a process by its environment marker and as a descendant, and sees it go', async function () {
    this.timeout(15_000);
    const runId = randomUUID();
    const child = spawn('sleep', ['30'], { env: { ...process.env, KI_TEST_MARK: runId }, stdio: 'ignore' });
    const exited = new Promise((resolve) => child.once('exit', resolve));
    try {
      const marked = await findMarkedProcesses('KI_TEST_MARK', runId);
      assert.deepEqual(
        marked.map((p) => [p.pid, p.command]),
        [[child.pid, 'sleep 30']],
      );
      assert.ok((await findDescendants(process.pid)).some((p) => p.pid === child.pid));
      assert.deepEqual(await findMarkedProcesses('KI_TEST_MARK', 'another run'), []);
      assert.equal((await stillAlive(marked)).length, 1);
      assert.deepEqual(
        await stillAlive([{ ...marked[0], startTime: '1' }]),
        [],
        'a reused pid is not the same process',
      );

      // A process that already exited (and was reaped) is skipped, not an error.
      const gone = spawn('true', { stdio: 'ignore' });
      await new Promise((resolve) => gone.once('exit', resolve));
      signalAll([gone.pid as number, child.pid as number], 'SIGTERM');
      await exited;
      assert.deepEqual(await waitUntilGone(marked, 'KI_TEST_MARK', runId, 5_000), []);
    } finally {
      child.kill('SIGKILL');
    }
  });
});
