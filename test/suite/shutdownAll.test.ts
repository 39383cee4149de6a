/**
 * "Kernel Islands: Shut Down All Kernels" stops everything at once: every context's kernel, the warm pool and the
 * local Jupyter Server (launcher) are stopped by the command itself, not left for the reload grace period, and the
 * next run starts a fresh server. Registered last in the suite: it ends every other test's contexts too.
 */
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { KernelIslandsApi } from '../../types/kernel-islands';
import { stillRunning } from '../shared/kernelProcesses';
import { waitFor } from '../shared/poll';
import { localLaunchers, localServerView } from './localServerProbe';
import { getApi, plainText, shutdownIfLive } from './util';

const IDS = ['agent:shutdown-all-a', 'agent:shutdown-all-b'];

export function shutdownAllTests(): void {
  suite('Shut Down All Kernels', () => {
    let api: KernelIslandsApi;

    suiteSetup(async () => {
      api = await getApi();
    });

    suiteTeardown(async () => {
      for (const id of IDS) {
        await shutdownIfLive(api, id);
      }
    });

    test('stops every kernel and the local server at once; the next run starts a fresh one', async () => {
      await Promise.all(IDS.map((id, i) => api.execute(id, `v = ${i}`)));
      const before = await localServerView();
      const pids = [before.launcherPid, ...before.kernelProcesses.map((k) => k.pid)];
      assert.ok(before.kernelProcesses.length >= IDS.length, 'the two contexts’ kernels run under the launcher');

      const started = Date.now();
      await vscode.commands.executeCommand('kernelIslands.shutdownAll');
      const commandMs = Date.now() - started;
      // Kernel processes die with their launcher (PR_SET_PDEATHSIG): wait for them to be reaped. 30 s is the bound
      // to give up at, not a speed claim; the times are figures.
      let left: number[] = [];
      await waitFor(
        `the ${pids.length} processes to exit after Shut Down All Kernels`,
        async () => (left = await stillRunning(pids)).length === 0,
        30_000,
      ).catch((err: Error) => assert.fail(`${err.message}: ${left.join(', ')} still run`));
      const goneMs = Date.now() - started;
      console.log(
        `      figure: Shut Down All Kernels = command ${commandMs} ms, ${pids.length} processes gone after ${goneMs} ms`,
      );
      assert.deepEqual(await localLaunchers(), [], 'a local server still runs');
      assert.deepEqual(api.contexts(), [], 'contexts are left');

      const again = await api.execute(IDS[0], 'print(globals().get("v"))');
      assert.equal(plainText(again), 'None', 'the next run starts a fresh kernel');
      const after = await localServerView();
      assert.notEqual(after.launcherPid, before.launcherPid, 'a new server serves the next run');
    });
  });
}
