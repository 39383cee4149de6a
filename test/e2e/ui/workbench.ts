/**
 * What a user does in the VS Code workbench, as Playwright steps: open a file with Quick Open, run a palette
 * command, type in the editor, read text in a webview. UI tests use only these, so they read like a user's script.
 */
import { join } from 'node:path';
import type { FrameLocator, Page } from 'playwright-core';

/** A UI test: a title and a script against the {@link Workbench}. */
export interface UiTest {
  title: string;
  /** Whole-test limit; the harness fails the test when it passes. */
  timeoutMs?: number;
  run(workbench: Workbench): Promise<void>;
  /**
   * Undoes what the test changed that later tests would see (a file's server, a setting). The runner calls it after
   * `run`, whether the test passed, failed or timed out, and before the next test; a failed cleanup is a failure.
   */
  cleanup?(workbench: Workbench): Promise<void>;
}

const STEP_TIMEOUT_MS = 15_000;

/** Records the page's focus changes in `window.kiFocusLog` (the last 60), once per page. */
const FOCUS_TRACE_SCRIPT = `(() => {
  if (window.kiFocusLog) return;
  const log = [];
  window.kiFocusLog = log;
  const start = Date.now();
  const name = (el) => {
    if (!(el instanceof Element)) return String(el);
    const tab = el.closest('.tab') && el.closest('.tab').getAttribute('data-resource-name');
    return el.tagName + '.' + String(el.className).slice(0, 60) + (tab ? ' (tab ' + tab + ')' : '');
  };
  const note = (what) => {
    log.push('+' + (Date.now() - start) + ' ms ' + what);
    if (log.length > 60) log.shift();
  };
  document.addEventListener('focusin', (e) => note('focus in ' + name(e.target)), true);
  document.addEventListener('focusout', (e) => note('focus out ' + name(e.target) + ' to ' + name(e.relatedTarget)), true);
  window.addEventListener('blur', () => note('window blur'));
  window.addEventListener('focus', () => note('window focus'));
  document.addEventListener('visibilitychange', () => note('visibility ' + document.visibilityState));
})()`;
/** Quick Open tries before a test gives up on opening a file (see `quickOpen`). */
const QUICK_OPEN_ATTEMPTS = 3;

export class Workbench {
  constructor(
    readonly page: Page,
    private readonly artifactsDir: string,
    /** The workspace folder code-server opened (the run's copy of demo/), for tests that add files to it. */
    readonly workspace?: string,
  ) {}

  /** Runs a command by its palette label, e.g. `View: Close All Editors`. */
  async runCommand(label: string): Promise<void> {
    await this.page.keyboard.press('F1');
    const input = await this.quickInput(`>${label}`);
    await this.pickRow(label);
    await input.waitFor({ state: 'hidden', timeout: STEP_TIMEOUT_MS });
  }

  /** Developer: Reload Window, as a user runs it; returns once the new window shows Kernel Islands (see below). */
  async reloadWindow(): Promise<void> {
    await this.page.evaluate('window.kiBeforeReload = true');
    await this.runCommand('Developer: Reload Window');
    await this.page.waitForFunction('window.kiBeforeReload === undefined', undefined, { timeout: 30_000 });
    await this.page.locator('.monaco-workbench').waitFor({ state: 'visible', timeout: 60_000 });
    await this.traceFocus();
    await this.waitForExtension();
  }

  /**
   * Waits until the window shows Kernel Islands (its activity bar icon). Until the workbench has read the remote
   * extension host's extensions, no extension's keybinding exists: a Shift+Enter pressed then is the editor's own
   * and inserts a line, as with any extension (seen after a reload: "no webview showed after reload 41007", a
   * screenshot without the icon, and no command reaching the extension). From the icon on, a key pressed before the
   * extension activated goes to `kernelIslands.runKey`.
   */
  async waitForExtension(): Promise<void> {
    await this.page
      .locator('.activitybar .action-item a[aria-label^="Kernel Islands"]')
      .waitFor({ state: 'visible', timeout: 60_000 });
  }

