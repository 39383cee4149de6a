/**
 * Finds the places a Python traceback points at, line by line, so the results panel can make them clickable.
 * Pure: used by the host (view model) and covered by table-driven tests with real ipykernel tracebacks.
 */

import { stripAnsi } from '../../kernels/output/streamText';

export { stripAnsi };

/** Where a traceback line points: a file on disk, or a line of the code that ran as execution `[n]`. */
export type TracebackRef =
  { kind: 'file'; path: string; line: number } | { kind: 'cell'; executionCount: number; line: number };

/** A frame's location without a line yet (IPython 7 prints the line on the `---->` arrow below the header). */
type Frame = { kind: 'file'; path: string } | { kind: 'cell'; executionCount: number };

const cellHeader = /^Cell In ?\[(\d+)\], line (\d+)/;
const fileHeader = /^File (.+?):(\d+)(?:, in .*)?$/;
const pythonFrame = /^\s*File "(.+)", line (\d+)/;
const ipythonInput = /^<ipython-input-(\d+)-[0-9a-f]+>/;
const oldFileHeader = /^(\/\S+\.\w+) in /;
const sourceLine = /^\s*(?:-+>\s*)?(\d+)\s/;

function frameOf(path: string): Frame {
  const input = ipythonInput.exec(path);
  return input ? { kind: 'cell', executionCount: Number(input[1]) } : { kind: 'file', path };
}

function at(frame: Frame, line: number): TracebackRef {
  return frame.kind === 'cell'
    ? { kind: 'cell', executionCount: frame.executionCount, line }
    : { kind: 'file', path: frame.path, line };
}

/** The frame a header line opens, and the line it names when it names one. */
function parseHeader(text: string): { frame: Frame; line?: number } | undefined {
  let m = cellHeader.exec(text);
  if (m) {
    return { frame: { kind: 'cell', executionCount: Number(m[1]) }, line: Number(m[2]) };
  }
  m = fileHeader.exec(text) ?? pythonFrame.exec(text);
  if (m) {
    return { frame: frameOf(m[1]), line: Number(m[2]) };
  }
  m = ipythonInput.exec(text);
  if (m) {
    return { frame: { kind: 'cell', executionCount: Number(m[1]) } };
  }
  m = oldFileHeader.exec(text);
  return m ? { frame: { kind: 'file', path: m[1] } } : undefined;
}

/**
 * One entry per line of `lines` (ANSI allowed): the place that line points at, or null. Frame headers
 * (`Cell In [3], line 2`, `File /x.py:12, in f()`, `File "x.py", line 3`, `<ipython-input-3-…>`) link to their
 * line, and the numbered source lines under a header link to their own line in that frame.
 */
export function tracebackRefs(lines: readonly string[]): Array<TracebackRef | null> {
  let frame: Frame | undefined;
  return lines.map((raw) => {
    const text = stripAnsi(raw);
    const header = parseHeader(text);
    if (header) {
      frame = header.frame;
      return header.line !== undefined ? at(frame, header.line) : null;
    }
    const source = frame && sourceLine.exec(text);
    if (frame && source) {
      return at(frame, Number(source[1]));
    }
    if (text.trim() !== '') {
      frame = undefined;
    }
    return null;
  });
}
