/**
 * Kernel Islands UI steps on top of {@link Workbench}: go to a line, click a code lens, read inline results,
 * find things in the results webview, use the status bar item and the Kernels view.
 */
import type { FrameLocator, Locator, Page } from 'playwright-core';
import type { Workbench } from './workbench';

const STEP_MS = 15_000;

/** Moves the cursor to a 1-based line with Go to Line (Ctrl+G), as a person would. */
export async function goToLine(wb: Workbench, line: number): Promise<void> {
  await wb.press('Control+G');
  const input = wb.page.locator('.quick-input-widget input.input');
  await input.waitFor({ state: 'visible', timeout: STEP_MS });
  await input.fill(`:${line}`);
  await wb.press('Enter');
  await input.waitFor({ state: 'hidden', timeout: STEP_MS });
  await wb.page.locator('.editor-group-container.active .monaco-editor.focused').waitFor({ timeout: STEP_MS });
}

/** Clicks the code lens titled `title` above the cell marker on 1-based `line` of the active editor. */
export async function clickLens(wb: Workbench, title: string, line: number): Promise<void> {
  const editor = wb.page.locator('.editor-group-container.active .monaco-editor');
  const deadline = Date.now() + STEP_MS;
  while (Date.now() < deadline) {
    const lineTop = await lineTopOf(wb.page, line);
    const lenses = editor.locator('.codelens-decoration');
    const count = await lenses.count();
    for (let i = 0; i < count; i++) {
      const box = await lenses.nth(i).boundingBox();
      // A lens sits in the space just above its line.
      if (box && lineTop !== undefined && box.y < lineTop && box.y > lineTop - 2 * box.height - 4) {
        const link = lenses.nth(i).locator('a', { hasText: title });
        if ((await link.count()) > 0) {
          await link.first().click();
          return;
        }
      }
    }
    await wb.page.waitForTimeout(200);
  }
  throw new Error(`no "${title}" code lens above line ${line} within ${STEP_MS} ms`);
}

/** The screen y of a 1-based line of the active editor, from the line-number gutter. */
async function lineTopOf(page: Page, line: number): Promise<number | undefined> {
  const numbers = page.locator('.editor-group-container.active .monaco-editor .line-numbers');
  const count = await numbers.count();
  for (let i = 0; i < count; i++) {
    if ((await numbers.nth(i).innerText()).trim() === String(line)) {
      return (await numbers.nth(i).boundingBox())?.y;
    }
  }
  return undefined;
}

/**
 * The texts drawn after lines of the active editor by decorations (inline results). Monaco draws an `after`
 * decoration's text as CSS generated content on a span inside the line.
 */
export async function inlineResultTexts(wb: Workbench): Promise<string[]> {
  return wb.page.evaluate(() => {
    const spans = document.querySelectorAll('.editor-group-container.active .monaco-editor .view-lines span');
    const texts: string[] = [];
    spans.forEach((span) => {
      for (const pseudo of ['::after', '::before']) {
        const content = getComputedStyle(span, pseudo).content;
        if (content && content !== 'none' && content !== 'normal' && content !== '""') {
          texts.push(content.replace(/^"|"$/g, '').replace(/\\"/g, '"'));
        }
      }
    });
    return texts;
  });
}

/** Waits until an inline result whose text matches `pattern` is drawn; returns all inline texts. */
export async function waitForInlineResult(wb: Workbench, pattern: RegExp, timeoutMs = 60_000): Promise<string[]> {
  const deadline = Date.now() + timeoutMs;
  let last: string[] = [];
  while (Date.now() < deadline) {
    last = await inlineResultTexts(wb);
    if (last.some((t) => pattern.test(t))) {
      return last;
    }
    await wb.page.waitForTimeout(250);
  }
  throw new Error(`no inline result matching ${pattern} within ${timeoutMs} ms; drawn: ${JSON.stringify(last)}`);
}

/** The content frames of every webview on screen. */
async function webviewContents(page: Page): Promise<FrameLocator[]> {
  const hosts = page.locator('iframe.webview');
  const count = await hosts.count();
  const out: FrameLocator[] = [];
  for (let i = 0; i < count; i++) {
    out.push(hosts.nth(i).contentFrame().locator('iframe#active-frame').contentFrame());
  }
  return out;
}

/** Waits until some webview has an element matching `selector` (optionally with text); returns that element. */
export async function waitForWebviewElement(
  wb: Workbench,
  selector: string,
  hasText?: string | RegExp,
  timeoutMs = 60_000,
): Promise<Locator> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    for (const content of await webviewContents(wb.page)) {
      const found = content.locator(selector, hasText ? { hasText } : {});
      if ((await found.count().catch(() => 0)) > 0) {
        return found.last();
      }
    }
    await wb.page.waitForTimeout(250);
  }
  throw new Error(`no webview showed ${selector}${hasText ? ` with ${String(hasText)}` : ''} within ${timeoutMs} ms`);
}

