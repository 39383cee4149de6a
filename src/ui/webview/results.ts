// Runs inside the results webview (browser). Draws the run view models the extension posts; a reload of the page
// just asks for a reset. It saves the newest runs as the webview's state (`resultsRestore.panelState`), which VS
// Code hands back to the extension's serializer after a window reload.
import { AnsiUp } from 'ansi_up';
import MarkdownIt from 'markdown-it';
import type { OutputView, RunView } from '../results/outputView';
import type { TracebackRef } from '../results/tracebackLinks';
import type { PanelOptions, ResultsHostMessage, ResultsPageMessage } from '../results/resultsMessages';
import { panelState, RESTORE_LIMITS } from '../results/resultsRestore';
import { ConsoleInput } from './consoleInput';
import { htmlFrame, jsonBlock } from './richOutputs';

declare function acquireVsCodeApi(): { postMessage(msg: ResultsPageMessage): void; setState(state: unknown): void };

const vscodeApi = acquireVsCodeApi();
const ansi = new AnsiUp();
ansi.use_classes = true;
const root = document.getElementById('runs') as HTMLElement;
const empty = document.getElementById('empty') as HTMLElement;
const CODE_PREVIEW_LINES = 4;
// Raw HTML inside markdown is escaped, so markdown output can never inject markup or script.
const markdown = new MarkdownIt({ html: false, linkify: true });
let options: PanelOptions = { allowScripts: false };
/** Whose runs these are, and the newest runs as last drawn: what the saved state is made of. */
let contextId: string | undefined;
const newest = new Map<number, RunView>();
let saveTimer: ReturnType<typeof setTimeout> | undefined;
/** How often at most the state is saved while runs change (a flood updates the panel ten times a second). */
const SAVE_MS = 1000;
const consoleInput = new ConsoleInput(
  document.getElementById('console-input') as HTMLTextAreaElement,
  document.getElementById('completions') as HTMLElement,
  (msg) => vscodeApi.postMessage(msg),
);

function el<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  className?: string,
  text?: string,
): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  if (className) {
    node.className = className;
  }
  if (text !== undefined) {
    node.textContent = text;
  }
  return node;
}

function ansiBlock(className: string, text: string): HTMLElement {
  const pre = el('pre', className);
  // ansi_up escapes HTML in the text before adding its colour spans.
  pre.innerHTML = ansi.ansi_to_html(text);
  return pre;
}

/** A traceback, line by line; lines that point into a file or a run are links that open that place. */
function tracebackBlock(traceback: string, links: Array<TracebackRef | null>): HTMLElement {
  const pre = el('pre', 'traceback');
  traceback.split('\n').forEach((line, i) => {
    const ref = links[i];
    const span: HTMLElement = el(ref ? 'a' : 'span', ref ? 'tb-link' : 'tb-line');
    span.innerHTML = ansi.ansi_to_html(line);
    if (ref) {
      span.title =
        ref.kind === 'file' ? `Open ${ref.path}:${ref.line}` : `Go to line ${ref.line} of [${ref.executionCount}]`;
      span.setAttribute('role', 'link');
      span.tabIndex = 0;
      const open = () => vscodeApi.postMessage({ type: 'open', ref });
      span.addEventListener('click', open);
      span.addEventListener('keydown', (e: KeyboardEvent) => (e.key === 'Enter' ? open() : undefined));
    }
    pre.appendChild(span);
    pre.appendChild(document.createTextNode('\n'));
  });
  return pre;
}

function renderOutput(output: OutputView): HTMLElement {
  switch (output.kind) {
    case 'stream':
      return ansiBlock(`output stream ${output.name}`, output.text);
    case 'text':
      return ansiBlock('output text', output.text);
    case 'error': {
      const box = el('div', 'output error');
      box.appendChild(el('div', 'error-title', `${output.ename}: ${output.evalue}`));
      box.appendChild(tracebackBlock(output.traceback, output.links ?? []));
      return box;
    }
    case 'image': {
      const img = el('img', 'output image');
      img.src = `data:${output.mime};base64,${output.data}`;
      img.alt = `${output.mime} output`;
      return img;
    }
    case 'html':
      return htmlFrame(output.html, options.allowScripts);
    case 'markdown': {
      const box = el('div', 'output markdown');
      box.innerHTML = markdown.render(output.markdown);
      return box;
    }
    case 'json':
      return jsonBlock(output.text);
  }
}

function renderCode(code: string): HTMLElement {
  const lines = code.split('\n');
  if (lines.length <= CODE_PREVIEW_LINES) {
    return el('pre', 'code', code);
  }
  const details = el('details', 'code-details');
  details.appendChild(
    el('summary', 'code', `${lines.slice(0, CODE_PREVIEW_LINES).join('\n')}\n… (${lines.length} lines)`),
  );
  details.appendChild(el('pre', 'code', code));
  return details;
}

function header(run: RunView): HTMLElement {
  const head = el('div', 'run-header');
  head.appendChild(el('span', 'count', `[${run.executionCount ?? (run.status === 'running' ? '*' : ' ')}]`));
  const state = run.status === 'running' ? 'running…' : run.status;
  head.appendChild(el('span', `status status-${run.status}`, state));
  if (run.durationMs !== undefined) {
    head.appendChild(el('span', 'duration', formatDuration(run.durationMs)));
  }
  if (run.restored) {
    head.appendChild(el('span', 'restored', 'before the reload'));
  }
  return head;
}

