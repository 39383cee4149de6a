import { joinMultiline } from '../../common/multilineText';
import { BITMAP_IMAGE_TYPES, DRAWN_IMAGE_TYPES } from '../../kernels/output/imageTypes';
import type { ExecutionResult, IOutput } from '../../kernels/types';
import { tracebackRefs, type TracebackRef } from './tracebackLinks';

/** One output as the results webview draws it. */
export type OutputView =
  | { kind: 'stream'; name: 'stdout' | 'stderr'; text: string }
  | { kind: 'text'; text: string }
  | { kind: 'image'; mime: string; data: string }
  | { kind: 'html'; html: string }
  | { kind: 'markdown'; markdown: string }
  | { kind: 'json'; text: string }
  | {
      kind: 'error';
      ename: string;
      evalue: string;
      traceback: string;
      /** Per traceback line: where it points, for links; null for lines that point nowhere. */
      links: Array<TracebackRef | null>;
    };

/** One run (code + outputs) as the results webview draws it. */
export interface RunView {
  id: number;
  code: string;
  executionCount: number | null;
  status: 'running' | ExecutionResult['status'];
  durationMs?: number;
  /** Why the run was aborted, when it was. */
  message?: string;
  outputs: OutputView[];
  /** Characters of output not shown because the run exceeded its bound (the full text is kept elsewhere). */
  droppedChars: number;
  /** Shown again from the panel's saved state after a window reload (`resultsRestore`). */
  restored?: boolean;
}

/** Characters of one output as the results bound counts them (images count nothing: they are one item). */
export function textSize(view: OutputView): number {
  switch (view.kind) {
    case 'stream':
    case 'text':
    case 'json':
      return view.text.length;
    case 'html':
      return view.html.length;
    case 'markdown':
      return view.markdown.length;
    case 'error':
      return view.traceback.length + view.evalue.length;
    case 'image':
      return 0;
  }
}

/** Base64 of UTF-8 text, in the host (Node) and the browser alike. */
function base64(text: string): string {
  return Buffer.from(text, 'utf8').toString('base64');
}

/**
 * Rich mime types in Jupyter's order of preference; the first present wins. Images: the drawn types of
 * `kernels/output/imageTypes`, each an `<img>` with a data URI; SVG is base64-encoded for it, so any script inside it never
 * runs, bitmaps are already base64.
 */
const richMimes: Array<[string, (value: unknown) => OutputView]> = [
  ['text/html', (v) => ({ kind: 'html', html: joinMultiline(v) })],
  ['text/markdown', (v) => ({ kind: 'markdown', markdown: joinMultiline(v) })],
  ...DRAWN_IMAGE_TYPES.map((mime): [string, (value: unknown) => OutputView] => [
    mime,
    (v) => ({
      kind: 'image',
      mime,
      data: BITMAP_IMAGE_TYPES.includes(mime) ? joinMultiline(v).replace(/\s/g, '') : base64(joinMultiline(v)),
    }),
  ]),
  ['application/json', (v) => ({ kind: 'json', text: JSON.stringify(v, null, 2) ?? 'null' })],
  ['text/plain', (v) => ({ kind: 'text', text: joinMultiline(v) })],
];

/** Maps one nbformat output to what the panel shows; undefined for outputs it cannot show. Pure. */
export function toOutputView(output: IOutput): OutputView | undefined {
  switch (output.output_type) {
    case 'stream': {
      return { kind: 'stream', name: output.name === 'stderr' ? 'stderr' : 'stdout', text: joinMultiline(output.text) };
    }
    case 'error': {
      const traceback = (output.traceback as string[]).join('\n');
      return {
        kind: 'error',
        ename: String(output.ename),
        evalue: String(output.evalue),
        traceback,
        links: tracebackRefs(traceback.split('\n')),
      };
    }
    case 'execute_result':
    case 'display_data': {
      const data = (output.data ?? {}) as Record<string, unknown>;
      const match = richMimes.find(([mime]) => data[mime] !== undefined && data[mime] !== null);
      return match ? match[1](data[match[0]]) : undefined;
    }
    default:
      return undefined;
  }
}