/** The Kernel Islands status bar item. */
export function kernelStatusItem(wb: Workbench): Locator {
  return wb.page.locator('.statusbar-item[id$="kernelIslands.status"]');
}

/** Waits until the status bar item's text matches `pattern`; returns the text. */
export async function waitForStatus(wb: Workbench, pattern: RegExp, timeoutMs = 60_000): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  let text = '';
  while (Date.now() < deadline) {
    text = (
      await kernelStatusItem(wb)
        .innerText()
        .catch(() => '')
    ).trim();
    if (pattern.test(text)) {
      return text;
    }
    await wb.page.waitForTimeout(200);
  }
  throw new Error(`the kernel status item never matched ${pattern}; it shows ${JSON.stringify(text)}`);
}

/**
 * A notification as a toast or, when the notification center is open (new notifications then go there), as a row
 * of the center.
 */
export function notification(wb: Workbench, hasText: RegExp): Locator {
  return wb.page.locator('.notification-toast, .notifications-center .notification-list-item', { hasText }).first();
}

/** Clicks a row of the open quick pick whose label matches `label`. */
export async function pickQuickRow(wb: Workbench, label: RegExp): Promise<void> {
  await wb.page
    .locator('.quick-input-list .monaco-list-row')
    .filter({ has: wb.page.locator('.label-name', { hasText: label }) })
    .first()
    .click({ timeout: STEP_MS });
}

/** The cursor's 1-based line, from the status bar ("Ln 12, Col 3"). */
export async function cursorLine(wb: Workbench): Promise<number> {
  const text = (await wb.page.locator('[id="status.editor.selection"]').innerText({ timeout: STEP_MS })) ?? '';
  const match = /Ln (\d+)/.exec(text);
  if (!match) {
    throw new Error(`the status bar shows no cursor position (${JSON.stringify(text)})`);
  }
  return Number(match[1]);
}

/** Polls until `check` holds. */
export async function until(wb: Workbench, what: string, check: () => Promise<boolean>, timeoutMs = 30_000) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check()) {
      return;
    }
    await wb.page.waitForTimeout(250);
  }
  throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
}

/** Runs a palette command that opens a quick pick of its own; returns once that quick pick replaced the palette. */
export async function runPickerCommand(wb: Workbench, label: string): Promise<void> {
  await wb.press('F1');
  const input = wb.page.locator('.quick-input-widget input.input');
  await input.waitFor({ state: 'visible', timeout: STEP_MS });
  await input.fill(`>${label}`);
  const exact = new RegExp(`^\\s*${label.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\s*$`);
  await pickQuickRow(wb, exact);
  await until(wb, `the quick pick of "${label}"`, async () => {
    const aria = (await input.getAttribute('aria-label').catch(() => '')) ?? '';
    return (await input.isVisible()) && !aria.startsWith('Type the name of a command');
  });
}

/**
 * Opens a workspace file with Quick Open and waits until its editor has focus: {@link Workbench.openFile}, which
 * tries again when the list re-sorted under the click (seen in the Variables view test: statements.py for a.py).
 */
export async function openFile(wb: Workbench, fileName: string): Promise<void> {
  await wb.openFile(fileName);
}

/**
 * Shows the Kernels view. Clicking the activity bar item of a container that is already showing hides the side
 * bar, so it is clicked only when the view is not visible yet.
 */
export async function showKernelsView(wb: Workbench): Promise<Locator> {
  const view = wb.page.locator('[id="workbench.view.extension.kernelIslands"]');
  if (!(await view.isVisible().catch(() => false))) {
    await wb.page.locator('.activitybar .action-item a[aria-label^="Kernel Islands"]').click();
  }
  await view.waitFor({ state: 'visible', timeout: 15_000 });
  return view;
}

/** Adds `code` as a new last line of the active editor and runs it with Shift+Enter (the cursor moves below). */
export async function runNewLine(wb: Workbench, code: string): Promise<void> {
  await wb.press('Control+End');
  await wb.press('Enter');
  await wb.type(code);
  await wb.press('Escape');
  const line = await cursorLine(wb);
  await wb.press('Shift+Enter');
  // Below, not exactly line + 1: the status bar's line can lag the typing by a line when read (a full run saw 23
  // for the new line 24, then 25 after the run).
  await until(wb, `Shift+Enter to move the cursor below line ${line}`, async () => (await cursorLine(wb)) > line);
}
