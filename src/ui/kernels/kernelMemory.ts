import { processTable, type ProcessTable } from '../../jupyter/processTree';

/**
 * Reads the resident memory of local kernel processes through the process table (`jupyter/processTree`: `/proc` on
 * Linux, `ps` on macOS, one PowerShell CIM query on Windows, where it is the working set). A kernel is found by its
 * connection file, `kernel-<id>.json`, on its command line; the pid is kept and its command line checked on each
 * read, so the whole table is listed only for a kernel not seen yet. Remote kernels, or a system that does not
 * answer, show no memory.
 */
export class KernelMemory {
  private readonly pids = new Map<string, number>();

  constructor(private readonly table: ProcessTable = processTable()) {}

  /** Resident set size in bytes per kernel id, for the ids given that run on this machine. */
  async read(kernelIds: readonly string[]): Promise<Map<string, number>> {
    const out = new Map<string, number>();
    const wanted = kernelIds.filter((id) => id !== '');
    if (wanted.length === 0) {
      return out;
    }
    const known = wanted.filter((id) => this.pids.has(id));
    const details = await this.table.lookup(known.map((id) => this.pids.get(id) as number));
    const missing = wanted.filter((id) => !known.includes(id));
    for (const id of known) {
      const found = details.get(this.pids.get(id) as number);
      if (found?.rssBytes !== undefined && isKernel(found.commandLine, id)) {
        out.set(id, found.rssBytes);
      } else {
        this.pids.delete(id);
        missing.push(id);
      }
    }
    if (missing.length > 0) {
      for (const entry of await this.table.list()) {
        const id = missing.find((k) => isKernel(entry.commandLine, k));
        if (id) {
          this.pids.set(id, entry.pid);
        }
      }
      const pids = missing.flatMap((id) => this.pids.get(id) ?? []);
      const fresh = pids.length > 0 ? await this.table.lookup(pids) : new Map();
      for (const id of missing) {
        const rss = fresh.get(this.pids.get(id) ?? -1)?.rssBytes;
        if (rss !== undefined) {
          out.set(id, rss);
        }
      }
    }
    return out;
  }
}

function isKernel(commandLine: string, id: string): boolean {
  return commandLine.includes(`kernel-${id}.json`);
}

/** "123 MB" for a byte count. */
export function formatBytes(bytes: number): string {
  if (bytes >= 1024 * 1024 * 1024) {
    return `${(bytes / 1024 / 1024 / 1024).toFixed(1)} GB`;
  }
  return `${Math.round(bytes / 1024 / 1024)} MB`;
}
