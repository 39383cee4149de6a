/**
 * Finding and ending the processes of one harness run. Every process the run starts (code-server, its
 * extension host, the Jupyter server and kernels the extension starts, chromium) inherits an environment
 * variable holding the run id, so leftovers are found by that marker rather than by name: other test runs on the
 * same machine may legitimately have Jupyter servers of their own. `/proc` is read through the product's one scan
 * (`src/jupyter/processTree`, with `test/shared/kernelProcesses`).
 */
import { listDescendants, listProcessIds, readArgv, readStat } from '../../../src/jupyter/processTree';
import { readEnviron } from '../../shared/kernelProcesses';
import { sleep } from '../../shared/poll';

export { signalAll } from '../../shared/kernelProcesses';

/** A live process of the run. `startTime` (from /proc/PID/stat) tells a reused pid from the original. */
export interface MarkedProcess {
  pid: number;
  startTime: string;
  command: string;
}

/** Processes whose environment contains `name=value` (Linux `/proc`; other systems report none). */
export async function findMarkedProcesses(name: string, value: string): Promise<MarkedProcess[]> {
  const needle = `${name}=${value}`;
  const pids = (await listProcessIds()).filter((pid) => pid !== process.pid);
  const found = await Promise.all(
    pids.map(async (pid) => ((await readEnviron(pid)).includes(needle) ? describeProcess(pid) : undefined)),
  );
  return found.filter((p): p is MarkedProcess => p !== undefined);
}

/**
 * Every descendant of `rootPid`. Catches processes that a child started with a cleaned environment (so without
 * the marker), as long as they are still in the tree when this is called.
 */
export async function findDescendants(rootPid: number): Promise<MarkedProcess[]> {
  const found = await Promise.all((await listDescendants(rootPid)).map(describeProcess));
  return found.filter((p): p is MarkedProcess => p !== undefined);
}

/** The ones of `tracked` that still run (same pid and same start time). */
export async function stillAlive(tracked: MarkedProcess[]): Promise<MarkedProcess[]> {
  const now = await Promise.all(tracked.map((p) => describeProcess(p.pid)));
  return tracked.filter((p, i) => now[i]?.startTime === p.startTime);
}

async function describeProcess(pid: number): Promise<MarkedProcess | undefined> {
  const stat = await readStat(pid);
  // State Z: a zombie has exited already; it only waits for its parent (or init) to reap it.
  if (!stat || stat.state === 'Z') {
    return undefined;
  }
  const argv = (await readArgv(pid)) ?? [];
  return { pid, startTime: stat.startTime, command: argv.join(' ').trim() };
}

/**
 * Polls until neither a `tracked` process nor a process with the marker `name=value` remains, or `timeoutMs`
 * passes; returns what is still alive.
 */
export async function waitUntilGone(
  tracked: MarkedProcess[],
  name: string,
  value: string,
  timeoutMs: number,
): Promise<MarkedProcess[]> {
  const deadline = Date.now() + timeoutMs;
  const alive = async () => {
    const byPid = new Map((await stillAlive(tracked)).map((p) => [p.pid, p]));
    for (const p of await findMarkedProcesses(name, value)) {
      byPid.set(p.pid, p);
    }
    return [...byPid.values()];
  };
  let left = await alive();
  while (left.length > 0 && Date.now() < deadline) {
    await sleep(200);
    left = await alive();
  }
  return left;
}
