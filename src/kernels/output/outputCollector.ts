import { OutputReducer, type OutputSink, streamText } from './outputReducer';
import { StreamText } from './streamText';
import type { IOutput, OutputEvent } from '../types';

/** The outputs of one request as a list (index = handle); stream text is set on its output when read. */
class OutputList implements OutputSink<number> {
  outputs: IOutput[] = [];
  /** The text of each stream output, by index. */
  private readonly streams = new Map<number, StreamText>();

  clear(): void {
    this.outputs = [];
    this.streams.clear();
  }

  append(output: IOutput): number {
    const index = this.outputs.length;
    if (output.output_type === 'stream') {
      this.outputs.push({ output_type: 'stream', name: output.name, text: '' });
      this.streams.set(index, new StreamText(streamText(output)));
    } else {
      this.outputs.push(output);
    }
    return index;
  }

  appendText(index: number, text: string): void {
    this.streams.get(index)?.append(text);
  }

  replace(index: number, output: IOutput): void {
    // A new object: the event's outputs are shared with other listeners.
    this.outputs[index] = { ...this.outputs[index], data: output.data, metadata: output.metadata };
  }

  result(): IOutput[] {
    for (const [index, stream] of this.streams) {
      this.outputs[index] = { ...this.outputs[index], text: stream.value };
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
