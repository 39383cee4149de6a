/**
 * Kernel outputs (nbformat) → notebook cell outputs as plain data. Pure functions, no `vscode` import, so they are
 * tested table-driven with recorded kernel messages; `vscodeOutputs.ts` turns the data into VS Code objects.
 *
 * The output metadata follows the built-in ipynb extension's conventions (`outputType`, `executionCount`,
 * `metadata`, `transient`, `originalError`), so a notebook saved after a run writes back the same nbformat outputs.
 */
import type * as nbformat from '@jupyterlab/nbformat';
import { joinMultiline } from '../common/multilineText';
import { outputDisplayId } from '../kernels/output/outputConverters';

/** Mime types VS Code renders streams and errors with. */
export const STDOUT_MIME = 'application/vnd.code.notebook.stdout';
export const STDERR_MIME = 'application/vnd.code.notebook.stderr';

/** One item of a cell output: text, raw bytes (decoded images), or an error for `NotebookCellOutputItem.error`. */
export type OutputItemData =
  | { kind: 'text'; mime: string; text: string }
  | { kind: 'bytes'; mime: string; bytes: Uint8Array }
  | { kind: 'error'; name: string; message: string; stack: string };

/** Output metadata as the ipynb serializer reads it back when the notebook is saved. */
interface CellOutputMetadata {
  outputType: string;
  executionCount?: number | null;
  metadata?: Record<string, unknown>;
  transient?: { display_id?: string };
  /** The kernel's error as sent, so the saved traceback is exactly the kernel's. */
  originalError?: nbformat.IError;
}

/** A whole cell output: its items (one per mime type) and its metadata. */
export interface CellOutputData {
  items: OutputItemData[];
  metadata: CellOutputMetadata;
}

/** The stream item for a chunk of stdout or stderr. */
export function streamItem(name: string, text: string): OutputItemData {
  return { kind: 'text', mime: name === 'stderr' ? STDERR_MIME : STDOUT_MIME, text };
}

function isJsonMime(mime: string): boolean {
  return mime === 'application/json' || /\+json$/i.test(mime);
}

/** Raster images travel as base64 text in Jupyter; VS Code renders bytes. SVG is text and stays text. */
function isBase64Image(mime: string): boolean {
  return mime.startsWith('image/') && mime !== 'image/svg+xml';
}

/** Converts one mime bundle entry to an item: images to bytes, JSON mimes to JSON text, everything else to text. */
export function mimeItem(mime: string, value: unknown): OutputItemData {
  if (isBase64Image(mime) && typeof value === 'string') {
    return { kind: 'bytes', mime, bytes: Buffer.from(value.replace(/\s+/g, ''), 'base64') };
  }
  if (isJsonMime(mime) || (typeof value === 'object' && value !== null && !Array.isArray(value))) {
    return { kind: 'text', mime, text: JSON.stringify(value) };
  }
  return { kind: 'text', mime, text: joinMultiline(value) };
}

/**
 * Richest representation first. VS Code picks the rendered mime by its own display order, but keeping the richer
 * items first also makes the choice sensible for renderers that take the first item.
 */
const RICHNESS = [
  /^application\/vnd\..*\+json$/,
  /^text\/html$/,
  /^application\/javascript$/,
  /^image\/svg\+xml$/,
  /^image\/(png|jpeg|gif|webp)$/,
  /^text\/markdown$/,
  /^text\/latex$/,
  /^application\/json$/,
  /^text\/plain$/,
];

function richness(mime: string): number {
  const rank = RICHNESS.findIndex((pattern) => pattern.test(mime));
  return rank === -1 ? RICHNESS.length - 1 : rank;
}

/** All items of a mime bundle, richest first (stable for equal rank). */
function mimeBundleItems(data: nbformat.IMimeBundle): OutputItemData[] {
  return Object.entries(data)
    .map(([mime, value], index) => ({ mime, item: mimeItem(mime, value), index }))
    .sort((a, b) => richness(a.mime) - richness(b.mime) || a.index - b.index)
    .map(({ item }) => item);
}

/** A deep copy, so later edits of the kernel's message objects cannot reach the saved notebook. */
function copyJson<T>(value: T): T {
  return value === undefined ? value : (JSON.parse(JSON.stringify(value)) as T);
}

function baseMetadata(output: nbformat.IOutput): CellOutputMetadata {
  const metadata: CellOutputMetadata = { outputType: output.output_type };
  const displayId = outputDisplayId(output);
  if (displayId !== undefined) {
    metadata.transient = { display_id: displayId };
  }
  return metadata;
}

function displayOutput(output: nbformat.IDisplayData | nbformat.IExecuteResult): CellOutputData {
  const metadata = baseMetadata(output);
  metadata.metadata = copyJson((output.metadata ?? {}) as Record<string, unknown>);
  if (output.output_type === 'execute_result') {
    metadata.executionCount = (output as nbformat.IExecuteResult).execution_count ?? null;
  }
  return { items: mimeBundleItems(output.data ?? {}), metadata };
}

function errorOutput(output: nbformat.IError): CellOutputData {
  const item: OutputItemData = {
    kind: 'error',
    name: output.ename,
    message: output.evalue,
    stack: (output.traceback ?? []).join('\n'),
  };
  return { items: [item], metadata: { ...baseMetadata(output), originalError: copyJson(output) } };
}

function streamOutput(output: nbformat.IStream): CellOutputData {
  return { items: [streamItem(output.name, joinMultiline(output.text))], metadata: baseMetadata(output) };
}

/** Converts one nbformat output to a cell output; unknown output types keep their data like display_data. */
export function toCellOutput(output: nbformat.IOutput): CellOutputData {
  switch (output.output_type) {
    case 'stream':
      return streamOutput(output as nbformat.IStream);
    case 'error':
      return errorOutput(output as nbformat.IError);
    case 'execute_result':
    case 'display_data':
      return displayOutput(output as nbformat.IDisplayData);
    default:
      return displayOutput({ ...(output as nbformat.IDisplayData), data: (output.data ?? {}) as nbformat.IMimeBundle });
  }
}
