import type * as nbformat from '@jupyterlab/nbformat';
import type { KernelMessage } from '@jupyterlab/services';
import type { OutputEvent } from '../types';

/** The parts of an iopub message the converters read; real messages and recorded fixtures both fit. */
export interface IopubLike {
  header: { msg_type: string };
  content: unknown;
}

type Converter = (content: never) => OutputEvent;

/** Keeps the display id on the output (as JupyterLab does) so views can apply later updates to it. */
function withTransient<T extends nbformat.IOutput>(output: T, transient: unknown): T {
  const displayId = displayIdOf(transient);
  return displayId === undefined ? output : { ...output, transient: { display_id: displayId } };
}

function displayIdOf(transient: unknown): string | undefined {
  const id = (transient as { display_id?: unknown } | undefined)?.display_id;
  return typeof id === 'string' ? id : undefined;
}

function stream(content: KernelMessage.IStreamMsg['content']): OutputEvent {
  return { kind: 'output', output: { output_type: 'stream', name: content.name, text: content.text } };
}

function executeResult(content: KernelMessage.IExecuteResultMsg['content']): OutputEvent {
  const output: nbformat.IExecuteResult = {
    output_type: 'execute_result',
    execution_count: content.execution_count,
    data: content.data,
    metadata: content.metadata,
  };
  return { kind: 'output', output: withTransient(output, content.transient) };
}

function displayData(content: KernelMessage.IDisplayDataMsg['content']): OutputEvent {
  const output: nbformat.IDisplayData = { output_type: 'display_data', data: content.data, metadata: content.metadata };
  return { kind: 'output', output: withTransient(output, content.transient) };
}

function updateDisplayData(content: KernelMessage.IUpdateDisplayDataMsg['content']): OutputEvent {
  const displayId = displayIdOf(content.transient) ?? '';
  const output: nbformat.IDisplayData = { output_type: 'display_data', data: content.data, metadata: content.metadata };
  return { kind: 'update', displayId, output: withTransient(output, content.transient) };
}

function error(content: KernelMessage.IErrorMsg['content']): OutputEvent {
  const output: nbformat.IError = {
    output_type: 'error',
    ename: content.ename,
    evalue: content.evalue,
    traceback: content.traceback,
  };
  return { kind: 'output', output };
}

function clearOutput(content: KernelMessage.IClearOutputMsg['content']): OutputEvent {
  return { kind: 'clear', wait: content.wait === true };
}

/** One converter per iopub message type that carries output; everything else (status, execute_input, comms) has none. */
const converters: Record<string, Converter> = {
  stream,
  execute_result: executeResult,
  display_data: displayData,
  update_display_data: updateDisplayData,
  error,
  clear_output: clearOutput,
};

/**
 * Converts one iopub message to an output event (nbformat output, clear, or display update).
 * Returns undefined for messages that carry no output. Pure: no state, no I/O.
 */
export function toOutputEvent(msg: IopubLike): OutputEvent | undefined {
  const convert = converters[msg.header.msg_type];
  return convert ? convert(msg.content as never) : undefined;
}

/** The display id an output carries (set by `display(..., display_id=...)`), if any. */
export function outputDisplayId(output: nbformat.IOutput): string | undefined {
  return displayIdOf(output.transient);
}
