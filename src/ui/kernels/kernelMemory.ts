import { promises as fs } from 'node:fs';

/**
 * Reads the resident memory of local kernel processes from /proc (Linux). A kernel is found by its connection
 * file, `kernel-<id>.json`, on its command line; the pid is cached and checked on each read. Elsewhere, or for
 * remote kernels, it finds nothing and the view shows no memory.
 */
export class KernelMemory {
  private readonly pids = new Map<string, number>();

  constructor(private readonly procDir = '/proc') {}

  /** Resident set size in bytes per kernel id, for the ids given that run on this machine. */
  async read(kernelIds: readonly string[]): Promise<Map<string, number>> {
    const out = new Map<string, number>();
    const wanted = kernelIds.filter((id) => id !== '');
    if (wanted.length === 0) {
      return out;
    }
    const missing: string[] = [];
    for (const id of wanted) {
      const pid = this.pids.get(id);
      const rss = pid !== undefined && (await this.cmdlineHas(pid, id)) ? await this.rssOf(pid) : undefined;
      if (rss === undefined) {
        this.pids.delete(id);
        missing.push(id);
      } else {
        out.set(id, rss);
      }
    }
    if (missing.length > 0) {
      await this.findPids(missing);
      for (const id of missing) {
        const pid = this.pids.get(id);
        const rss = pid === undefined ? undefined : await this.rssOf(pid);
        if (rss !== undefined) {
          out.set(id, rss);
        }
      }
    }
    return out;
  }

  private async findPids(ids: string[]): Promise<void> {
    let entries: string[];
    try {
      entries = await fs.readdir(this.procDir);
    } catch {
      // No /proc (macOS, Windows): memory is simply not shown.
      return;
    }
    for (const entry of entries) {
      if (!/^\d+$/.test(entry)) {
        continue;
      }
      const cmdline = await fs.readFile(`${this.procDir}/${entry}/cmdline`, 'utf8').catch(() => '');
      const id = ids.find((k) => cmdline.includes(`kernel-${k}.json`));
      if (id) {
        this.pids.set(id, Number(entry));
      }
    }
  }

  private async cmdlineHas(pid: number, id: string): Promise<boolean> {
    const cmdline = await fs.readFile(`${this.procDir}/${pid}/cmdline`, 'utf8').catch(() => '');
    return cmdline.includes(`kernel-${id}.json`);
  }

  private async rssOf(pid: number): Promise<number | undefined> {
    const status = await fs.readFile(`${this.procDir}/${pid}/status`, 'utf8').catch(() => '');
    const m = /^VmRSS:\s+(\d+)\s+kB/m.exec(status);
    return m ? Number(m[1]) * 1024 : undefined;
  }
}

/** "123 MB" for a byte count. */
export function formatBytes(bytes: number): string {
  if (bytes >= 1024 * 1024 * 1024) {
    return `${(bytes / 1024 / 1024 / 1024).toFixed(1)} GB`;
  }
  return `${Math.round(bytes / 1024 / 1024)} MB`;
}
