import { promises as fs } from 'node:fs';
import { hostPlatform, type Platform } from '../common/platform';
import { execFileRunner, type ProcessRunner } from '../python/processRunner';

/**
 * The one process table: which processes run, their parents, command lines and memory, and ending a process tree.
 * One implementation per platform, chosen by the platform seam (`common/platform`): `/proc` on Linux, `ps` on macOS
 * (and other Unix systems without procfs), `Get-CimInstance Win32_Process` through PowerShell on Windows, where a
 * tree is ended with `taskkill /T /F` (Windows has no process groups or signals to send; kernels are interrupted
 * through the server's interrupt endpoint, as everywhere). The product kills a dead server's kernels with it and the
 * Kernels view reads kernel memory through it; the tests find kernels, launchers and what is left of them with the
 * Linux helpers below (`findProcesses`, `readArgv`, `readStat`, `listProcessIds`).
 */
export interface ProcessTable {
  /** Every process, with its parent and command line. */
  list(): Promise<ProcessEntry[]>;
  /** The command line and resident memory (bytes; the working set on Windows) of each given pid that still runs. */
  lookup(pids: readonly number[]): Promise<Map<number, ProcessDetails>>;
  /** Ends `pid` and every descendant at once (no clean-up); returns why any of them could not be ended. */
  killTree(pid: number): Promise<string[]>;
}

export interface ProcessEntry {
  pid: number;
  ppid: number;
  /** The command line as one string (argv joined by spaces where the system keeps it as a list). */
  commandLine: string;
}

export interface ProcessDetails {
  commandLine: string;
  /** Undefined when the system does not say (a zombie, a process of another user on Windows). */
  rssBytes: number | undefined;
}

/** The process table of `platform` (the host's by default); `runner` runs `ps` or PowerShell. */
export function processTable(
  platform: Platform = hostPlatform(),
  runner: ProcessRunner = execFileRunner,
): ProcessTable {
  switch (platform.os) {
    case 'linux':
      return procfsTable();
    case 'win32':
      return windowsTable(runner);
    default:
      return psTable(runner);
  }
}

/** Process ids of every descendant of `pid` (children, their children, …), without `pid` itself. */
export async function listDescendants(pid: number, table: ProcessTable = processTable()): Promise<number[]> {
  return descendantsIn(await table.list(), pid);
}

function descendantsIn(entries: readonly ProcessEntry[], pid: number): number[] {
  const result: number[] = [];
  // Windows keeps a dead parent's pid in its children, and may give it to a new process: never visit a pid twice.
  const seen = new Set([pid]);
  const queue = [pid];
  while (queue.length > 0) {
    const current = queue.shift() as number;
    for (const entry of entries) {
      if (entry.ppid === current && !seen.has(entry.pid)) {
        seen.add(entry.pid);
        result.push(entry.pid);
        queue.push(entry.pid);
      }
    }
  }
  return result;
}

/** SIGKILL to the descendants, then to `pid` (POSIX: Linux and macOS). */
async function killWithSignals(table: ProcessTable, pid: number): Promise<string[]> {
  const failures: string[] = [];
  for (const target of [...(await listDescendants(pid, table)), pid]) {
    try {
      process.kill(target, 'SIGKILL');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ESRCH') {
        failures.push(`process ${target}: ${(err as Error).message}`);
      }
    }
  }
  return failures;
}

/** Linux: `/proc/<pid>/stat` (parent), `cmdline` (NUL-separated argv) and `status` (`VmRSS`). */
export function procfsTable(procDir = '/proc'): ProcessTable {
  const cmdline = (pid: number) => readArgv(pid, procDir);
  const table: ProcessTable = {
    async list() {
      const pids = await listProcessIds(procDir);
      const entries = await Promise.all(
        pids.map(async (pid) => {
          const [stat, argv] = await Promise.all([readStat(pid, procDir), cmdline(pid)]);
          // Gone between the listing and the reads when neither file answers.
          return stat || argv ? { pid, ppid: stat?.ppid ?? 0, commandLine: (argv ?? []).join(' ') } : undefined;
        }),
      );
      return entries.filter((e): e is ProcessEntry => e !== undefined);
    },
    async lookup(pids) {
      const out = new Map<number, ProcessDetails>();
      await Promise.all(
        pids.map(async (pid) => {
          const argv = await cmdline(pid);
          if (argv === undefined) {
            return;
          }
          const status = await fs.readFile(`${procDir}/${pid}/status`, 'utf8').catch(() => '');
          const kb = /^VmRSS:\s+(\d+)\s+kB/m.exec(status)?.[1];
          out.set(pid, { commandLine: argv.join(' '), rssBytes: kb === undefined ? undefined : Number(kb) * 1024 });
        }),
      );
      return out;
    },
    killTree: (pid) => killWithSignals(table, pid),
  };
  return table;
}

/** macOS and other Unix systems without procfs: `ps` (rss in KiB; `command` last, as it may hold spaces). */
export function psTable(runner: ProcessRunner): ProcessTable {
  const ps = async (columns: string, select: string[]) => {
    const result = await runner('ps', [...select, '-ww', '-o', columns], { timeoutMs: PROCESS_QUERY_TIMEOUT_MS });
    // ps exits 1 when none of the pids given with -p runs: no rows, as when it printed none.
    return result.stdout
      .split('\n')
      .map((line) => /^\s*(\d+)\s+(\d+)\s(.*)$/.exec(line))
      .filter((m): m is RegExpExecArray => m !== null);
  };
  const table: ProcessTable = {
    async list() {
      const rows = await ps('pid=,ppid=,command=', ['-ax']);
      return rows.map(([, pid, ppid, command]) => ({
        pid: Number(pid),
        ppid: Number(ppid),
        commandLine: command.trim(),
      }));
    },
    async lookup(pids) {
      const out = new Map<number, ProcessDetails>();
      if (pids.length === 0) {
        return out;
      }
      for (const [, pid, rss, command] of await ps('pid=,rss=,command=', ['-p', pids.join(',')])) {
        out.set(Number(pid), { commandLine: command.trim(), rssBytes: Number(rss) * 1024 });
      }
      return out;
    },
    killTree: (pid) => killWithSignals(table, pid),
  };
  return table;
}

