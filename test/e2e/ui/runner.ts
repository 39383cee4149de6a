/** Runs the UI tests one after another on one workbench page, each with a time limit and a failure screenshot. */
import type { Page } from 'playwright-core';
import { describe, type Outcomes } from '../lib/outcomes';
import { failureDetails } from './failureReport';
import { uiTests } from './index';
import { Workbench, type UiTest } from './workbench';

const DEFAULT_TIMEOUT_MS = 60_000;
const CLEANUP_TIMEOUT_MS = 90_000;

export async function runUiTests(
  page: Page,
  artifactsDir: string,
  outcomes: Outcomes,
  workspace?: string,
  logsDir?: string,
): Promise<void> {
  const workbench = new Workbench(page, artifactsDir, workspace);
  // KI_E2E_UI_GREP: run only the UI tests whose title matches (a regular expression), for quick iterations.
  const grep = process.env.KI_E2E_UI_GREP ? new RegExp(process.env.KI_E2E_UI_GREP) : undefined;
  for (const [index, test] of uiTests.entries()) {
    if (grep && !grep.test(test.title)) {
      continue;
    }
    // Start each test from a clean editor area, whatever the suite or the previous test left open.
    await workbench.runCommand('View: Close All Editors');
    await workbench.traceFocus();
    const started = Date.now();
    try {
      await withTimeout(test, workbench);
      outcomes.add({ group: 'ui', title: test.title, state: 'passed', durationMs: Date.now() - started });
    } catch (err) {
      const shot = await workbench.screenshot(`ui-${index + 1}-failure`).catch((e: unknown) => `(none: ${e})`);
      const details = await failureDetails(workbench, logsDir);
      const toasts = await workbench.notifications().catch((e: unknown) => [`(unreadable: ${e})`]);
      outcomes.add({
        group: 'ui',
        title: test.title,
        state: 'failed',
        durationMs: Date.now() - started,
        error: `${describe(err)}\nnotifications: ${JSON.stringify(toasts)}\nscreenshot: ${shot}\n${details}`,
      });
    }
    if (test.cleanup) {
      await cleanUp(test, workbench, index, outcomes);
    }
  }
}

/** Runs a test's cleanup (bounded), so what it changed cannot fail the tests after it; a failure is reported. */
async function cleanUp(test: UiTest, workbench: Workbench, index: number, outcomes: Outcomes): Promise<void> {
  const started = Date.now();
  const title = `cleanup after: ${test.title}`;
  try {
    await withTimeout(
      { title, timeoutMs: CLEANUP_TIMEOUT_MS, run: (wb) => test.cleanup?.(wb) ?? Promise.resolve() },
      workbench,
    );
  } catch (err) {
    const shot = await workbench.screenshot(`ui-${index + 1}-cleanup-failure`).catch((e: unknown) => `(none: ${e})`);
    outcomes.add({
      group: 'ui',
      title,
      state: 'failed',
      durationMs: Date.now() - started,
      error: `${describe(err)}\nscreenshot: ${shot}`,
    });
  }
}

async function withTimeout(test: UiTest, workbench: Workbench): Promise<void> {
  const limit = test.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`UI test timed out after ${limit} ms`)), limit);
  });
  try {
    await Promise.race([test.run(workbench), expired]);
  } finally {
    clearTimeout(timer);
  }
}
