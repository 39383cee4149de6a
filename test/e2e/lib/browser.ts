/**
 * Headless Debian chromium driven by playwright-core. The extension host only starts once a browser opens
 * the workbench, so the browser is what sets the in-host suite going.
 */
import { appendFileSync } from 'node:fs';
import { chromium, type Browser, type Page } from 'playwright-core';

/** Debian's chromium; `playwright install` downloads browsers and cannot work offline. */
export const CHROMIUM = process.env.KI_E2E_CHROMIUM ?? '/usr/bin/chromium';

/** Flags that keep chromium from reaching for the network. */
const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** A browser with one workbench page. */
export interface WorkbenchBrowser {
  browser: Browser;
  page: Page;
  close(): Promise<void>;
}

/** Options for {@link openWorkbench}. */
export interface OpenOptions {
  url: string;
  /** Environment for chromium (carries the run marker). */
  env: NodeJS.ProcessEnv;
  /** Console messages and page errors are appended here. */
  consoleLog: string;
  timeoutMs?: number;
  /** Runs on the new page before the workbench loads (e.g. a probe's init scripts that must see its start). */
  beforeLoad?: (page: Page) => Promise<void>;
}

export async function openWorkbench(options: OpenOptions): Promise<WorkbenchBrowser> {
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: CHROMIUM_ARGS,
    env: options.env as Record<string, string>,
  });
  let closing: Promise<void> | undefined;
  const close = () => (closing ??= browser.close());
  try {
    // Clipboard access lets a UI test read what a Copy command put there (the MCP server address).
    const page = await browser.newPage({
      viewport: { width: 1400, height: 900 },
      permissions: ['clipboard-read', 'clipboard-write'],
    });
    const log = (line: string) => appendFileSync(options.consoleLog, `${new Date().toISOString()} ${line}\n`);
    page.on('console', (msg) => {
      log(`[${msg.type()}] ${msg.text()}`);
      printFigure(msg.text());
    });
    page.on('pageerror', (err) => log(`[pageerror] ${err.stack ?? err.message}`));
    await options.beforeLoad?.(page);
    await page.goto(options.url, { waitUntil: 'domcontentloaded', timeout: options.timeoutMs ?? 60_000 });
    await page.locator('.monaco-workbench').waitFor({ state: 'visible', timeout: options.timeoutMs ?? 60_000 });
    return { browser, page, close };
  } catch (err) {
    await close();
    throw err;
  }
}

/**
 * The in-host suite's `figure: … = …` lines reach the page console as `[Extension Host]` logs with their CSS
 * arguments appended; echo them to the harness output, where the figures of a run are read.
 */
function printFigure(text: string): void {
  const figure = /figure: .*/.exec(text.replace(/%c/g, ''))?.[0].replace(/( color: [^ ]*)+ ?$/, '');
  if (figure) {
    console.log(`  [host] ${figure.trim()}`);
  }
}
