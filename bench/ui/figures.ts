/**
 * U1–U5 of `npm run bench:ui`: each UI sample is driven by keys in the workbench and timed from the keydown to the
 * result in the DOM; each is followed by the same code through the exported API inside the extension host (the
 * engine-only time), so machine load weighs on both alike.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Frame, Page } from 'playwright-core';
import type { TraceMark } from '../../src/common/trace';
import { kernelStatusItem } from '../../test/e2e/ui/islands';
import { waitForKernelLabels } from '../../test/e2e/ui/notebooks.ui';
import type { Workbench } from '../../test/e2e/ui/workbench';
import type { BenchHost } from './hostClient';
import {
  armInline,
  inlineTexts,
  keyTime,
  pageNow,
  socketMessageTimes,
  startTyping,
  stopTyping,
  waitForInline,
  waitForText,
  type TextMatch,
} from './pageProbes';
import { transportMarks } from './transport';

/** What one figure measured: UI samples (and their parts), engine samples, and the trace of each UI sample. */
export interface FigureData {
  ui: number[];
  parts: Record<string, number[]>;
  engine: number[];
  /** Per UI sample: marks (product and DOM) in ms after the keydown. */
  traces: Array<Record<string, number>>;
  /** Extra samples (U5's typing latencies, and idle typing for comparison). */
  extra?: Record<string, number[]>;
}

/** What the figures share: the page, the host, the workspace and how many samples to take. */
export interface FigureContext {
  wb: Workbench;
  host: BenchHost;
  workspace: string;
  samples: number;
  /** Where screenshots and traces go. */
  artifacts: string;
  /** Waits until the warm pool is full again and the kernels idle. */
  settle(): Promise<void>;
  progress(message: string): void;
}

const RESULT_TIMEOUT_MS = 60_000;
const ONE_PLUS_ONE = '1+1';
/** U5's loop: 10,000 lines, the last one `9999`. */
export const FLOOD_CODE = 'for i in range(10000): print(i)';

const fileUri = (ctx: FigureContext, name: string) => `file://${ctx.workspace}/${name}`;
const webviews = (page: Page) => (frame: Frame) => frame !== page.mainFrame();

/**
 * Product trace marks of one sample, as ms after the keydown (the first three occurrences of each name), and for
 * each of `carriers` (marks of the host handing something to the workbench) when the next websocket message reached
 * the page ({@link transportMarks}).
 */
async function traceOf(
  ctx: FigureContext,
  key: number,
  end: number,
  carriers: readonly string[] = [],
): Promise<Record<string, number>> {
  const trace = await hostMarks(ctx, key, end);
  const socketIn = (await socketMessageTimes(ctx.wb.page, key, end)).map((t) => round(t - key));
  return { ...trace, ...transportMarks(trace, socketIn, carriers, round(end - key)) };
}

async function hostMarks(ctx: FigureContext, key: number, end: number): Promise<Record<string, number>> {
  const { marks } = await ctx.host.call('trace', {});
  const out: Record<string, number> = {};
  const seen = new Map<string, number>();
  for (const mark of marks as TraceMark[]) {
    if (mark.t >= key - 50 && mark.t <= end + 50) {
      // A mark met again (the inline result's "running…", then its value) is numbered: name, name#2, ...
      const n = (seen.get(mark.name) ?? 0) + 1;
      seen.set(mark.name, n);
      if (n <= 3) {
        out[n === 1 ? mark.name : `${mark.name}#${n}`] = round(mark.t - key);
      }
    }
  }
  return out;
}

const round = (ms: number) => Math.round(ms * 10) / 10;

/** Presses `keys` and returns the keydown's epoch time as the workbench saw it. */
async function pressTimed(page: Page, keys: string): Promise<number> {
  const since = await pageNow(page);
  await page.keyboard.press(keys);
  return keyTime(page, keys, since);
}

/** Removes the inline result of the cursor's line by an edit that changes nothing (a space, then Backspace). */
async function clearInline(ctx: FigureContext): Promise<void> {
  const { wb } = ctx;
  await wb.press('Control+Home');
  await wb.press('End');
  await wb.press('Space');
  await wb.press('Backspace');
  await wb.press('Control+Home');
  const deadline = Date.now() + 5_000;
  while ((await inlineTexts(wb.page)).length > 0) {
    if (Date.now() > deadline) {
      throw new Error(`the inline result did not go after an edit: ${JSON.stringify(await inlineTexts(wb.page))}`);
    }
    await wb.page.waitForTimeout(20);
  }
}

