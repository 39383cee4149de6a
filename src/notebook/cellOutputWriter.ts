/**
 * Writes one run's outputs into its cell through an {@link OutputTarget} (a `NotebookCellExecution` in the
 * product, a recorder in unit tests). What the outputs are (stream merge, `clear_output`, display updates) is the
 * kernel layer's {@link OutputReducer}; this adapter only decides how the edits reach VS Code:
 * - stream text is buffered, so a flood of prints becomes a few edits (flushed on a timer, before any other
 *   output, and at the end), and text a clear erased before it was flushed is never sent;
 * - an output that took appended stream items is written once more in full at the end.
 */
import type { Disposable } from '../common/disposable';
import { DisplayIndex, OutputReducer, type OutputSink, streamText } from '../kernels/output/outputReducer';
import type { IOutput, OutputEvent, Timer } from '../kernels/types';
import { type CellOutputData, type OutputItemData, streamItem, toCellOutput } from './outputMapping';

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

/** One output of a cell; a stream output gets its target handle when its first buffered text is flushed. */
interface OutputSlot<H> {
  handle?: H;
  /** The stream's name, for a stream output. */
  stream?: string;
}

/** The display ids of one notebook's cell outputs, shared by the runs of all its cells. */
export class NotebookDisplays<H, Cell> extends DisplayIndex<OutputSlot<H>, Cell> {}

/** How long stream text may wait before it is shown; ~20 updates a second keep the window responsive. */
const STREAM_FLUSH_MS = 50;

/** The reducer's sink for one cell run: buffers stream text, writes everything else at once. */
class CellSink<H> implements OutputSink<OutputSlot<H>> {
  /** Stream text not yet sent to the target, and the output it goes to. */
  private pending: { slot: OutputSlot<H>; chunks: string[] } | undefined;
  private flushTimer: Disposable | undefined;
  closed = false;
  /**
   * The whole text of each stream output this run appended to. When the run ends, an output that took appends is
   * written once more in full: VS Code's extension-side copy of a cell could miss appended stream items in a flood
   * of updates, and a saved notebook is written from that copy.
   */
  private readonly streamTexts = new Map<OutputSlot<H>, { chunks: string[]; appended: boolean }>();

  constructor(
    private readonly target: OutputTarget<H>,
    private readonly timer: Timer,
    private readonly flushMs: number,
  ) {}

  clear(): void {
    this.cancelTimer();
    // Text that arrived before the clear would be erased at once: never send it.
    this.pending = undefined;
    this.streamTexts.clear();
    this.target.clear();
  }

  append(output: IOutput): OutputSlot<H> {
    const slot: OutputSlot<H> = {};
    if (output.output_type === 'stream') {
      slot.stream = String(output.name);
      this.buffer(slot, streamText(output));
    } else {
      this.flush();
      slot.handle = this.target.append(toCellOutput(output));
    }
    return slot;
  }

  appendText(slot: OutputSlot<H>, text: string): void {
    this.buffer(slot, text);
  }

  replace(slot: OutputSlot<H>, output: IOutput): void {
    if (slot.handle !== undefined) {
      this.target.replaceItems(slot.handle, toCellOutput(output).items);
    }
  }

  /** Shows what is still buffered and stops; outputs that took appends are written once more in full. */
  finish(): void {
    this.flush();
    this.closed = true;
    for (const [slot, stream] of this.streamTexts) {
      if (stream.appended && slot.handle !== undefined) {
        this.target.replaceItems(slot.handle, [streamItem(slot.stream ?? '', stream.chunks.join(''))]);
      }
    }
    this.streamTexts.clear();
  }

  private buffer(slot: OutputSlot<H>, text: string): void {
    if (this.pending && this.pending.slot !== slot) {
      this.flush();
    }
    this.pending ??= { slot, chunks: [] };
    this.pending.chunks.push(text);
    this.flushTimer ??= this.timer.setTimeout(() => {
      this.flushTimer = undefined;
      this.flush();
    }, this.flushMs);
  }

  /** Sends buffered stream text: appended to its output when that is in the cell already, else as a new output. */
  private flush(): void {
    this.cancelTimer();
    const pending = this.pending;
    if (!pending || this.closed) {
      return;
    }
    this.pending = undefined;
    const { slot } = pending;
    const text = pending.chunks.join('');
    const item = streamItem(slot.stream ?? '', text);
    const sent = this.streamTexts.get(slot);
    if (slot.handle !== undefined && sent) {
      this.target.appendItems(slot.handle, [item]);
      sent.chunks.push(text);
      sent.appended = true;
    } else {
      slot.handle = this.target.append({ items: [item], metadata: { outputType: 'stream' } });
      this.streamTexts.set(slot, { chunks: [text], appended: false });
    }
  }

  private cancelTimer(): void {
    this.flushTimer?.dispose();
    this.flushTimer = undefined;
  }
}

export class CellOutputWriter<H, Cell = unknown> {
  private readonly sink: CellSink<H>;
  private readonly reducer: OutputReducer<OutputSlot<H>, Cell>;

  constructor(
    target: OutputTarget<H>,
    displays: NotebookDisplays<H, Cell>,
    /** This run's cell: its next run forgets the display ids of this one. */
    cell: Cell,
    timer: Timer,
    flushMs = STREAM_FLUSH_MS,
  ) {
    this.sink = new CellSink(target, timer, flushMs);
    this.reducer = new OutputReducer(this.sink, displays, cell);
  }

  /** Clears the cell's previous outputs (a new run starts with none). */
  start(): void {
    this.reducer.clear();
  }

  /** Applies one event; events after {@link finish} are ignored. */
  apply(e: OutputEvent): void {
    if (!this.sink.closed) {
      this.reducer.apply(e);
    }
  }

  /** Adds an output that did not come from the kernel (e.g. why a run could not start). */
  appendOutput(output: IOutput): void {
    this.apply({ kind: 'output', output });
  }

  /** Shows what is still buffered and stops; a pending `clear_output(wait=True)` is dropped, as in Jupyter. */
  finish(): void {
    if (!this.sink.closed) {
      this.sink.finish();
    }
  }
}
