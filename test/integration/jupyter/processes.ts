import { isProcessAlive } from '../../../src/jupyter/processTree';
import { kernelPidsUnder } from '../../shared/kernelProcesses';
import { sleep } from '../../shared/poll';

/** Waits until `count` kernels run under the launcher (a kernel POST returns before the process is listed). */
export async function waitForKernels(launcherPid: number, count: number, timeoutMs = 10_000): Promise<number[]> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const pids = await kernelPidsUnder(launcherPid);
    if (pids.length >= count || Date.now() > deadline) {
      return pids;
    }
    await sleep(50);
  }
}

/** Resolves with the pids still alive after waiting up to `timeoutMs` for all of them to go. */
export async function waitUntilGone(pids: readonly number[], timeoutMs: number): Promise<number[]> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const alive = (await Promise.all(pids.map(async (pid) => ((await isProcessAlive(pid)) ? pid : 0)))).filter(Boolean);
    if (alive.length === 0 || Date.now() > deadline) {
      return alive;
    }
    await sleep(50);
  }
}