/** Shift+Enter on the cursor's line; the times until `2` is drawn inline and in a results webview. */
async function shiftEnterSample(ctx: FigureContext, data: FigureData): Promise<void> {
  const page = ctx.wb.page;
  await armInline(page, '2');
  const key = await pressTimed(page, 'Shift+Enter');
  const [inline, panel] = await Promise.all([
    waitForInline(page, RESULT_TIMEOUT_MS),
    waitForText(page, { exact: '2' }, key, RESULT_TIMEOUT_MS, webviews(page)),
  ]);
  const both = Math.max(inline, panel);
  data.ui.push(both - key);
  (data.parts.inline ??= []).push(inline - key);
  (data.parts.panel ??= []).push(panel - key);
  const trace = await traceOf(ctx, key, both, ['inline.setDecorations', 'panel.postMessage']);
  data.traces.push({ ...trace, 'dom.inline': round(inline - key), 'dom.panel': round(panel - key) });
}

function emptyData(): FigureData {
  return { ui: [], parts: {}, engine: [], traces: [] };
}

/**
 * Waits until Kernel Islands owns the active editor's keys: its status bar item shows, set (with the
 * `kernelIslands.languages` context key Shift+Enter depends on) once the extension is active for the editor.
 */
async function keysReady(ctx: FigureContext): Promise<void> {
  await kernelStatusItem(ctx.wb).waitFor({ state: 'visible', timeout: 60_000 });
  await ctx.wb.page.waitForTimeout(1000);
}

/** U1: Shift+Enter on `1+1` in a file whose kernel is warm. */
export async function measureU1(ctx: FigureContext): Promise<FigureData> {
  const { wb, host } = ctx;
  const uri = fileUri(ctx, 'u1.py');
  await wb.openFile('u1.py');
  await keysReady(ctx);
  await wb.press('Shift+Enter');
  await waitForText(wb.page, { exact: '2' }, 0, 120_000, webviews(wb.page));
  await ctx.settle();
  await wb.openFile('u1.py');
  const data = emptyData();
  for (let i = 0; i < ctx.samples; i++) {
    await host.call('command', { command: 'kernelIslands.clearResults', uriArgs: [uri] });
    await clearInline(ctx);
    await host.call('trace', {});
    await withChromeTrace(ctx, i === ctx.samples - 1 ? 'u1' : undefined, () => shiftEnterSample(ctx, data));
    data.engine.push(...(await host.call('execute', { target: uri, code: ONE_PLUS_ONE, count: 1, expect: '2' })).ms);
    await clearInline(ctx);
    (data.parts.floor ??= []).push(await floorSample(ctx));
  }
  await closeEditors(ctx);
  return data;
}

/**
 * With `KI_BENCH_UI_CHROME_TRACE=1`, records Chromium's performance trace (what the renderer's threads did) around
 * `sample` when `name` is given, into `bench/ui-artifacts/chrome-trace-<name>.json` (open it in the DevTools
 * Performance panel). Off by default: tracing slows the renderer it watches.
 */
async function withChromeTrace(
  ctx: FigureContext,
  name: string | undefined,
  sample: () => Promise<void>,
): Promise<void> {
  const browser = ctx.wb.page.context().browser();
  if (!name || process.env.KI_BENCH_UI_CHROME_TRACE !== '1' || !browser) {
    return sample();
  }
  await browser.startTracing(ctx.wb.page, {
    categories: ['devtools.timeline', 'disabled-by-default-devtools.timeline', 'toplevel', 'v8.execute', 'blink'],
  });
  try {
    await sample();
  } finally {
    const path = join(ctx.artifacts, `chrome-trace-${name}.json`);
    writeFileSync(path, await browser.stopTracing());
    ctx.progress(`Chromium trace of the last ${name.toUpperCase()} sample: ${path}`);
  }
}

/**
 * The workbench floor of U1, taken in the same editor right after each U1 sample: a key bound to the bench host's
 * command, which draws the same kind of inline `2` at once (no kernel, no product code); keydown to the DOM.
 */
