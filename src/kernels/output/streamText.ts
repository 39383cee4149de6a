/**
 * The text of one stream output as a terminal shows it, the way JupyterLab keeps it (and VS Code's notebook renders
 * it): `\r` returns to the start of the line, so what follows overwrites it (a progress bar stays one line), `\b`
 * deletes the character before it, and `\r\n` is a newline. Appending is O(chunk) while chunks hold neither: only
 * the current line is ever rewritten.
 */
export class StreamText {
  private text = '';
  /** Where the current (last) line starts in `text`. */
  private lineStart = 0;
  /** The chunk so far ended with `\r`: the next text overwrites the line, unless it starts with `\n`. */
  private pendingReturn = false;

  constructor(first = '') {
    this.append(first);
  }

  get value(): string {
    return this.text;
  }

  append(chunk: string): void {
    if (!this.pendingReturn && !/[\r\x08]/.test(chunk)) {
      const newline = chunk.lastIndexOf('\n');
      if (newline !== -1) {
        this.lineStart = this.text.length + newline + 1;
      }
      this.text += chunk;
      return;
    }
    let tail = (this.pendingReturn ? '\r' : '') + chunk;
    this.pendingReturn = /\r+$/.test(tail);
    tail = tail.replace(/\r+$/, '');
    const lines = overwrite(this.text.slice(this.lineStart) + tail);
    this.text = this.text.slice(0, this.lineStart) + lines;
    const newline = lines.lastIndexOf('\n');
    if (newline !== -1) {
      this.lineStart += newline + 1;
    }
  }
}

/** Applies `\r\n`, `\b` and `\r` to text that holds no trailing `\r`. */
function overwrite(text: string): string {
  let out = text.replace(/\r+\n/g, '\n');
  for (let before = ''; before !== out;) {
    before = out;
    out = out.replace(/[^\n\r]\x08/g, '');
  }
  out = out.replace(/\x08/g, '');
  return out
    .split('\n')
    .map((line) => line.split(/\r+/).reduce((shown, next) => next + shown.slice(next.length)))
    .join('\n');
}

/**
 * ANSI escape sequences: OSC (`ESC ]` … ended by BEL or ST `ESC \\`: window titles, hyperlinks) and CSI (`ESC [`,
 * parameter bytes `0-?` including private modes such as `?25l`, intermediate bytes, one final byte `@-~`).
 */
const ANSI_SEQUENCE = /\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)|\x1b\[[0-?]*[ -/]*[@-~]/g;

/**
 * Removes ANSI escape sequences (colours, cursor and terminal controls, hyperlinks), which ipykernel puts inside
 * traceback lines and `inspect` answers. The one ANSI stripper: tool results, hovers and traceback links use it.
 */
export function stripAnsi(text: string): string {
  return text.replace(ANSI_SEQUENCE, '');
}
