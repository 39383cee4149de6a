/**
 * Waiting for a quiet machine between samples: a kernel start (about a CPU-second here) must not overlap a sample
 * that is not about it, and a "new context" sample needs the warm pool full again.
 */
import { readFile } from 'node:fs/promises';
import { kernelPidsUnder } from '../../test/shared/kernelProcesses';
import { sleep } from '../../test/shared/poll';

/** CPU ticks (user + system) a process used so far; 0 when it is gone. */
async function cpuTicks(pid: number): Promise<number> {
  try {
    const text = await readFile(`/proc/${pid}/stat`, 'utf8');
    const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
    return Number(fields[11]) + Number(fields[12]);
  } catch {
    // Exited meanwhile: it uses no CPU any more.
    return 0;
  }
}

/**
 * Waits until `rootPid` has `kernels` kernel processes (the contexts' plus the warm pool) and none of them used more
 * than 2 ticks (20 ms) of CPU over 300 ms: started and idle. Fails after `timeoutMs`, saying what it saw.
 */
export async function waitForKernels(rootPid: number, kernels: () => Promise<number>, timeoutMs = 90_000) {
  const deadline = Date.now() + timeoutMs;
  let seen = '';
  while (Date.now() < deadline) {
    const want = await kernels();
    const pids = await kernelPidsUnder(rootPid);
    if (pids.length >= want) {
      const before = await Promise.all(pids.map(cpuTicks));
      await sleep(300);
      const after = await Promise.all(pids.map(cpuTicks));
      const busiest = Math.max(0, ...after.map((t, i) => t - before[i]));
      if (busiest <= 2) {
        return;
      }
      seen = `${pids.length} kernels, the busiest used ${busiest} ticks in 300 ms`;
    } else {
      seen = `${pids.length} of ${want} kernels`;
      await sleep(200);
    }
  }
  throw new Error(`kernels did not settle within ${timeoutMs} ms (${seen})`);
}
