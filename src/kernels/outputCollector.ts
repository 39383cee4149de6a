import type * as nbformat from '@jupyterlab/nbformat';
import { outputDisplayId } from './outputConverters';
import type { IOutput, OutputEvent } from './types';

/**
 * Builds the final output list of one request from its output events, the way a notebook shows it:
 * consecutive stream chunks of the same name become one output, `clear_output(wait=True)` clears when
 * the next output arrives, and display updates replace the data of outputs with that display id.
 */
export class OutputCollector {
  private outputs: IOutput[] = [];
  /** The open stream output and its chunks; joined once, because 10 MB of prints arrive in many chunks. */
  private openStream: { output: nbformat.IStream; chunks: string[] } | undefined;
  private clearOnNext = false;

  /** Applies one event to the list. */
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

  /** True when an output of this request carries `displayId`. */
  hasDisplay(displayId: string): boolean {
    return this.outputs.some((o) => outputDisplayId(o) === displayId);
  }

  /** The outputs so far, with stream chunks joined. */
  result(): IOutput[] {
    this.closeStream();
    return this.outputs;
  }

  private add(output: IOutput): void {
    if (this.clearOnNext) {
      this.clear();
    }
    if (output.output_type === 'stream') {
      const stream = output as nbformat.IStream;
      const text = typeof stream.text === 'string' ? stream.text : stream.text.join('');
      if (this.openStream?.output.name === stream.name) {
        this.openStream.chunks.push(text);
        return;
      }
      this.closeStream();
      const copy: nbformat.IStream = { output_type: 'stream', name: stream.name, text: '' };
      this.openStream = { output: copy, chunks: [text] };
      this.outputs.push(copy);
      return;
    }
    this.closeStream();
    this.outputs.push(output);
  }

  private update(displayId: string, output: IOutput): void {
    this.outputs = this.outputs.map((o) =>
      outputDisplayId(o) === displayId ? { ...o, data: output.data, metadata: output.metadata } : o,
    );
  }

  private clear(): void {
    this.clearOnNext = false;
    this.openStream = undefined;
    this.outputs = [];
  }

  private closeStream(): void {
    if (this.openStream) {
      this.openStream.output.text = this.openStream.chunks.join('');
      this.openStream = undefined;
    }
  }
}
