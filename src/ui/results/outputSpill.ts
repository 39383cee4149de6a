import { createWriteStream, mkdirSync, rmSync, type WriteStream } from 'node:fs';
import { join } from 'node:path';

/** Bytes of full text kept on disk per run; beyond this a flood is cut (with a note) so the disk is safe too. */
const MAX_SPILL_BYTES = 256 * 1024 * 1024;

interface SpillFile {
  path: string;
  stream: WriteStream;
  bytes: number;
  cut: boolean;
}

/**
 * The full text of runs whose output went over the panel's bound, written to files in the extension's storage,
 * so the webview holds only the bounded part and the user can still open everything in an editor.
 */
export class OutputSpill {
  private readonly files = new Map<number, SpillFile>();
  private made = false;

  constructor(private readonly dir: string) {}

  /** Appends text to a run's file; `restart` starts the file over (first overflow, or after clear_output). */
  write(runId: number, text: string, restart: boolean): void {
    let file = this.files.get(runId);
    if (restart && file) {
      file.stream.end();
      file = undefined;
    }
    if (!file) {
      if (!this.made) {
        mkdirSync(this.dir, { recursive: true });
        this.made = true;
      }
      const path = join(this.dir, `run-${process.pid}-${runId}.txt`);
      file = { path, stream: createWriteStream(path, { flags: 'w' }), bytes: 0, cut: false };
      this.files.set(runId, file);
    }
    if (file.cut) {
      return;
    }
    const bytes = Buffer.byteLength(text);
    if (file.bytes + bytes > MAX_SPILL_BYTES) {
      file.cut = true;
      file.stream.write(`\n… output beyond ${MAX_SPILL_BYTES / 1024 / 1024} MB was not kept\n`);
      return;
    }
    file.bytes += bytes;
    file.stream.write(text);
  }

  has(runId: number): boolean {
    return this.files.has(runId);
  }

  /** The path of a run's full text, once everything written so far is on disk. */
  async pathOf(runId: number): Promise<string | undefined> {
    const file = this.files.get(runId);
    if (!file) {
      return undefined;
    }
    await new Promise<void>((resolve) => file.stream.write('', () => resolve()));
    return file.path;
  }

  /** Deletes the files of runs no longer shown; resolves when they are gone. */
  forget(runIds: Iterable<number>): Promise<void> {
    const done: Array<Promise<void>> = [];
    for (const id of runIds) {
      const file = this.files.get(id);
      if (file) {
        this.files.delete(id);
        done.push(new Promise((resolve) => file.stream.end(() => resolve(rmSync(file.path, { force: true })))));
      }
    }
    return Promise.all(done).then(() => undefined);
  }

  dispose(): void {
    void this.forget([...this.files.keys()]);
  }
}
