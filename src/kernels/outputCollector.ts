import { OutputReducer, type OutputSink, streamText } from './outputReducer';
import type { IOutput, OutputEvent } from './types';

/** The outputs of one request as a list (index = handle); stream chunks are joined once, at the end. */
class OutputList implements OutputSink<number> {
  outputs: IOutput[] = [];
  /** Chunks of stream outputs not joined yet, by index; 10 MB of prints arrive in many chunks. */
  private chunks = new Map<number, string[]>();

  clear(): void {
    this.outputs = [];
    this.chunks.clear();
  }

  append(output: IOutput): number {
    const index = this.outputs.length;
    if (output.output_type === 'stream') {
      this.outputs.push({ output_type: 'stream', name: output.name, text: '' });
      this.chunks.set(index, [streamText(output)]);
    } else {
      this.outputs.push(output);
    }
    return index;
  }

  appendText(index: number, text: string): void {
    this.chunks.get(index)?.push(text);
  }

  replace(index: number, output: IOutput): void {
    // A new object: the event's outputs are shared with other listeners.
    this.outputs[index] = { ...this.outputs[index], data: output.data, metadata: output.metadata };
  }

  result(): IOutput[] {
    for (const [index, chunks] of this.chunks) {
      const text = chunks.join('');
      this.outputs[index] = { ...this.outputs[index], text };
      this.chunks.set(index, [text]);
    }
    return this.outputs;
  }
}

/** The final output list of one request (for the API, the LM tool and inline results), built by the reducer. */
export class OutputCollector {
  private readonly list = new OutputList();
  private readonly reducer = new OutputReducer(this.list);

  /** Applies one event to the list. */
  apply(e: OutputEvent): void {
    this.reducer.apply(e);
  }

  /** True when an output of this request carries `displayId`. */
  hasDisplay(displayId: string): boolean {
    return this.reducer.hasDisplay(displayId);
  }

  /** The outputs so far, with stream chunks joined. */
  result(): IOutput[] {
    return this.list.result();
  }
}