  /**
   * Waits until the status bar shows the active file's kernel item. After a window reload the activity bar icon
   * alone is not enough: the workbench draws it from its cache of the last window's view containers, before it has
   * read the extensions (and so their keybindings) again; a Shift+Enter pressed then still inserted a line
   * (CI at eebe911: "no webview showed after reload 41007", the product's log without any run). The item exists only
   * once the extension runs in this window, as a user sees.
   */
  async waitForKernelStatusItem(): Promise<void> {
    await this.page
      .locator('.statusbar-item[id$="kernelIslands.status"]')
      .waitFor({ state: 'visible', timeout: 60_000 });
  }

  /**
   * Brings a file's editor to the front and clicks into its text: right after a reload the workbench may keep the
   * keyboard focus away from a reopened editor, so this is what a person does.
   */
  async clickIntoEditor(fileName: string): Promise<void> {
    await this.quickOpen(fileName);
    await this.page.locator('.editor-group-container.active .monaco-editor .view-lines').first().click();
  }

  /** Opens a workspace file with Quick Open (Ctrl+P) and waits until its editor has focus. */
  async openFile(fileName: string): Promise<void> {
    await this.quickOpen(fileName);
    await this.page
      .locator('.editor-group-container.active .monaco-editor.focused')
      .waitFor({ state: 'visible', timeout: STEP_TIMEOUT_MS });
  }

  /**
   * Picks exactly `fileName` in Quick Open (Ctrl+P) and waits until its tab is the active one. Tried up to three
   * times, in case the list changes under the click all the same, or a file created moments ago is not listed yet.
   */
  async quickOpen(fileName: string): Promise<void> {
    const activeTab = this.page.locator(
      `.editor-group-container.active .tab.active[data-resource-name=${JSON.stringify(fileName)}]`,
    );
    let rows: string[] = [];
    for (let attempt = 1; ; attempt++) {
      const last = attempt === QUICK_OPEN_ATTEMPTS;
      try {
        await this.page.keyboard.press('Control+P');
        const unfiltered = await this.rowNames();
        const input = await this.quickInput(fileName);
        // Quick Open also lists recent files whose names merely contain the query (island_a.py for a.py).
        rows = await this.settledRows(fileName, unfiltered);
        await this.pickRow(fileName);
        await input.waitFor({ state: 'hidden', timeout: STEP_TIMEOUT_MS });
        await activeTab.waitFor({ state: 'visible', timeout: last ? STEP_TIMEOUT_MS : STEP_TIMEOUT_MS / 3 });
        return;
      } catch (err) {
        const active = await this.page
          .locator('.editor-group-container.active .tab.active')
          .getAttribute('data-resource-name', { timeout: 1000 })
          .catch(() => 'none');
        console.log(
          `  Quick Open did not open ${fileName} (attempt ${attempt}; rows ${JSON.stringify(rows)}; active tab ${active})`,
        );
        if (last) {
          throw err;
        }
        await this.page.keyboard.press('Escape');
      }
    }
  }

  /** Types into whatever has focus, like a person (keystrokes, so auto-closing brackets apply). */
  async type(text: string): Promise<void> {
    await this.page.keyboard.type(text, { delay: 15 });
  }

  /**
   * Adds `text` as a new last line of the active editor and leaves the cursor at its end. Escape closes any
   * suggestion list, which would otherwise take the next Enter or Shift+Enter.
   */
  async appendLine(text: string): Promise<void> {
    await this.page.keyboard.press('Control+End');
    await this.page.keyboard.press('Enter');
    await this.type(text);
    await this.page.keyboard.press('Escape');
  }

  /** The cursor's line (1-based) as the status bar shows it ("Ln 12, Col 3"). */
  async cursorLine(): Promise<number> {
    const item = this.page.locator('[id="status.editor.selection"]');
    const text = (await item.textContent({ timeout: STEP_TIMEOUT_MS })) ?? '';
    const match = /Ln (\d+)/.exec(text);
    if (!match) {
      throw new Error(`the status bar shows no cursor position (${JSON.stringify(text)})`);
    }
    return Number(match[1]);
  }

  /**
   * The cursor's line once the status bar has settled: it trails the cursor by a moment, so a read right after a
   * key press can still show the old line.
   */
  async settledCursorLine(): Promise<number> {
    let previous = await this.cursorLine();
    for (;;) {
      await this.page.waitForTimeout(250);
      const current = await this.cursorLine();
      if (current === previous) {
        return current;
      }
      previous = current;
    }
  }

