/**
 * Finding and ending the processes of one harness run. Every process the run starts (code-server, its
 * extension host, the Jupyter server and kernels the extension starts, chromium) inherits an environment
 * variable holding the run id, so leftovers are found by that marker rather than by name: other test runs on the
 * same machine may legitimately have Jupyter servers of their own.
 */
import { readFileSync, readdirSync } from 'node:fs';

/** A live process of the run. `startTime` (from /proc/PID/stat) tells a reused pid from the original. */
export interface MarkedProcess {
  pid: number;
  startTime: string;
  command: string;
}

/** Processes whose environment contains `name=value` (Linux `/proc`; other systems report none). */
export function findMarkedProcesses(name: string, value: string): MarkedProcess[] {
  const needle = `${name}=${value}`;
  const found: MarkedProcess[] = [];
  for (const pid of listPids()) {
    if (pid === process.pid) {
      continue;
    }
    const environ = readProcFile(pid, 'environ');
    if (environ === undefined || !environ.split('\0').includes(needle)) {
      continue;
    }
    const info = describeProcess(pid);
    if (info) {
      found.push(info);
    }
  }
  return found;
}

/**
 * Every descendant of `rootPid`. Catches processes that a child started with a cleaned environment (so without
 * the marker), as long as they are still in the tree when this is called.
 */
export function findDescendants(rootPid: number): MarkedProcess[] {
  const parents = new Map<number, number>();
  for (const entry of listPids()) {
    const ppid = parentOf(entry);
    if (ppid !== undefined) {
      parents.set(entry, ppid);
    }
  }
  const tree = new Set<number>([rootPid]);
  let grew = true;
  while (grew) {
    grew = false;
    for (const [pid, ppid] of parents) {
      if (!tree.has(pid) && tree.has(ppid)) {
        tree.add(pid);
        grew = true;
      }
    }
  }
  tree.delete(rootPid);
  return [...tree].map(describeProcess).filter((p): p is MarkedProcess => p !== undefined);
}

/** The ones of `tracked` that still run (same pid and same start time). */
export function stillAlive(tracked: MarkedProcess[]): MarkedProcess[] {
  return tracked.filter((p) => describeProcess(p.pid)?.startTime === p.startTime);
}

function listPids(): number[] {
  return readdirSync('/proc')
    .filter((e) => /^\d+$/.test(e))
    .map(Number);
}

/** Fields of /proc/PID/stat after the parenthesised command name (which may itself contain spaces). */
function statFields(pid: number): string[] | undefined {
  const stat = readProcFile(pid, 'stat');
  const close = stat?.lastIndexOf(')') ?? -1;
  return stat && close > 0 ? stat.slice(close + 2).split(' ') : undefined;
}

function parentOf(pid: number): number | undefined {
  const fields = statFields(pid);
  return fields ? Number(fields[1]) : undefined;
}

function describeProcess(pid: number): MarkedProcess | undefined {
  const fields = statFields(pid);
  // State Z: a zombie has exited already; it only waits for its parent (or init) to reap it.
  if (!fields || fields[0] === 'Z') {
    return undefined;
  }
  const cmdline = readProcFile(pid, 'cmdline') ?? '';
  return { pid, startTime: fields[19], command: cmdline.split('\0').join(' ').trim() };
}

/** Reads a /proc file; undefined when the process has exited meanwhile or is a zombie we may not read. */
function readProcFile(pid: number, file: string): string | undefined {
  try {
    return readFileSync(`/proc/${pid}/${file}`, 'latin1');
  } catch {
    // ENOENT/ESRCH/EACCES all mean "not a live process of ours to inspect".
    return undefined;
  }
}

/** Sends `signal` to each pid, ignoring processes that are already gone. */
export function signalAll(pids: number[], signal: NodeJS.Signals): void {
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
  const alive = () => {
    const byPid = new Map(stillAlive(tracked).map((p) => [p.pid, p]));
    for (const p of findMarkedProcesses(name, value)) {
      byPid.set(p.pid, p);
    }
    return [...byPid.values()];
  };
  let left = alive();
  while (left.length > 0 && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 200));
    left = alive();
  }
  return left;
}
