/** Follows the report the runner extension writes, turning each finished in-host test into an outcome. */
import { existsSync, readFileSync } from 'node:fs';
import type { Outcomes } from './outcomes';
import type { SuiteReport } from './report';

const POLL_MS = 500;

/**
 * Waits for the in-host suite to finish, reporting tests as they complete. Returns false (with a failed outcome
 * naming the last finished test) when the suite does not finish within `timeoutMs`.
 */
export async function waitForSuite(
  resultsFile: string,
  limits: { totalMs: number; stallMs: number },
  outcomes: Outcomes,
): Promise<boolean> {
  const deadline = Date.now() + limits.totalMs;
  // A hang is a suite where nothing finishes: every test has mocha's own timeout (90 s), so a longer quiet spell
  // means the host is stuck. The total limit is only a backstop; the suite grows and slows under load.
  let lastProgress = Date.now();
  let stalled = false;
  let seen = 0;
  let announced = false;
  let report: SuiteReport | undefined;
  while (Date.now() < deadline) {
    if (Date.now() - lastProgress > limits.stallMs) {
      stalled = true;
      break;
    }
    report = readReport(resultsFile) ?? report;
    if (report) {
      if (!announced) {
        announced = true;
        console.log(`  in-host suite started (VS Code ${report.vscodeVersion}, Node ${report.nodeVersion})`);
      }
      for (const test of report.tests.slice(seen)) {
        const error = test.error ? (test.error.stack ?? test.error.message) : undefined;
        outcomes.add({ group: 'host', title: test.title, state: test.state, durationMs: test.durationMs, error });
      }
      if (report.tests.length > seen) lastProgress = Date.now();
      seen = report.tests.length;
      if (report.done) {
        if (report.fatal) {
          outcomes.add({ group: 'host', title: 'in-host suite ran', state: 'failed', error: report.fatal });
        }
        return true;
      }
    }
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
  const last = report?.tests.at(-1)?.title;
  outcomes.add({
    group: 'host',
    title: 'in-host suite finished in time',
    state: 'failed',
    error: report
      ? stalled
        ? `no test finished for ${limits.stallMs} ms (a hang); last finished test: ${last ?? '(none)'}`
        : `no end after ${limits.totalMs} ms; last finished test: ${last ?? '(none)'}`
      : `the runner extension wrote no results in ${stalled ? limits.stallMs : limits.totalMs} ms: did the extension host start? see browser-console.log and vscode-logs`,
  });
  return false;
}

/** The report, or undefined when it is not there yet (the runner writes it atomically, so no partial reads). */
function readReport(file: string): SuiteReport | undefined {
  if (!existsSync(file)) {
    return undefined;
  }
  return JSON.parse(readFileSync(file, 'utf8')) as SuiteReport;
}