/** One PowerShell query of Win32_Process; `filter` is WQL (`ProcessId=12 OR ProcessId=13`). */
function cimQuery(filter: string | undefined): string {
  const where = filter ? ` -Filter '${filter}'` : '';
  return (
    "$ProgressPreference = 'SilentlyContinue'; " +
    `ConvertTo-Json -Compress -InputObject @(Get-CimInstance Win32_Process${where} | ` +
    'Select-Object ProcessId,ParentProcessId,WorkingSetSize,CommandLine)'
  );
}

/** PowerShell's arguments for `script`: encoded (UTF-16LE, base64), so no quoting of the command line can change it. */
function powerShellArgs(script: string): string[] {
  return ['-NoProfile', '-NonInteractive', '-EncodedCommand', Buffer.from(script, 'utf16le').toString('base64')];
}

interface CimProcess {
  ProcessId?: number;
  ParentProcessId?: number;
  WorkingSetSize?: number | null;
  CommandLine?: string | null;
}

/** Windows: `Get-CimInstance Win32_Process` (command lines and working sets), `taskkill /T /F` for a tree. */
export function windowsTable(runner: ProcessRunner): ProcessTable {
  const query = async (filter?: string): Promise<CimProcess[]> => {
    const result = await runner('powershell.exe', powerShellArgs(cimQuery(filter)), {
      timeoutMs: PROCESS_QUERY_TIMEOUT_MS,
    });
    try {
      const parsed: unknown = JSON.parse(result.stdout.trim() || '[]');
      return Array.isArray(parsed) ? (parsed as CimProcess[]) : [];
    } catch {
      // PowerShell failed (policy, timeout): no process is known, as without procfs.
      return [];
    }
  };
  return {
    async list() {
      return (await query())
        .filter((p) => typeof p.ProcessId === 'number')
        .map((p) => ({ pid: p.ProcessId as number, ppid: p.ParentProcessId ?? 0, commandLine: p.CommandLine ?? '' }));
    },
    async lookup(pids) {
      const out = new Map<number, ProcessDetails>();
      const ids = pids.filter((pid) => Number.isInteger(pid));
      if (ids.length === 0) {
        return out;
      }
      for (const p of await query(ids.map((pid) => `ProcessId=${pid}`).join(' OR '))) {
        if (typeof p.ProcessId === 'number') {
          out.set(p.ProcessId, { commandLine: p.CommandLine ?? '', rssBytes: p.WorkingSetSize ?? undefined });
        }
      }
      return out;
    },
    async killTree(pid) {
      const result = await runner('taskkill', ['/PID', String(pid), '/T', '/F'], {
        timeoutMs: PROCESS_QUERY_TIMEOUT_MS,
      });
      return result.code === 0
        ? []
        : [`taskkill of process ${pid}: ${result.stderr.trim() || result.errorCode || result.code}`];
    },
  };
}

const PROCESS_QUERY_TIMEOUT_MS = 10_000;

/** What `/proc/<pid>/stat` says of a process. */
interface ProcessStat {
  /** One letter: R, S, D, Z (zombie), X (dead), … */
  state: string;
  ppid: number;
  /** Clock ticks after boot when it started: tells a reused pid from the original. */
  startTime: string;
}

// The Linux helpers the tests use (integration tests, the in-host suite and e2e run on Linux), and the procfs table.

/** True while `pid` exists and is not a zombie (elsewhere: while it exists). */
export async function isProcessAlive(pid: number): Promise<boolean> {
  const stat = await readStat(pid);
  if (stat === undefined) {
    return processExists(pid);
  }
  return stat.state !== 'Z' && stat.state !== 'X';
}

/** Every process id in `/proc`; empty without procfs (macOS, Windows). */
export async function listProcessIds(procDir = '/proc'): Promise<number[]> {
  let entries: string[];
  try {
    entries = await fs.readdir(procDir);
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
  const argvs = await Promise.all(pids.map((pid) => readArgv(pid)));
  return pids.filter((_, i) => {
    const argv = argvs[i];
    return argv !== undefined && matches(argv);
  });
}

/** The argv of a process (NUL-separated in `/proc`); undefined when it is gone or cannot be read. */
export async function readArgv(pid: number, procDir = '/proc'): Promise<string[] | undefined> {
  try {
    return (await fs.readFile(`${procDir}/${pid}/cmdline`, 'utf8')).split('\0').filter(Boolean);
  } catch {
    // Exited between listing and reading, or no procfs.
    return undefined;
  }
}

/** The state, parent and start time of a process; undefined when it is gone or there is no procfs. */
export async function readStat(pid: number, procDir = '/proc'): Promise<ProcessStat | undefined> {
  let text: string;
  try {
    text = await fs.readFile(`${procDir}/${pid}/stat`, 'utf8');
  } catch {
    // The process exited between listing and reading, or there is no procfs.
    return undefined;
  }
  // The command name is in parentheses and may itself contain spaces or parentheses.
  const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
  return { state: fields[0] ?? '', ppid: Number(fields[1]), startTime: fields[19] ?? '' };
}

function processExists(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}
