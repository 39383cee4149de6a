/**
 * Processes as the tests look for them (kernels above all) and end them, through the product's one `/proc` scan
 * (`src/jupyter/processTree.ts`). Used by the integration tests (plain Node), the in-host suite and the e2e harness.
 */
import { readFile } from 'node:fs/promises';
import { findProcesses, isProcessAlive } from '../../src/jupyter/processTree';

/**
 * True for the sandbox around an agent's kernel: bubblewrap (its outer process and its init, both `bwrap …`), whose
 * argv ends with the kernel's own command line. The kernel is the process inside, counted once.
 */
function isSandboxWrapper(argv: readonly string[]): boolean {
  return /(^|\/)bwrap$/.test(argv[0] ?? '');
}

/** The kernel id in a kernel's argv: Jupyter Server passes `kernel-<id>.json` as its connection file. */
export function kernelIdOf(argv: readonly string[]): string | undefined {
  if (isSandboxWrapper(argv)) {
    return undefined;
  }
  return argv.map((a) => /kernel-([\w-]+)\.json$/.exec(a)?.[1]).find((id) => id !== undefined);
}

/** The process of the kernel with this id, or undefined when none runs. */
export async function findKernelPid(kernelId: string): Promise<number | undefined> {
  const [pid] = await findProcesses((argv) => kernelIdOf(argv) === kernelId);
  return pid;
}

/** Kernel processes under `rootPid` (a launcher, an extension host): descendants whose argv runs ipykernel. */
export function kernelPidsUnder(rootPid: number): Promise<number[]> {
  return findProcesses((argv) => !isSandboxWrapper(argv) && argv.some((arg) => arg.includes('ipykernel')), rootPid);
}

/** The ones of `pids` that still run (not zombies); an undefined pid (a process never found) runs nothing. */
export async function stillRunning(pids: ReadonlyArray<number | null | undefined>): Promise<number[]> {
  const known = pids.filter((pid): pid is number => typeof pid === 'number');
  const alive = await Promise.all(known.map(isProcessAlive));
  return known.filter((_, i) => alive[i]);
}

/** The environment a process was started with (`NAME=value` entries); empty when it is gone or not ours to read. */
export async function readEnviron(pid: number): Promise<string[]> {
  try {
    return (await readFile(`/proc/${pid}/environ`, 'utf8')).split('\0').filter(Boolean);
  } catch {
    // Exited while we looked, or another user's: it holds nothing we can read.
    return [];
  }
}

/** Sends `signal` to each pid (a negative one: its process group), ignoring processes that are already gone. */
export function signalAll(pids: readonly number[], signal: NodeJS.Signals): void {
  for (const pid of pids) {
    try {
      process.kill(pid, signal);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ESRCH') {
        throw err;
      }
    }
  }
}