async function floorSample(ctx: FigureContext): Promise<number> {
  const page = ctx.wb.page;
  await armInline(page, '2');
  const key = await pressTimed(page, 'Control+F9');
  const shown = await waitForInline(page, RESULT_TIMEOUT_MS);
  await ctx.host.call('command', { command: 'kernelIslandsBench.clearEcho' });
  const deadline = Date.now() + 5_000;
  while ((await inlineTexts(page)).includes('2')) {
    if (Date.now() > deadline) {
      throw new Error("the floor sample's inline 2 did not go");
    }
    await page.waitForTimeout(20);
  }
  return shown - key;
}

/** U2: Shift+Enter on `1+1` in a file that never ran (its context takes a warm kernel). */
export async function measureU2(ctx: FigureContext, files: string[]): Promise<FigureData> {
  const { wb, host } = ctx;
  const data = emptyData();
  for (const [i, name] of files.entries()) {
    await closeEditors(ctx);
    await ctx.settle();
    await wb.openFile(name);
    await host.call('trace', {});
    await shiftEnterSample(ctx, data);
    await host.call('shutdown', { target: fileUri(ctx, name) });
    await ctx.settle();
    const fresh = { target: `bench-ui-u2-${i}`, code: ONE_PLUS_ONE, count: 1, expect: '2', shutdownAfter: true };
    data.engine.push(...(await host.call('execute', fresh)).ms);
  }
  await closeEditors(ctx);
  return data;
}

/**
 * Puts the keyboard focus in the active notebook's first cell editor, as a user's click does. A selected (focused)
 * cell row is not enough: with the DOM focus elsewhere (Quick Open just closed), Ctrl+Enter reached the notebook
 * as "insert a cell" instead of "run this cell".
 */
async function focusFirstCell(ctx: FigureContext): Promise<void> {
  const page = ctx.wb.page;
  // The cells live in an overlay outside the editor group (the group holds the notebook editor's frame).
  const cellEditor = page.locator('.notebookOverlay .monaco-list-row .monaco-editor').filter({ visible: true });
  await cellEditor.first().waitFor({ state: 'visible', timeout: 30_000 });
  await cellEditor.first().click();
  await page.waitForFunction(
    () => document.activeElement?.closest('.notebookOverlay .monaco-list-row .monaco-editor') != null,
    undefined,
    { timeout: 10_000 },
  );
}

/** Ctrl+Enter in the notebook's first cell; the time until `2` shows in the notebook's output webview. */
async function cellSample(ctx: FigureContext, data: FigureData, expected: TextMatch): Promise<number> {
  const page = ctx.wb.page;
  await focusFirstCell(ctx);
  const key = await pressTimed(page, 'Control+Enter');
  const shown = await waitForText(page, expected, key, RESULT_TIMEOUT_MS, webviews(page));
  data.ui.push(shown - key);
  const trace = await traceOf(ctx, key, shown, ['notebook.appendOutput', 'notebook.cellEnd']);
  data.traces.push({ ...trace, 'dom.output': round(shown - key) });
  return key;
}

/** U3: Ctrl+Enter on a `1+1` cell of a notebook whose kernel is warm. */
export async function measureU3(ctx: FigureContext): Promise<FigureData> {
  const { wb, host } = ctx;
  const uri = fileUri(ctx, 'u3.ipynb');
  await openNotebookReady(ctx, 'u3.ipynb');
  await focusFirstCell(ctx);
  await wb.press('Control+Enter');
  await waitForText(wb.page, { exact: '2' }, 0, 120_000, webviews(wb.page));
  await ctx.settle();
  const data = emptyData();
  for (let i = 0; i < ctx.samples; i++) {
    await host.call('command', { command: 'notebook.clearAllCellsOutputs' });
    await wb.page.waitForTimeout(100);
    await host.call('trace', {});
    await cellSample(ctx, data, { exact: '2' });
    data.engine.push(...(await host.call('execute', { target: uri, code: ONE_PLUS_ONE, count: 1, expect: '2' })).ms);
  }
  await closeEditors(ctx);
  return data;
}

