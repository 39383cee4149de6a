import { joinMultiline } from '../common/multilineText';
import { drawnImageType } from '../kernels/output/imageTypes';
import type { ExecutionResult, IOutput } from '../kernels/types';

/** What an inline result shows: a one-line summary after the code, and the full text for its hover. */
export interface InlineSummary {
  text: string;
  /** Full text for the hover (bounded); empty when there is nothing more to say than `text`. */
  detail: string;
  kind: 'ok' | 'error' | 'running';
}

/** Longest summary drawn after a line; the hover has the rest. */
export const MAX_INLINE_CHARS = 80;
/** Longest hover text; a result bigger than this is in the results panel. */
const MAX_DETAIL_CHARS = 10_000;

function oneLine(text: string): string {
  const lines = text.replace(/\r\n/g, '\n').replace(/\s+$/, '').split('\n');
  const first = lines.find((l) => l.trim() !== '') ?? '';
  const more = lines.length > 1;
  const cut = first.length > MAX_INLINE_CHARS ? `${first.slice(0, MAX_INLINE_CHARS - 1)}…` : first;
  return more && !cut.endsWith('…') ? `${cut} …` : cut;
}

function bounded(text: string): string {
  return text.length > MAX_DETAIL_CHARS ? `${text.slice(0, MAX_DETAIL_CHARS)}\n… (more in the results panel)` : text;
}

/**
 * How long a run goes before its line says "running…". A quick run (most of them: `1+1` takes 5–20 ms) draws only its
 * result: one decoration update instead of two, so the workbench has less to draw before the result. The results
 * panel waits as long before it shows a run as running.
 */
export const RUNNING_DELAY_MS = 100;

/** The running state, drawn while the code runs. */
export const runningSummary: InlineSummary = { text: '⋯ running…', detail: '', kind: 'running' };

/**
 * Summarises a run for the editor: `✗ NameError: …` for errors, the first line of the result's `text/plain`,
 * `[image]` for plots, the first line of printed text, or `✓` when the run printed nothing. Pure.
 */
export function inlineSummary(result: ExecutionResult): InlineSummary {
  if (result.status !== 'ok') {
    const ename = result.error?.ename ?? (result.status === 'aborted' ? 'Aborted' : 'Error');
    const evalue = result.error?.evalue ?? '';
    const headline = evalue ? `${ename}: ${evalue}` : ename;
    return { text: `✗ ${oneLine(headline)}`, detail: bounded(headline), kind: 'error' };
  }
  const value = lastWith(result.outputs, (o) => o.output_type === 'execute_result');
  if (value) {
    const plain = joinMultiline((value.data as Record<string, unknown>)['text/plain']);
    if (plain !== '') {
      return { text: oneLine(plain), detail: bounded(plain), kind: 'ok' };
    }
  }
  const image = result.outputs.find(
    (o) =>
      (o.output_type === 'display_data' || o.output_type === 'execute_result') &&
      drawnImageType(o.data as Record<string, unknown>) !== undefined,
  );
  if (image) {
    return { text: '[image]', detail: 'An image: see the results panel.', kind: 'ok' };
  }
  const printed = printedText(result.outputs);
  if (printed.trim() !== '') {
    return { text: oneLine(printed), detail: bounded(printed), kind: 'ok' };
  }
  return { text: '✓', detail: '', kind: 'ok' };
}

/** Printed text (streams, plain displays), only as much as the hover can show: a flood is not joined whole. */
function printedText(outputs: readonly IOutput[]): string {
  let text = '';
  for (const o of outputs) {
    if (o.output_type === 'stream') {
      text += joinMultiline(o.text);
    } else if (o.output_type === 'display_data') {
      text += joinMultiline((o.data as Record<string, unknown>)['text/plain']);
    }
    if (text.length > MAX_DETAIL_CHARS) {
      break;
    }
  }
  return text;
}

function lastWith(outputs: readonly IOutput[], match: (o: IOutput) => boolean): IOutput | undefined {
  for (let i = outputs.length - 1; i >= 0; i--) {
    if (match(outputs[i])) {
      return outputs[i];
    }
  }
  return undefined;
}

/** The summary for a run that failed before it reached the kernel (no kernelspec, server did not start). */
export function failureSummary(message: string): InlineSummary {
  return { text: `✗ ${oneLine(message)}`, detail: bounded(message), kind: 'error' };
}
