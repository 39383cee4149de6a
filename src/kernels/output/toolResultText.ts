import { joinMultiline } from '../../common/multilineText';
import { BITMAP_IMAGE_TYPES } from './imageTypes';
import { stripAnsi } from './streamText';
import type { ExecutionResult, IOutput } from '../types';

/** The most text a tool result carries back to the model; longer output keeps its head and tail. */
const TOOL_TEXT_LIMIT = 8000;

/** Keeps the start and the end of a long text, saying how much was left out. */
export function clip(text: string, limit: number): string {
  if (text.length <= limit) {
    return text;
  }
  const half = Math.floor(limit / 2);
  return `${text.slice(0, half)}\n… [${text.length - 2 * half} characters left out] …\n${text.slice(-half)}`;
}

/** A short description of a rich output for a model that cannot see it: kind, size, a title when there is one. */
export function describeRichOutput(data: Record<string, unknown>): string | undefined {
  const types = Object.keys(data);
  const image = types.find((t) => t.startsWith('image/'));
  if (image) {
    const alt = typeof data['text/plain'] === 'string' ? ` (${joinMultiline(data['text/plain']).slice(0, 80)})` : '';
    return `an image (${image}, ${approxBytes(data[image])})${alt}`;
  }
  if (types.includes('text/html')) {
    const html = joinMultiline(data['text/html']);
    const rows = (html.match(/<tr[\s>]/gi) ?? []).length;
    return rows > 0 ? `an HTML table with ${rows} rows` : `HTML (${html.length} characters)`;
  }
  const other = types.filter((t) => t !== 'text/plain');
  return other.length > 0 ? `a rich output (${other.join(', ')})` : undefined;
}

function approxBytes(value: unknown): string {
  const chars = joinMultiline(value).length;
  // Base64 carries 3 bytes in 4 characters.
  const bytes = Math.round((chars * 3) / 4);
  return bytes >= 1024 ? `${Math.round(bytes / 1024)} KB` : `${bytes} bytes`;
}

interface Sections {
  stdout: string[];
  stderr: string[];
  values: string[];
  rich: string[];
  errors: string[];
}

function collect(outputs: readonly IOutput[]): Sections {
  const s: Sections = { stdout: [], stderr: [], values: [], rich: [], errors: [] };
  for (const o of outputs) {
    if (o.output_type === 'stream') {
      (o.name === 'stderr' ? s.stderr : s.stdout).push(joinMultiline(o.text));
    } else if (o.output_type === 'execute_result' || o.output_type === 'display_data') {
      const data = (o.data ?? {}) as Record<string, unknown>;
      const rich = describeRichOutput(data);
      if (rich) {
        s.rich.push(rich);
      }
      if (data['text/plain'] !== undefined && (o.output_type === 'execute_result' || !rich)) {
        s.values.push(joinMultiline(data['text/plain']));
      }
    } else if (o.output_type === 'error') {
      const tb = (o.traceback as string[] | undefined)?.join('\n') ?? '';
      s.errors.push(`${String(o.ename)}: ${String(o.evalue)}\n${stripAnsi(tb).split('\n').slice(-20).join('\n')}`);
    }
  }
  return s;
}

/**
 * What the language-model tool returns for one run: which context ran it (so the model can continue there), the
 * status, printed text, the value, errors with the end of their traceback, and one line per rich output. A
 * `notice` (the context's earlier kernel was shut down, its variables are gone) comes first, where no cut reaches.
 */
export function toolResultText(
  context: string,
  kernelName: string,
  result: ExecutionResult,
  /** Where the caller's rich outputs go: the LM tool's reach the user's results panel. */
  richOutputsGo = 'shown to the user in the results panel',
  /** Said first: the context's earlier kernel was shut down and its variables are gone. */
  notice?: string,
): string {
  const s = collect(result.outputs);
  const lines = [
    ...(notice ? [`Note: ${notice}`] : []),
    `Context: ${context} (kernel ${kernelName}, execution ${result.executionCount ?? '-'}). Pass context "${context}" to run more code with these variables.`,
    `Status: ${result.status}`,
  ];
  if (result.status === 'aborted' && result.error) {
    lines.push(`Aborted: ${result.error.evalue}`);
  }
  const add = (title: string, parts: string[]) => {
    if (parts.length > 0) {
      lines.push(`${title}:\n${parts.join('').replace(/\n$/, '')}`);
    }
  };
  add('stdout', s.stdout);
  add('stderr', s.stderr);
  add(
    'Value',
    s.values.map((v) => `${v}\n`),
  );
  add('Error', s.errors);
  if (s.rich.length > 0) {
    lines.push(`Rich outputs (${richOutputsGo}): ${s.rich.join('; ')}`);
  }
  if (result.outputs.length === 0 && result.status === 'ok') {
    lines.push('(no output)');
  }
  return clip(lines.join('\n'), TOOL_TEXT_LIMIT);
}

/** An image output, base64 as the kernel sent it, for tool results that can carry images (MCP image content). */
interface ToolImage {
  mimeType: string;
  data: string;
}

/** At most this many images go back per run, each at most `TOOL_IMAGE_CHARS` base64 characters (~3 MB). */
export const TOOL_IMAGE_COUNT = 4;
export const TOOL_IMAGE_CHARS = 4_000_000;

/**
 * The run's bitmap images (PNG, JPEG, GIF, WebP), in output order, within the count and size bounds; `leftOut`
 * counts the ones that did not fit, so the caller can say so.
 */
export function toolResultImages(result: ExecutionResult): { images: ToolImage[]; leftOut: number } {
  const images: ToolImage[] = [];
  let leftOut = 0;
  for (const o of result.outputs) {
    if (o.output_type !== 'execute_result' && o.output_type !== 'display_data') {
      continue;
    }
    const data = (o.data ?? {}) as Record<string, unknown>;
    const mimeType = BITMAP_IMAGE_TYPES.find((t) => data[t] !== undefined);
    if (!mimeType) {
      continue;
    }
    const base64 = joinMultiline(data[mimeType]).replace(/\s/g, '');
    if (images.length < TOOL_IMAGE_COUNT && base64.length <= TOOL_IMAGE_CHARS) {
      images.push({ mimeType, data: base64 });
    } else {
      leftOut++;
    }
  }
  return { images, leftOut };
}
