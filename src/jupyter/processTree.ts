import { promises as fs } from 'node:fs';

/**
 * The one `/proc` scan (Linux only; every function answers "nothing found" elsewhere). The product uses it to
 * kill kernels when their server has to be killed; the tests use the same functions to find kernels, launchers
 * and what is left of them.
 */

/** What `/proc/<pid>/stat` says of a process. */
interface ProcessStat {
  /** One letter: R, S, D, Z (zombie), X (dead), … */
  state: string;
  ppid: number;
  /** Clock ticks after boot when it started: tells a reused pid from the original. */
  startTime: string;
}

/** Process ids of every descendant of `pid` (children, their children, …), without `pid` itself. */
export async function listDescendants(pid: number): Promise<number[]> {
  const parents = await readParentMap();
  const result: number[] = [];
  const queue = [pid];
  while (queue.length > 0) {
    const current = queue.shift() as number;
    for (const [child, parent] of parents) {
      if (parent === current) {
        result.push(child);
        queue.push(child);
      }
    }
  }
  return result;
}

/** True while `pid` exists and is not a zombie. */
export async function isProcessAlive(pid: number): Promise<boolean> {
  const stat = await readStat(pid);
  if (stat === undefined) {
    return processExists(pid);
  }
  return stat.state !== 'Z' && stat.state !== 'X';
}

/** Every process id in `/proc`; empty without procfs (macOS, Windows). */
export async function listProcessIds(): Promise<number[]> {
  let entries: string[];
  try {
    entries = await fs.readdir('/proc');
  } catch {
    // No procfs: no process can be listed; callers fall back to what they know (the direct child).
    return [];
  }
  return entries.filter((name) => /^\d+$/.test(name)).map(Number);
}

/**
 * The processes whose argv `matches` (e.g. a kernel by its connection file): every process, or only the
 * descendants of `under`.
 */
export async function findProcesses(matches: (argv: string[]) => boolean, under?: number): Promise<number[]> {
  const pids = under === undefined ? await listProcessIds() : await listDescendants(under);
  const argvs = await Promise.all(pids.map(readArgv));
  return pids.filter((_, i) => {
    const argv = argvs[i];
    return argv !== undefined && matches(argv);
  });
}

/** The argv of a process (NUL-separated in `/proc`); undefined when it is gone or cannot be read. */
export async function readArgv(pid: number): Promise<string[] | undefined> {
  try {
    return (await fs.readFile(`/proc/${pid}/cmdline`, 'utf8')).split('\0').filter(Boolean);
  } catch {
    // Exited between listing and reading, or no procfs.
    return undefined;
  }
}

/** The state, parent and start time of a process; undefined when it is gone or there is no procfs. */
export async function readStat(pid: number): Promise<ProcessStat | undefined> {
  let text: string;
  try {
    text = await fs.readFile(`/proc/${pid}/stat`, 'utf8');
  } catch {
    // The process exited between listing and reading, or there is no procfs.
    return undefined;
  }
  // The command name is in parentheses and may itself contain spaces or parentheses.
  const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
  return { state: fields[0] ?? '', ppid: Number(fields[1]), startTime: fields[19] ?? '' };
}

async function readParentMap(): Promise<Map<number, number>> {
  const map = new Map<number, number>();
  const pids = await listProcessIds();
  await Promise.all(
    pids.map(async (pid) => {
      const stat = await readStat(pid);
      if (stat) {
        map.set(pid, stat.ppid);
      }
    }),
  );
  return map;
}

function processExists(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}