  /**
   * Presses Shift+Enter on the current line and waits, as a person watching would, until the cursor has moved
   * below it: the move happens asynchronously, so keys typed before it would land on the old position.
   */
  async runLineAndAdvance(options: { retypeIfFocusLost?: { fileName: string; line: string } } = {}): Promise<void> {
    let line = await this.settledCursorLine();
    if (options.retypeIfFocusLost) {
      const { fileName, line: text } = options.retypeIfFocusLost;
      if (await this.retypeIfFocusLost(fileName, text)) {
        line = await this.settledCursorLine();
      }
    }
    await this.expectEditorFocus();
    await this.page.keyboard.press('Shift+Enter');
    const deadline = Date.now() + STEP_TIMEOUT_MS;
    // Below, not exactly the next line: a statement-aware run moves to the next statement, past blank lines.
    while ((await this.cursorLine()) <= line) {
      if (Date.now() > deadline) {
        throw new Error(`Shift+Enter on line ${line} did not move the cursor below it`);
      }
      await this.page.waitForTimeout(50);
    }
  }

  /**
   * Right after a window reload the workbench has twice (in full CI runs, never in targeted ones) left the keyboard
   * focus nowhere (on the page's body) moments after a click into the editor and a typed line; see docs/flakes.md.
   * A person clicks back into the editor and types the line again, and so does this, once, after printing what the
   * focus did so the cause can still be found. The last line is replaced: keys typed while the focus was lost are gone.
   */
  private async retypeIfFocusLost(fileName: string, line: string): Promise<boolean> {
    const focused = await this.editorFocus();
    if (focused.inEditor && (await this.activeEditorText()).includes(line)) {
      return false;
    }
    const trace = await this.focusTrace();
    console.log(
      `  note: the keyboard focus left the editor for ${focused.what}; clicking back into ${fileName} to type the line.` +
        `\n  focus changes before it:\n    ${trace.join('\n    ')}`,
    );
    await this.clickIntoEditor(fileName);
    await this.page.keyboard.press('Control+End');
    await this.page.keyboard.press('Home');
    await this.page.keyboard.press('Shift+End');
    await this.type(line);
    await this.page.keyboard.press('Escape');
    return true;
  }

  private editorFocus(): Promise<{ inEditor: boolean; what: string }> {
    return this.page.evaluate(() => {
      const el = document.activeElement;
      const editor = el?.closest('.monaco-editor');
      return {
        inEditor: !!editor && !!el?.closest('.editor-group-container'),
        what: el ? `${el.tagName}.${el.className}` : 'none',
      };
    });
  }

  /** Fails with what has focus instead, when keys would not reach the active text editor. */
  async expectEditorFocus(): Promise<void> {
    const focused = await this.editorFocus();
    if (!focused.inEditor) {
      const shot = await this.screenshot('focus-lost').catch((e: unknown) => `(none: ${e})`);
      const trace = await this.focusTrace();
      throw new Error(
        `the text editor lost keyboard focus; focus is on ${focused.what}\n` +
          `screenshot at that moment: ${shot}\nfocus changes before it:\n  ${trace.join('\n  ')}`,
      );
    }
  }

  /**
   * Starts recording where the keyboard focus goes in this page (a new page after a reload needs it again), so a
   * lost focus can be reported with what took it.
   */
  async traceFocus(): Promise<void> {
    // A string, not a function: tsx would wrap a function's inner functions in a helper the page does not have.
    await this.page.evaluate(FOCUS_TRACE_SCRIPT);
  }

  private async focusTrace(): Promise<string[]> {
    return this.page
      .evaluate(() => (window as unknown as { kiFocusLog?: string[] }).kiFocusLog ?? ['(not traced)'])
      .catch((e: unknown) => [`(unreadable: ${e})`]);
  }

  /** Presses a key or chord, e.g. `Shift+Enter`. */
  async press(keys: string): Promise<void> {
    await this.page.keyboard.press(keys);
  }

  /** The text of the active editor's visible lines, as Monaco renders them. */
  async activeEditorText(): Promise<string> {
    const lines = this.page.locator('.editor-group-container.active .monaco-editor .view-lines .view-line');
    const texts = await lines.allInnerTexts();
    // Monaco renders spaces as non-breaking spaces.
    return texts.join('\n').replace(/\u00a0/g, ' ');
  }

