/**
 * Applies one run's output events to its cell, the way Jupyter front ends do, through an {@link OutputTarget}
 * (a `NotebookCellExecution` in the product, a recorder in unit tests):
 * - consecutive chunks of one stream append to one output, and are buffered so a flood of prints becomes a few
 *   updates (flushed on a timer, before any other output, and at the end);
 * - `clear_output(wait=True)` clears when the next output arrives, so a progress loop ends with one output;
 * - `update_display_data` replaces the items of every output made with that display id, in any cell.
 */
import type { Disposable } from '../common/disposable';
import type * as nbformat from '@jupyterlab/nbformat';
import type { IOutput, OutputEvent, Timer } from '../kernels/types';
import type { DisplayTargets } from './displayTargets';
import {
  type CellOutputData,
  type OutputItemData,
  displayIdOf,
  joinMultiline,
  streamItem,
  toCellOutput,
} from './outputMapping';

/** Where a writer's changes go. `H` identifies one output (a `vscode.NotebookCellOutput`). */
export interface OutputTarget<H> {
  /** Removes every output of this run's cell. */
  clear(): void;
  /** Adds an output at the end of this run's cell; returns its handle. */
  append(output: CellOutputData): H;
  /** Appends items to an existing output (stream chunks). */
  appendItems(handle: H, items: OutputItemData[]): void;
  /** Replaces the items of an output, which may belong to another cell of the notebook. */
  replaceItems(handle: H, items: OutputItemData[]): void;
}

/** How long stream text may wait before it is shown; ~20 updates a second keep the window responsive. */
export const STREAM_FLUSH_MS = 50;

export class CellOutputWriter<H, Owner = unknown> {
  /** The stream output at the end of the cell, which the next chunk of the same stream appends to. */
  private openStream: { name: string; handle: H } | undefined;
  /** Stream text not yet sent to the target. */
  private pending: { name: string; chunks: string[] } | undefined;
  private flushTimer: Disposable | undefined;
  private clearOnNext = false;
  private closed = false;
  /**
   * The whole text of each stream output this run appended to. When the run ends, an output that took appends is
   * written once more in full: VS Code's extension-side copy of a cell could miss appended stream items in a flood
   * of updates, and a saved notebook is written from that copy.
   */
  private readonly streamTexts = new Map<H, { name: string; chunks: string[]; appended: boolean }>();

  constructor(
    private readonly target: OutputTarget<H>,
    private readonly displays: DisplayTargets<H, Owner>,
    /** Identifies this run's cell in `displays`. */
    private readonly owner: Owner,
    private readonly timer: Timer,
    private readonly flushMs = STREAM_FLUSH_MS,
  ) {}

  /** Clears the cell's previous outputs (a new run starts with none). */
  start(): void {
    this.clearNow();
  }

  /** Applies one event; events after {@link finish} are ignored. */
  apply(e: OutputEvent): void {
    if (this.closed) {
      return;
    }
    switch (e.kind) {
      case 'output':
        this.addOutput(e);
        break;
      case 'clear':
        if (e.wait) {
          this.clearOnNext = true;
        } else {
          this.clearNow();
        }
        break;
      case 'update':
        this.update(e.displayId, e.output);
        break;
    }
  }

  /** Shows what is still buffered and stops; a pending `clear_output(wait=True)` is dropped, as in Jupyter. */
  finish(): void {
    if (this.closed) {
      return;
    }
    this.flush();
    this.closed = true;
    for (const [handle, stream] of this.streamTexts) {
      if (stream.appended) {
        this.target.replaceItems(handle, [streamItem(stream.name, stream.chunks.join(''))]);
      }
    }
    this.streamTexts.clear();
  }

  /** Adds an output that did not come from the kernel (e.g. why a run could not start). */
  appendOutput(output: CellOutputData): void {
    if (!this.closed) {
      this.flush();
      this.openStream = undefined;
      this.target.append(output);
    }
  }

  private addOutput(e: Extract<OutputEvent, { kind: 'output' }>): void {
    if (this.clearOnNext) {
      this.clearNow();
    }
    const output = e.output;
    if (output.output_type === 'stream') {
      const stream = output as nbformat.IStream;
      this.bufferStream(stream.name, joinMultiline(stream.text));
      return;
    }
    this.flush();
    this.openStream = undefined;
    const handle = this.target.append(toCellOutput(output));
    const displayId = displayIdOf(output);
    if (displayId !== undefined) {
      this.displays.add(displayId, handle, this.owner);
    }
  }

  private bufferStream(name: string, text: string): void {
    if (this.pending && this.pending.name !== name) {
      this.flush();
    }
    this.pending ??= { name, chunks: [] };
    this.pending.chunks.push(text);
    this.flushTimer ??= this.timer.setTimeout(() => {
      this.flushTimer = undefined;
      this.flush();
    }, this.flushMs);
  }

  /** Sends buffered stream text: appended to the open output of the same stream, else as a new output. */
  private flush(): void {
    this.flushTimer?.dispose();
    this.flushTimer = undefined;
    const pending = this.pending;
    if (!pending || this.closed) {
      return;
    }
    this.pending = undefined;
    const text = pending.chunks.join('');
    const item = streamItem(pending.name, text);
    const open = this.openStream?.name === pending.name ? this.streamTexts.get(this.openStream.handle) : undefined;
    if (this.openStream && open) {
      this.target.appendItems(this.openStream.handle, [item]);
      open.chunks.push(text);
      open.appended = true;
    } else {
      const handle = this.target.append({ items: [item], metadata: { outputType: 'stream' } });
      this.openStream = { name: pending.name, handle };
      this.streamTexts.set(handle, { name: pending.name, chunks: [text], appended: false });
    }
  }

  private clearNow(): void {
    this.clearOnNext = false;
    this.flushTimer?.dispose();
    this.flushTimer = undefined;
    // Text that arrived before the clear would be erased at once: never send it.
    this.pending = undefined;
    this.openStream = undefined;
    this.streamTexts.clear();
    this.displays.forgetOwner(this.owner);
    this.target.clear();
  }

  private update(displayId: string, output: IOutput): void {
    const handles = this.displays.get(displayId);
    if (handles.length === 0) {
      return;
    }
    const items = toCellOutput(output).items;
    for (const handle of handles) {
      this.target.replaceItems(handle, items);
    }
  }
}