/** Keeps `run` among the newest runs (a display update may change an older one still kept) and saves soon. */
function remember(run: RunView): void {
  if (newest.has(run.id) || newest.size < RESTORE_LIMITS.maxRuns || run.id > Math.min(...newest.keys())) {
    newest.set(run.id, run);
    const ids = [...newest.keys()].sort((a, b) => a - b);
    ids.slice(0, Math.max(0, ids.length - RESTORE_LIMITS.maxRuns)).forEach((id) => newest.delete(id));
  }
  scheduleSave();
}

/**
 * Saves the newest runs within `SAVE_MS`. `body[data-state-saved]` says whether what is drawn is saved ("true") or
 * not yet ("false"), for anyone waiting to reload the window without losing the last runs (the UI tests do).
 */
function scheduleSave(): void {
  document.body.dataset.stateSaved = 'false';
  saveTimer ??= setTimeout(() => {
    saveTimer = undefined;
    if (contextId) {
      const runs = Array.from(root.querySelectorAll<HTMLElement>('[data-run-id]'))
        .map((node) => newest.get(Number(node.dataset.runId)))
        .filter((run): run is RunView => run !== undefined);
      vscodeApi.setState(panelState(contextId, runs));
      document.body.dataset.stateSaved = 'true';
    }
  }, SAVE_MS);
}

function formatDuration(ms: number): string {
  return ms < 1000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(ms < 10_000 ? 2 : 1)} s`;
}

function renderRun(run: RunView): HTMLElement {
  const box = el('section', `run run-${run.status}${run.restored ? ' run-restored' : ''}`);
  box.dataset.runId = String(run.id);
  box.appendChild(header(run));
  box.appendChild(renderCode(run.code));
  const outputs = el('div', 'outputs');
  for (const output of run.outputs) {
    outputs.appendChild(renderOutput(output));
  }
  if (run.droppedChars > 0) {
    const note = el('div', 'truncated', '… output truncated: ');
    note.appendChild(el('span', 'dropped-count', run.droppedChars.toLocaleString()));
    note.appendChild(document.createTextNode(' characters not shown. '));
    const link = el('a', 'open-full', 'Open the full output in an editor');
    link.setAttribute('role', 'button');
    link.tabIndex = 0;
    link.addEventListener('click', () => vscodeApi.postMessage({ type: 'openFullText', runId: run.id }));
    note.appendChild(link);
    outputs.appendChild(note);
  }
  if (run.message) {
    outputs.appendChild(el('div', 'message', run.message));
  }
  box.appendChild(outputs);
  return box;
}

/**
 * True while the page is scrolled to its end: new output then keeps it there. Read when the user (or we) scrolled,
 * not at each update: measuring the page right after changing it made the browser lay it out on the spot, in the
 * renderer the whole workbench shares (18 ms for one result in a Chromium trace of the UI bench).
 */
let pinned = true;
let scrollQueued = false;
window.addEventListener(
  'scroll',
  () => {
    pinned = window.innerHeight + window.scrollY >= document.body.scrollHeight - 40;
  },
  { passive: true },
);

/** Scrolls to the end in the next frame, where the page is laid out anyway; once per frame. */
function followEnd(): void {
  if (!pinned || scrollQueued) {
    return;
  }
  scrollQueued = true;
  requestAnimationFrame(() => {
    scrollQueued = false;
    window.scrollTo(0, document.body.scrollHeight);
  });
}

function upsert(run: RunView): void {
  const fresh = renderRun(run);
  const old = root.querySelector(`[data-run-id="${run.id}"]`);
  if (old) {
    old.replaceWith(fresh);
  } else {
    root.appendChild(fresh);
  }
  empty.hidden = root.childElementCount > 0;
  followEnd();
}

/** Does what the host's message asks; every {@link ResultsHostMessage} has its case (the compiler checks). */
function onHostMessage(msg: ResultsHostMessage): void {
  switch (msg.type) {
    case 'reset': {
      options = msg.options;
      contextId = msg.contextId;
      root.replaceChildren();
      newest.clear();
      msg.runs.forEach(upsert);
      const restored = root.querySelectorAll('.run-restored');
      if (restored.length > 0) {
        restored[restored.length - 1].after(
          el(
            'div',
            'restored-note',
            'Above: the newest results from before the window reload, as this panel kept them. New runs appear below.',
          ),
        );
      }
      empty.hidden = root.childElementCount > 0;
      consoleInput.setHistory(msg.history);
      msg.runs.forEach(remember);
      scheduleSave();
      break;
    }
    case 'context':
      contextId = msg.contextId;
      scheduleSave();
      break;
    case 'history':
      consoleInput.setHistory(msg.entries);
      break;
    case 'focusConsole':
      consoleInput.focus();
      break;
    case 'completions':
      consoleInput.onCompletions(msg);
      break;
    case 'run':
      upsert(msg.run);
      remember(msg.run);
      break;
    case 'dropped': {
      const count = root.querySelector(`[data-run-id="${msg.id}"] .dropped-count`);
      if (count) {
        count.textContent = msg.droppedChars.toLocaleString();
      }
      const run = newest.get(msg.id);
      if (run) {
        run.droppedChars = msg.droppedChars;
        scheduleSave();
      }
      break;
    }
    default:
      msg satisfies never;
  }
}

window.addEventListener('message', (event: MessageEvent<ResultsHostMessage>) => onHostMessage(event.data));

vscodeApi.postMessage({ type: 'ready' });