/** U4: open a notebook that never ran and run its first cell at once; from the key press to its output. */
export async function measureU4(ctx: FigureContext, files: string[]): Promise<FigureData> {
  const { host } = ctx;
  const data = emptyData();
  const shownToKey: number[] = [];
  for (const [i, name] of files.entries()) {
    await closeEditors(ctx);
    await ctx.settle();
    await host.call('trace', {});
    const shown = await openNotebookReady(ctx, name);
    const key = await cellSample(ctx, data, { exact: '2' });
    shownToKey.push(key - shown);
    await closeEditors(ctx);
    await host.call('shutdown', { target: fileUri(ctx, name) });
    await ctx.settle();
    const fresh = { target: `bench-ui-u4-${i}`, code: ONE_PLUS_ONE, count: 1, expect: '2', shutdownAfter: true };
    data.engine.push(...(await host.call('execute', fresh)).ms);
  }
  data.extra = { shownToKey };
  return data;
}

/** Opens a notebook with Quick Open; returns the page time at which it showed its kernel (ready to run). */
async function openNotebookReady(ctx: FigureContext, name: string): Promise<number> {
  const { wb } = ctx;
  await wb.quickOpen(name);
  await wb.page.locator('.editor-group-container.active .notebook-editor').waitFor({ state: 'visible' });
  await waitForKernelLabels(wb, 1);
  return pageNow(wb.page);
}

/**
 * U5: Shift+Enter on a loop printing 10,000 lines, then typing in another editor while it streams; the time to the
 * last line in the results panel, and each key's latency (keydown to the editor's lines changing). Idle typing in
 * the same editor, with nothing running, is the comparison.
 */
export async function measureU5(ctx: FigureContext): Promise<FigureData> {
  const { wb, host } = ctx;
  const uri = fileUri(ctx, 'u5.py');
  const last: TextMatch = { endsWith: '9999' };
  await wb.openFile('scratch.py');
  await wb.runCommand('View: Split Editor Right');
  await wb.openFile('u5.py');
  await keysReady(ctx);
  await wb.press('Shift+Enter');
  await waitForText(wb.page, last, 0, 120_000, webviews(wb.page));
  await ctx.settle();
  const data = emptyData();
  data.extra = { typing: [], idleTyping: [] };
  for (let i = 0; i < ctx.samples; i++) {
    await host.call('command', { command: 'kernelIslands.clearResults', uriArgs: [uri] });
    data.extra.idleTyping.push(...(await typeFor(ctx, async () => true, 12)));
    await host.call('trace', {});
    await wb.press('Control+2');
    await wb.press('Control+Home');
    const key = await pressTimed(wb.page, 'Shift+Enter');
    let shown: number | undefined;
    const typed = await typeFor(
      ctx,
      async () => {
        shown ??= await waitForText(wb.page, last, key, 0, webviews(wb.page)).catch(() => undefined);
        return shown !== undefined;
      },
      4,
    );
    shown ??= await waitForText(wb.page, last, key, RESULT_TIMEOUT_MS, webviews(wb.page));
    data.ui.push(shown - key);
    data.extra.typing.push(...typed);
    const trace = await traceOf(ctx, key, shown, ['panel.postMessage']);
    data.traces.push({ ...trace, 'dom.lastLine': round(shown - key) });
    data.engine.push(...(await host.call('execute', { target: uri, code: FLOOD_CODE, count: 1, expect: '9999' })).ms);
  }
  await closeEditors(ctx);
  return data;
}

/**
 * Focuses the first editor group (scratch.py) and types one character every 30 ms until `done()` holds, then
 * `after` more; returns each key's latency and removes what it typed.
 */
async function typeFor(ctx: FigureContext, done: () => Promise<boolean>, after: number): Promise<number[]> {
  const { wb } = ctx;
  await wb.press('Control+1');
  await startTyping(wb.page);
  const deadline = Date.now() + RESULT_TIMEOUT_MS;
  let extra = 0;
  while (extra < after && Date.now() < deadline) {
    await wb.page.keyboard.type('x');
    await wb.page.waitForTimeout(30);
    if (await done()) {
      extra++;
    }
  }
  await wb.page.waitForTimeout(100);
  const latencies = await stopTyping(wb.page);
  await wb.press('Control+A');
  await wb.press('Backspace');
  return latencies;
}

/** Saves nothing: reverts and closes every editor (results panels included), through the host. */
async function closeEditors(ctx: FigureContext): Promise<void> {
  const tabs = ctx.wb.page.locator('.editor-group-container .tab');
  for (let i = 0; i < 12 && (await tabs.count()) > 0; i++) {
    await ctx.host.call('command', { command: 'workbench.action.revertAndCloseActiveEditor' });
  }
  await ctx.wb.page.waitForTimeout(100);
}
