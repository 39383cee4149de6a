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
}

const STEP_TIMEOUT_MS = 15_000;

export class Workbench {
  constructor(
    readonly page: Page,
    private readonly artifactsDir: string,
  ) {}

  /** Runs a command by its palette label, e.g. `View: Close All Editors`. */
  async runCommand(label: string): Promise<void> {
    await this.page.keyboard.press('F1');
    const input = await this.quickInput(`>${label}`);
    await this.pickRow((text) => text === label, `a palette entry labelled ${label}`);
    await input.waitFor({ state: 'hidden', timeout: STEP_TIMEOUT_MS });
  }

  /** Opens a workspace file with Quick Open (Ctrl+P) and waits until its editor has focus. */
  async openFile(fileName: string): Promise<void> {
    await this.page.keyboard.press('Control+P');
    const input = await this.quickInput(fileName);
    // Quick Open also lists recent files whose names merely contain the query (island_a.py for a.py).
    await this.pickRow((label) => label === fileName, `a Quick Open entry named ${fileName}`);
    await input.waitFor({ state: 'hidden', timeout: STEP_TIMEOUT_MS });
    await this.page
      .locator(`.editor-group-container.active .tab.active[data-resource-name=${JSON.stringify(fileName)}]`)
      .waitFor({ state: 'visible', timeout: STEP_TIMEOUT_MS });
    await this.page
      .locator('.editor-group-container.active .monaco-editor.focused')
      .waitFor({ state: 'visible', timeout: STEP_TIMEOUT_MS });
  }

  /** Types into whatever has focus, like a person (keystrokes, so auto-closing brackets apply). */
  async type(text: string): Promise<void> {
    await this.page.keyboard.type(text, { delay: 15 });
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
   * Waits until some webview (results panel, views) shows an element whose whole text is `text`. A webview is
   * two nested iframes: `iframe.webview` hosts `iframe#active-frame`, which holds the extension's HTML.
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

  /** Saves a screenshot of the whole workbench into the artifacts folder; returns its path. */
  async screenshot(name: string): Promise<string> {
    const path = join(this.artifactsDir, `${name}.png`);
    await this.page.screenshot({ path });
    return path;
  }

  private async quickInput(query: string) {
    const input = this.page.locator('.quick-input-widget input.input');
    await input.waitFor({ state: 'visible', timeout: STEP_TIMEOUT_MS });
    await input.fill(query);
    return input;
  }

  /** Clicks the first quick-input row whose label satisfies `matches`, polling while the list fills. */
  private async pickRow(matches: (label: string) => boolean, what: string): Promise<void> {
    const rows = this.page.locator('.quick-input-list .monaco-list-row');
    const deadline = Date.now() + STEP_TIMEOUT_MS;
    while (Date.now() < deadline) {
      const labels = await rows.evaluateAll((els) =>
        els.map((el) => el.querySelector('.label-name')?.textContent ?? ''),
      );
      const index = labels.findIndex((label) => matches(label.trim()));
      if (index >= 0) {
        await rows.nth(index).click();
        return;
      }
      await this.page.waitForTimeout(100);
    }
    throw new Error(`no ${what} within ${STEP_TIMEOUT_MS} ms`);
  }
}
