// Runs inside the results webview (browser): the context's input line at the bottom of the panel. Shift+Enter
// runs, Enter adds a line, ↑/↓ walk the context's history (kept by the host), Tab completes from the kernel.
import type { CompletionsMessage, ResultsPageMessage } from '../results/resultsMessages';

/** Lines the input grows to before it scrolls. */
const MAX_ROWS = 12;
/** Matches listed under the input; the rest are reached by pressing Tab again. */
const MAX_LISTED = 30;
const INDENT = '    ';

/** An open list of completions: Tab cycles through them, each replacing `[start, end)`. */
interface OpenList {
  matches: string[];
  start: number;
  end: number;
  index: number;
}

export class ConsoleInput {
  private history: string[] = [];
  /** Position in `history` while walking it; `history.length` means the draft. */
  private index = 0;
  private draft = '';
  private requestId = 0;
  /** The code and cursor of the Tab press awaiting its answer (an answer to older text is dropped). */
  private pending: { id: number; code: string; cursor: number } | undefined;
  private list: OpenList | undefined;

  constructor(
    private readonly input: HTMLTextAreaElement,
    private readonly listBox: HTMLElement,
    private readonly post: (msg: ResultsPageMessage) => void,
  ) {
    input.addEventListener('keydown', (e) => this.onKey(e));
    input.addEventListener('input', () => {
      this.closeList();
      this.fit();
    });
    this.fit();
  }

  /** The context's history from the host, oldest first (on load, and after each run). */
  setHistory(entries: readonly string[]): void {
    const walking = this.index < this.history.length;
    this.history = [...entries];
    if (!walking) {
      this.index = this.history.length;
    }
  }

  focus(): void {
    this.input.focus();
  }

  onCompletions(msg: CompletionsMessage): void {
    const asked = this.pending;
    if (
      !asked ||
      asked.id !== msg.id ||
      this.input.value !== asked.code ||
      this.input.selectionStart !== asked.cursor
    ) {
      return;
    }
    this.pending = undefined;
    if (msg.matches.length === 0) {
      return;
    }
    if (msg.matches.length === 1) {
      this.replace(msg.start, msg.end, msg.matches[0]);
      return;
    }
    const prefix = commonPrefix(msg.matches);
    const typed = this.input.value.slice(msg.start, msg.end);
    let end = msg.end;
    if (prefix.length > typed.length && prefix.startsWith(typed)) {
      end = this.replace(msg.start, msg.end, prefix);
    }
    this.list = { matches: msg.matches, start: msg.start, end, index: -1 };
    this.showList();
  }

  private onKey(e: KeyboardEvent): void {
    if (e.key === 'Enter' && e.shiftKey && !e.ctrlKey && !e.altKey && !e.metaKey) {
      e.preventDefault();
      this.submit();
    } else if (e.key === 'Tab' && !e.shiftKey && !e.ctrlKey && !e.altKey && !e.metaKey) {
      e.preventDefault();
      this.tab();
    } else if (e.key === 'Escape' && this.list) {
      e.preventDefault();
      this.closeList();
    } else if (e.key === 'ArrowUp' && !this.input.value.slice(0, this.input.selectionStart).includes('\n')) {
      if (this.recall(-1)) {
        e.preventDefault();
      }
    } else if (e.key === 'ArrowDown' && !this.input.value.slice(this.input.selectionEnd).includes('\n')) {
      if (this.recall(1)) {
        e.preventDefault();
      }
    }
  }

  private submit(): void {
    const code = this.input.value;
    if (code.trim() === '') {
      return;
    }
    this.post({ type: 'consoleRun', code });
    // Shown at once; the host's saved history replaces it after the run.
    if (this.history[this.history.length - 1] !== code) {
      this.history.push(code);
    }
    this.index = this.history.length;
    this.draft = '';
    this.input.value = '';
    this.closeList();
    this.fit();
  }

  /** Moves through the history; false when there is nowhere to go (the key then acts as usual). */
  private recall(step: -1 | 1): boolean {
    const next = this.index + step;
    if (next < 0 || next > this.history.length) {
      return false;
    }
    if (this.index === this.history.length) {
      this.draft = this.input.value;
    }
    this.index = next;
    this.input.value = next === this.history.length ? this.draft : this.history[next];
    const caret = this.input.value.length;
    this.input.setSelectionRange(caret, caret);
    this.closeList();
    this.fit();
    return true;
  }

  private tab(): void {
    if (this.list) {
      const list = this.list;
      list.index = (list.index + 1) % list.matches.length;
      list.end = this.replace(list.start, list.end, list.matches[list.index]);
      this.showList();
      return;
    }
    const cursor = this.input.selectionStart;
    const lineStart = this.input.value.lastIndexOf('\n', cursor - 1) + 1;
    if (this.input.value.slice(lineStart, cursor).trim() === '') {
      this.replace(cursor, this.input.selectionEnd, INDENT);
      return;
    }
    this.pending = { id: ++this.requestId, code: this.input.value, cursor };
    this.post({ type: 'complete', id: this.pending.id, code: this.input.value, cursor });
  }

  /** Replaces `[start, end)` with `text`, puts the caret after it and returns that position. */
  private replace(start: number, end: number, text: string): number {
    const value = this.input.value;
    this.input.value = value.slice(0, start) + text + value.slice(end);
    const caret = start + text.length;
    this.input.setSelectionRange(caret, caret);
    this.fit();
    return caret;
  }

  private showList(): void {
    const list = this.list;
    if (!list) {
      return;
    }
    this.listBox.replaceChildren();
    list.matches.slice(0, MAX_LISTED).forEach((match, i) => {
      const item = document.createElement('li');
      item.textContent = match;
      item.className = i === list.index ? 'completion selected' : 'completion';
      item.addEventListener('mousedown', (e) => {
        // Keep the focus in the input.
        e.preventDefault();
        this.replace(list.start, list.end, match);
        this.closeList();
      });
      this.listBox.appendChild(item);
    });
    if (list.matches.length > MAX_LISTED) {
      const more = document.createElement('li');
      more.className = 'completion more';
      more.textContent = `… ${list.matches.length - MAX_LISTED} more (Tab cycles through all)`;
      this.listBox.appendChild(more);
    }
    this.listBox.hidden = false;
  }

  private closeList(): void {
    this.list = undefined;
    this.listBox.hidden = true;
    this.listBox.replaceChildren();
  }

  /** One row per line of input, up to a limit. */
  private fit(): void {
    this.input.rows = Math.min(MAX_ROWS, Math.max(1, this.input.value.split('\n').length));
  }
}

function commonPrefix(words: readonly string[]): string {
  let prefix = words[0] ?? '';
  for (const word of words) {
    while (!word.startsWith(prefix)) {
      prefix = prefix.slice(0, -1);
    }
  }
  return prefix;
}
