/** A range of whole lines (0-based, inclusive) that follows edits, like an inline result. */
export interface LineSpan {
  firstLine: number;
  lastLine: number;
}

/** One text edit in line terms. */
export interface LineEdit {
  startLine: number;
  endLine: number;
  /** The inserted text. */
  text: string;
  /** True for a pure insertion at the very end of `startLine` that starts with a newline (Enter at line end). */
  appendsAfterLine: boolean;
}

/**
 * Applies an edit to spans: spans below it move by the lines it added or removed (in place, so holders of a span
 * see the move), spans it touched are dropped, and spans above it stay. Enter at the end of a span's last line
 * does not touch the span. Pure, for unit tests.
 */
export function applyLineEdit<T extends LineSpan>(spans: readonly T[], edit: LineEdit): T[] {
  const added = (edit.text.match(/\n/g) ?? []).length;
  const delta = added - (edit.endLine - edit.startLine);
  const kept: T[] = [];
  for (const span of spans) {
    if (edit.endLine < span.firstLine) {
      span.firstLine += delta;
      span.lastLine += delta;
      kept.push(span);
    } else if (edit.startLine > span.lastLine || (edit.appendsAfterLine && edit.startLine === span.lastLine)) {
      kept.push(span);
    }
  }
  return kept;
}

/** A text change as the editor reports it: the replaced range and the inserted text. */
interface TextChange {
  range: { start: { line: number; character: number }; end: { line: number }; isEmpty: boolean };
  text: string;
}

/**
 * A change in line terms; `startLineLength` is the length of the change's start line. Enter inserts the document's
 * line break, `\n` or `\r\n` (a Windows file), either of which, at the very end of a line, appends after it.
 */
export function lineEditOf(change: TextChange, startLineLength: number): LineEdit {
  const { start, end } = change.range;
  return {
    startLine: start.line,
    endLine: end.line,
    text: change.text,
    appendsAfterLine: change.range.isEmpty && /^\r?\n/.test(change.text) && start.character >= startLineLength,
  };
}
