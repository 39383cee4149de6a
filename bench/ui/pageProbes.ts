/**
 * What the UI bench watches inside the browser, all on the epoch clock (`performance.timeOrigin + …`, so the
 * workbench page, its webview frames and the extension host's trace marks compare):
 * - key presses: every keydown the workbench receives (the event's own time stamp);
 * - text that appears in any frame (results panel, notebook outputs): an init script in every frame records, for
 *   each added or changed text, when it appeared (the mutation callback's time: the DOM holds it from then on);
 * - inline results: Monaco draws a decoration's `after` text as CSS generated content, so a watcher armed per
 *   sample checks the active editor's spans on every mutation;
 * - typing latency: from each keydown in an editor to the mutation of that editor's lines that shows it;
 * - websocket messages: when each message from the server (the extension host's RPC among them) reached the page,
 *   to split the time after the extension host acted into transport and rendering.
 * The functions here run in the browser: they are serialized by Playwright and may use nothing outside themselves.
 */
import type { Frame, Page } from 'playwright-core';

/** One text seen in a frame: short texts whole (trimmed), long ones by their last 64 characters. */
export interface SeenText {
  t: number;
  text: string;
  long: boolean;
}

interface ProbeWindow {
  __kiSeen?: SeenText[];
  __kiSocketIn?: number[];
  __kiKeys?: Array<{ key: string; t: number }>;
  __kiInline?: { want: string; found?: number; armed: number };
  __kiTyping?: { pending: number[]; latencies: number[]; editor: Element | null; observer?: MutationObserver };
}

/** Installed in every frame before its scripts run: records texts as they appear (bounded to the last 20,000). */
function recordTexts(): void {
  const w = window as unknown as ProbeWindow & { __kiDoc?: Document };
  // A webview's host writes a new document into the same window: observe each document once. The workbench page
  // itself is left alone: the figures look for texts in webviews only, and watching every change of the workbench's
  // DOM would load the very thread whose speed is measured.
  if (w.__kiDoc === document || window.top === window) {
    return;
  }
  w.__kiDoc = document;
  const seen: SeenText[] = (w.__kiSeen ??= []);
  const now = () => performance.timeOrigin + performance.now();
  const note = (text: string | null, t: number) => {
    if (!text) {
      return;
    }
    const trimmed = text.trim();
    if (trimmed === '') {
      return;
    }
    seen.push(trimmed.length <= 64 ? { t, text: trimmed, long: false } : { t, text: trimmed.slice(-64), long: true });
    if (seen.length > 20_000) {
      seen.splice(0, seen.length - 20_000);
    }
  };
  const start = () => {
    new MutationObserver((records) => {
      const t = now();
      for (const record of records) {
        if (record.type === 'characterData') {
          note(record.target.textContent, t);
          continue;
        }
        record.addedNodes.forEach((node) => {
          note(node.textContent, t);
          if (node.nodeType === Node.ELEMENT_NODE) {
            const walker = document.createTreeWalker(node, NodeFilter.SHOW_TEXT);
            for (let n = walker.nextNode(), i = 0; n && i < 200; n = walker.nextNode(), i++) {
              if ((n.textContent ?? '').length <= 64) {
                note(n.textContent, t);
              }
            }
          }
        });
      }
    }).observe(document, { subtree: true, childList: true, characterData: true });
  };
  start();
  // Texts already there when the recorder came late: known to be there by now, not since when.
  const walker = document.createTreeWalker(document, NodeFilter.SHOW_TEXT);
  const t = now();
  for (let n = walker.nextNode(); n; n = walker.nextNode()) {
    note(n.textContent, t);
  }
}

/**
 * Installed in the workbench page before its scripts run (see {@link installSocketProbe}): every WebSocket the page
 * opens records when each message is dispatched to it (the listener added in the constructor runs first).
 */
function recordSocketMessages(): void {
  const w = window as unknown as ProbeWindow;
  if (w.__kiSocketIn || window.top !== window) {
    return;
  }
  const times: number[] = (w.__kiSocketIn = []);
  const Native = window.WebSocket;
  class Recorded extends Native {
    constructor(url: string | URL, protocols?: string | string[]) {
      super(url, protocols);
      this.addEventListener('message', () => {
        times.push(performance.timeOrigin + performance.now());
        if (times.length > 20_000) {
          times.splice(0, 10_000);
        }
      });
    }
  }
  window.WebSocket = Recorded;
}

/** Installs the websocket recorder; call on the new page before it loads the workbench. */
export async function installSocketProbe(page: Page): Promise<void> {
  await page.addInitScript(NAME_SHIM);
  await page.addInitScript(recordSocketMessages);
}

/** Epoch times at which the workbench page received a websocket message, between `from` and `to`. */
export function socketMessageTimes(page: Page, from: number, to: number): Promise<number[]> {
  return page.evaluate(
    ({ from, to }) => ((window as unknown as ProbeWindow).__kiSocketIn ?? []).filter((t) => t >= from && t <= to),
    { from, to },
  );
}

