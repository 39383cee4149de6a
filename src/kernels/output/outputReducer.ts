/**
 * The one place that applies a run's output events the way Jupyter front ends do (JupyterLab's output area and
 * kernel connection, nbclient):
 * - consecutive chunks of one stream go into one output; any other output ends the merge;
 * - `clear_output()` clears at once; `clear_output(wait=True)` clears when the next output arrives (a display
 *   update is not an output: it never triggers the clear), and is dropped when none arrives;
 * - `update_display_data` replaces the data and metadata of every output made with that display id, in this run
 *   and in earlier runs that share the {@link DisplayIndex}; a new output with a display id that is already shown
 *   updates those outputs too, and is added;
 * - cleared outputs are forgotten, so a later update cannot reach them.
 *
 * It holds no output data and does no I/O: it turns each event into operations on an {@link OutputSink}, which
 * holds the outputs (the request's list, a notebook cell, the results panel's run).
 */
import { joinMultiline } from '../../common/multilineText';
import { DisplayIndex } from './displayIndex';
import { outputDisplayId } from './outputConverters';
import type { IOutput, OutputEvent } from '../types';

export { DisplayIndex } from './displayIndex';

/** Where one run's outputs live. `H` identifies one output of the sink. */
export interface OutputSink<H> {
  /** Removes every output of this run. */
  clear(): void;
  /** Adds an output at the end of this run (for a stream, its first chunk); returns its handle. */
  append(output: IOutput): H;
  /** Appends a chunk to the stream output `handle`, which is this run's last output and of the same stream. */
  appendText(handle: H, text: string): void;
  /**
   * Replaces the data and metadata of output `handle` with `output`'s; the output keeps its type and execution
   * count. `handle` may belong to another run of the same display index.
   */
  replace(handle: H, output: IOutput): void;
}

/** The text of a stream output (nbformat allows a list of lines). */
export function streamText(output: IOutput): string {
  return joinMultiline(output.text);
}

export class OutputReducer<H, Owner = unknown> {
  /** The stream output at the end of the run, which the next chunk of the same stream appends to. */
  private openStream: { name: string; handle: H } | undefined;
  private clearOnNext = false;
  private readonly owner: Owner;

  /**
   * @param displays shared by the runs whose displays may update each other (a notebook, a context); a run of
   *   its own by default.
   * @param owner identifies this run's outputs in `displays` (a cell: its next run forgets its old outputs).
   */
  constructor(
    private readonly sink: OutputSink<H>,
    private readonly displays: DisplayIndex<H, Owner> = new DisplayIndex<H, Owner>(),
    owner?: Owner,
  ) {
    this.owner = owner ?? (this as unknown as Owner);
  }

  /** Applies one event. */
  apply(e: OutputEvent): void {
    switch (e.kind) {
      case 'output':
        this.add(e.output);
        break;
      case 'clear':
        if (e.wait) {
          this.clearOnNext = true;
        } else {
          this.clear();
        }
        break;
      case 'update':
        this.update(e.displayId, e.output);
        break;
    }
  }

  /** Clears this run's outputs now (a pending wait-clear is done with it). */
  clear(): void {
    this.clearOnNext = false;
    this.openStream = undefined;
    this.displays.forgetOwner(this.owner);
    this.sink.clear();
  }

  /** True when an output this index knows carries `displayId`. */
  hasDisplay(displayId: string): boolean {
    return this.displays.get(displayId).length > 0;
  }

  private add(output: IOutput): void {
    if (this.clearOnNext) {
      this.clear();
    }
    if (output.output_type === 'stream') {
      const name = String(output.name);
      if (this.openStream?.name === name) {
        this.sink.appendText(this.openStream.handle, streamText(output));
      } else {
        this.openStream = { name, handle: this.sink.append(output) };
      }
      return;
    }
    this.openStream = undefined;
    const displayId = outputDisplayId(output);
    if (displayId !== undefined) {
      this.update(displayId, output);
    }
    const handle = this.sink.append(output);
    if (displayId !== undefined) {
      this.displays.add(displayId, handle, this.owner);
    }
  }

  private update(displayId: string, output: IOutput): void {
    for (const handle of this.displays.get(displayId)) {
      this.sink.replace(handle, output);
    }
  }
}