  /**
   * Waits until some webview (results panel, views) shows an element whose whole text is `text` (or whose text
   * matches the RegExp), and returns
   * that webview's content frame. A webview is two nested iframes: `iframe.webview` hosts `iframe#active-frame`,
   * which holds the extension's HTML.
   */
  async waitForWebviewText(text: string | RegExp, timeoutMs = STEP_TIMEOUT_MS): Promise<FrameLocator> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      const hosts = this.page.locator('iframe.webview');
      const count = await hosts.count();
      for (let i = 0; i < count; i++) {
        const content = hosts.nth(i).contentFrame().locator('iframe#active-frame').contentFrame();
        const match = typeof text === 'string' ? content.getByText(text, { exact: true }) : content.getByText(text);
        if ((await match.count()) > 0) {
          return content;
        }
      }
      await this.page.waitForTimeout(250);
    }
    throw new Error(`no webview showed ${String(text)} within ${timeoutMs} ms`);
  }

  /** Whether the given webview content shows `text` anywhere (substring), right now. */
  async webviewShows(content: FrameLocator, text: string): Promise<boolean> {
    return (await content.getByText(text).count()) > 0;
  }

  /**
   * Every notification of the session, including toasts that already hid themselves (for failure reports: an
   * error or hint the product showed explains many failures). Opens the notification center to read them.
   */
  async notifications(): Promise<string[]> {
    await this.runCommand('Notifications: Show Notifications');
    const items = this.page.locator('.notification-list-item-message');
    return items.allInnerTexts();
  }

  /** Saves a screenshot of the whole workbench into the artifacts folder; returns its path. */
  async screenshot(name: string): Promise<string> {
    const path = join(this.artifactsDir, `${name}.png`);
    await this.page.screenshot({ path });
    return path;
  }

  private async quickInput(query: string) {
    const input = this.page.locator('.quick-input-widget input.input');
    await input.waitFor({ state: 'visible', timeout: STEP_TIMEOUT_MS });
    try {
      await input.fill(query, { timeout: STEP_TIMEOUT_MS });
    } catch (err) {
      // A modal dialog makes the rest of the workbench inert: say which one.
      const dialogs = await this.page.locator('.monaco-dialog-box').allInnerTexts();
      throw new Error(
        `${err instanceof Error ? err.message : String(err)}\ndialogs on screen: ${JSON.stringify(dialogs)}`,
      );
    }
    return input;
  }

  /** The names of the rows Quick Open lists now. */
  private rowNames(): Promise<string[]> {
    return this.page.locator('.quick-input-list .monaco-list-row .label-name').allTextContents();
  }

  /**
   * Waits until Quick Open's rows show `label`, differ from the `unfiltered` list it showed before the query was
   * typed (or a second passed), and stayed the same for 300 ms; returns them. Right after the query is typed the
   * list may still be the unfiltered one: a click there lands on whatever row the filtered list puts at that place
   * a moment later (a click on a.py, third of the recent files, opened statements.py).
   */
  private async settledRows(label: string, unfiltered: string[]): Promise<string[]> {
    const typedAt = Date.now();
    const deadline = typedAt + STEP_TIMEOUT_MS;
    let last: string[] = [];
    let since = Date.now();
    while (Date.now() < deadline) {
      const now = (await this.rowNames()).map((name) => name.trim());
      if (JSON.stringify(now) !== JSON.stringify(last)) {
        last = now;
        since = Date.now();
      }
      const filtered = JSON.stringify(now) !== JSON.stringify(unfiltered) || Date.now() - typedAt > 1000;
      if (filtered && now.includes(label) && Date.now() - since >= 300) {
        return now;
      }
      await this.page.waitForTimeout(50);
    }
    throw new Error(`Quick Open never listed ${label} steadily; last rows ${JSON.stringify(last)}`);
  }

  /** Clicks the quick-input row whose label is exactly `label` (Playwright re-finds it if the list re-renders). */
  private async pickRow(label: string): Promise<void> {
    const exact = new RegExp(`^\\s*${label.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\s*$`);
    await this.page
      .locator('.quick-input-list .monaco-list-row')
      .filter({ has: this.page.locator('.label-name', { hasText: exact }) })
      .first()
      .click({ timeout: STEP_TIMEOUT_MS });
  }
}