/** Installed once in the workbench page: key presses, the inline-result watcher and the typing probe. */
function installWorkbenchProbes(): void {
  const w = window as unknown as ProbeWindow;
  if (w.__kiKeys) {
    return;
  }
  const keys: Array<{ key: string; t: number }> = (w.__kiKeys = []);
  const typing = (w.__kiTyping = {
    pending: [] as number[],
    latencies: [] as number[],
    editor: null as Element | null,
  });
  window.addEventListener(
    'keydown',
    (e) => {
      const t = performance.timeOrigin + e.timeStamp;
      keys.push({ key: `${e.shiftKey ? 'Shift+' : ''}${e.ctrlKey ? 'Control+' : ''}${e.key}`, t });
      if (keys.length > 1000) {
        keys.splice(0, 500);
      }
      if (typing.editor && e.key.length === 1 && typing.editor.contains(e.target as Node)) {
        typing.pending.push(t);
      }
    },
    true,
  );
  const ACTIVE_LINES = '.editor-group-container.active .monaco-editor .view-lines';
  const afterText = (span: Element): string | undefined => {
    const content = getComputedStyle(span, '::after').content;
    return content && content !== 'none' && content !== 'normal' && content !== '""'
      ? content.replace(/^"|"$/g, '').replace(/\\"/g, '"')
      : undefined;
  };
  const inlineTexts = (): string[] => {
    const texts: string[] = [];
    document.querySelectorAll(`${ACTIVE_LINES} span`).forEach((span) => {
      const text = afterText(span);
      if (text !== undefined) {
        texts.push(text);
      }
    });
    return texts;
  };
  // Only the spans a mutation added or re-classed, and only in the active editor's lines: computing the style of
  // every span of the editor at each of the workbench's mutations loaded the very renderer whose speed is measured.
  const drawsWanted = (node: Node, want: string): boolean => {
    if (node.nodeType !== Node.ELEMENT_NODE) {
      return false;
    }
    const el = node as Element;
    if (!el.closest(ACTIVE_LINES) && !el.querySelector(ACTIVE_LINES)) {
      return false;
    }
    const spans = [...(el.tagName === 'SPAN' ? [el] : []), ...Array.from(el.querySelectorAll('span'))];
    return spans.some((span) => span.closest(ACTIVE_LINES) && afterText(span) === want);
  };
  new MutationObserver((records) => {
    const inline = w.__kiInline;
    if (!inline || inline.found !== undefined) {
      return;
    }
    const t = performance.timeOrigin + performance.now();
    for (const record of records) {
      const nodes = record.type === 'attributes' ? [record.target] : Array.from(record.addedNodes);
      if (nodes.some((node) => drawsWanted(node, inline.want))) {
        inline.found = t;
        return;
      }
    }
  }).observe(document.body, { subtree: true, childList: true, attributes: true, attributeFilter: ['class'] });
  (window as unknown as { __kiInlineTexts: () => string[] }).__kiInlineTexts = inlineTexts;
}

/** tsx names inner functions through a `__name` helper that the browser does not have. */
const NAME_SHIM = 'globalThis.__name = globalThis.__name || ((f) => f);';

/** Starts the text recorder in a frame (again, when its window got a new document); never fails. */
async function installRecorder(frame: Frame): Promise<void> {
  await frame
    .evaluate(NAME_SHIM)
    .then(() => frame.evaluate(recordTexts))
    .catch(() => undefined);
}

/** Sets up the probes: call once, right after the workbench page opened (frames made later get the recorder). */
export async function installProbes(page: Page): Promise<void> {
  await page.addInitScript(NAME_SHIM);
  await page.addInitScript(recordTexts);
  // A webview's inner frame gets its document written by its host frame, which runs no init script: install the
  // recorder as soon as Playwright sees the frame (before the webview's own script asked for its content).
  const install = (frame: Frame) => void installRecorder(frame);
  page.on('frameattached', install);
  page.on('framenavigated', install);
  page.frames().forEach(install);
  await page.evaluate(installWorkbenchProbes);
}

/** Epoch time of the latest keydown named `key` (e.g. `Shift+Enter`) at or after `since`. */
export async function keyTime(page: Page, key: string, since: number): Promise<number> {
  const t = await page.evaluate(
    ({ key, since }) => {
      const keys = (window as unknown as ProbeWindow).__kiKeys ?? [];
      return keys.filter((k) => k.key === key && k.t >= since).at(-1)?.t;
    },
    { key, since },
  );
  if (t === undefined) {
    throw new Error(`the workbench saw no ${key} keydown after ${since}`);
  }
  return t;
}

/** The page's epoch clock now (to bound key and text searches to one sample). */
export function pageNow(page: Page): Promise<number> {
  return page.evaluate(() => performance.timeOrigin + performance.now());
}

/** How a text is recognised: exactly (a short text), or by how a long one ends. */
export type TextMatch = { exact: string } | { endsWith: string };

function matches(seen: SeenText, match: TextMatch): boolean {
  return 'exact' in match ? !seen.long && seen.text === match.exact : seen.text.endsWith(match.endsWith);
}

/** The earliest time after `since` at which any frame whose URL passes `frameFilter` showed a matching text. */
export async function firstTextTime(
  page: Page,
  match: TextMatch,
  since: number,
  frameFilter: (frame: Frame) => boolean = () => true,
): Promise<number | undefined> {
  let best: number | undefined;
  for (const frame of page.frames().filter(frameFilter)) {
    await installRecorder(frame);
    const seen = await frame
      .evaluate((since) => ((window as unknown as ProbeWindow).__kiSeen ?? []).filter((s) => s.t >= since), since)
      .catch(() => [] as SeenText[]);
    for (const s of seen) {
      if (matches(s, match) && (best === undefined || s.t < best)) {
        best = s.t;
      }
    }
  }
  return best;
}

/**
 * How often the bench asks the page whether the text is there yet. The time it reports comes from the page's own
 * mutation observers, so asking less often loses no precision, while each question is a script run in every frame:
 * asking every 20 ms put the bench's own work on the renderer whose speed it measures.
 */
const COLLECT_INTERVAL_MS = 250;

/** Polls until {@link firstTextTime} finds the text, or fails after `timeoutMs`. */
export async function waitForText(
  page: Page,
  match: TextMatch,
  since: number,
  timeoutMs: number,
  frameFilter?: (frame: Frame) => boolean,
): Promise<number> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const t = await firstTextTime(page, match, since, frameFilter);
    if (t !== undefined) {
      return t;
    }
    if (Date.now() > deadline) {
      throw new Error(`no frame showed ${JSON.stringify(match)} within ${timeoutMs} ms; ${await describeFrames(page)}`);
    }
    await page.waitForTimeout(COLLECT_INTERVAL_MS);
  }
}

