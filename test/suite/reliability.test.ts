/**
 * Reliability through the exported API, in the real extension host: a crashed kernel is reported dead while 7
 * others keep their state, and a malformed setting falls back without breaking runs (the harness checks the warning
 * in the extension's log). How soon it shows dead is printed as a figure, not asserted.
 */
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { KernelIslandsApi } from '../../types/kernel-islands';
import { findKernelPid } from '../shared/kernelProcesses';
import { waitFor } from '../shared/poll';
import { findContext, getApi, plainText, shutdownIfLive } from './util';

const IDS = Array.from({ length: 8 }, (_, i) => `agent:reliability-${i}`);

export function reliabilityTests(): void {
  suite('reliability (exported API)', () => {
    let api: KernelIslandsApi;

    suiteSetup(async () => {
      api = await getApi();
    });

    suiteTeardown(async () => {
      for (const id of [...IDS, 'agent:settings']) {
        await shutdownIfLive(api, id);
      }
      await vscode.workspace
        .getConfiguration('kernelIslands')
        .update('interruptTimeoutSeconds', undefined, vscode.ConfigurationTarget.Global);
    });

    test('kill -9 of one of 8 kernels: it shows dead, the other 7 keep their state, its next run starts fresh', async () => {
      await Promise.all(IDS.map((id, i) => api.execute(id, `x = ${i}`)));
      const victim = IDS[3];
      const pid = await findKernelPid(findContext(api, victim)?.kernelId ?? '');
      assert.ok(pid, 'found the victim kernel process');
      const killedAt = Date.now();
      process.kill(pid, 'SIGKILL');
      const deadAfterMs = await waitFor(
        `${victim} to show dead`,
        () => (findContext(api, victim)?.state === 'dead' ? Date.now() - killedAt : undefined),
        60_000,
        20,
      );
      console.log(`      figure: in-host kill -9 to contexts() state "dead" = ${deadAfterMs} ms`);
      for (const id of IDS.filter((id) => id !== victim)) {
        assert.notEqual(findContext(api, id)?.state, 'dead', `${id} is unaffected`);
      }
      const back = await Promise.all(IDS.map((id) => api.execute(id, 'print(x)')));
      IDS.forEach((id, i) => {
        if (id === victim) {
          assert.equal(back[i].status, 'error', 'the victim starts with a fresh kernel');
        } else {
          assert.equal(plainText(back[i]), String(i), `${id} kept x`);
        }
      });
      assert.equal(back[3].executionCount, 1);
      assert.notEqual(findContext(api, victim)?.state, 'dead');
    });

    test('a malformed setting falls back to its default: runs and interrupts keep working', async () => {
      await vscode.workspace
        .getConfiguration('kernelIslands')
        .update('interruptTimeoutSeconds', 'soon', vscode.ConfigurationTarget.Global);
      assert.equal(plainText(await api.execute('agent:settings', 'print(6 * 7)')), '42');
      // An interrupt reads the timeout: with the bad value it uses 10 s and logs one warning.
      await api.interrupt('agent:settings');
      assert.equal(plainText(await api.execute('agent:settings', 'print("after")')), 'after');
    });
  });
}
