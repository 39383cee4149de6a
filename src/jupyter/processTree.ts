import { promises as fs } from 'node:fs';

/**
 * Process ids of every descendant of `pid`, found by reading `/proc/<pid>/stat` (Linux only; empty
 * elsewhere). Used to kill kernels when their server has to be killed, and by tests to find them.
 */
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

async function readParentMap(): Promise<Map<number, number>> {
  const map = new Map<number, number>();
  let entries: string[];
  try {
    entries = await fs.readdir('/proc');
  } catch {
    // No procfs (macOS, Windows): no descendants can be listed; callers fall back to the direct child.
    return map;
  }
  await Promise.all(
    entries
      .filter((name) => /^\d+$/.test(name))
      .map(async (name) => {
        const stat = await readStat(Number(name));
        if (stat) {
          map.set(Number(name), stat.ppid);
        }
      }),
  );
  return map;
}

async function readStat(pid: number): Promise<{ state: string; ppid: number } | undefined> {
  let text: string;
  try {
    text = await fs.readFile(`/proc/${pid}/stat`, 'utf8');
  } catch {
    // The process exited between listing and reading, or there is no procfs.
    return undefined;
  }
  // The command name is in parentheses and may itself contain spaces or parentheses.
  const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
  return { state: fields[0] ?? '', ppid: Number(fields[1]) };
}

function processExists(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}