/** Arms the inline watcher: the first time the active editor draws an inline result `want` after now. */
export async function armInline(page: Page, want: string): Promise<void> {
  const stale = await page.evaluate((want) => {
    const w = window as unknown as ProbeWindow & { __kiInlineTexts: () => string[] };
    w.__kiInline = { want, armed: performance.timeOrigin + performance.now() };
    return w.__kiInlineTexts().includes(want);
  }, want);
  if (stale) {
    throw new Error(`the inline result ${want} is already drawn before the run`);
  }
}

/** Waits until the armed inline watcher saw its text; returns the epoch time. */
export async function waitForInline(page: Page, timeoutMs: number): Promise<number> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const found = await page.evaluate(() => (window as unknown as ProbeWindow).__kiInline?.found);
    if (found !== undefined) {
      return found;
    }
    if (Date.now() > deadline) {
      const texts = await page.evaluate(() =>
        (window as unknown as { __kiInlineTexts: () => string[] }).__kiInlineTexts(),
      );
      throw new Error(`no inline result within ${timeoutMs} ms; drawn: ${JSON.stringify(texts)}`);
    }
    await page.waitForTimeout(COLLECT_INTERVAL_MS);
  }
}

/** Inline results drawn in the active editor now. */
export function inlineTexts(page: Page): Promise<string[]> {
  return page.evaluate(() => (window as unknown as { __kiInlineTexts: () => string[] }).__kiInlineTexts());
}

/** Starts measuring typing latency in the active editor group's editor; clears earlier figures. */
export async function startTyping(page: Page): Promise<void> {
  const found = await page.evaluate(() => {
    const typing = (window as unknown as ProbeWindow).__kiTyping;
    const editor = document.querySelector('.editor-group-container.active .monaco-editor');
    const lines = editor?.querySelector('.view-lines');
    if (!typing || !editor || !lines) {
      return false;
    }
    typing.observer?.disconnect();
    typing.pending = [];
    typing.latencies = [];
    typing.editor = editor;
    typing.observer = new MutationObserver(() => {
      const t = performance.timeOrigin + performance.now();
      for (const pressed of typing.pending.splice(0)) {
        typing.latencies.push(t - pressed);
      }
    });
    typing.observer.observe(lines, { subtree: true, childList: true, characterData: true });
    return true;
  });
  if (!found) {
    throw new Error('no active text editor to measure typing in');
  }
}

/** Stops the typing probe and returns its latencies (ms from keydown to the editor's lines changing). */
export async function stopTyping(page: Page): Promise<number[]> {
  return page.evaluate(() => {
    const typing = (window as unknown as ProbeWindow).__kiTyping;
    if (!typing) {
      return [];
    }
    typing.observer?.disconnect();
    typing.observer = undefined;
    typing.editor = null;
    typing.pending = [];
    return typing.latencies.splice(0);
  });
}

/** Each frame's URL, whether the recorder runs in it and what it saw last (for failure messages). */
async function describeFrames(page: Page): Promise<string> {
  const lines = await Promise.all(
    page.frames().map(async (frame) => {
      const state = await frame
        .evaluate(() => {
          const seen = (window as unknown as ProbeWindow).__kiSeen;
          return seen ? `${seen.length} seen, last ${JSON.stringify(seen.slice(-3))}` : 'no recorder';
        })
        .catch((err: unknown) => `unreachable: ${String(err).slice(0, 80)}`);
      return `${frame.name() || '-'} ${frame.url().slice(0, 100)}: ${state}`;
    }),
  );
  return `frames:\n${lines.join('\n')}`;
}
