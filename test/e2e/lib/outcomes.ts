/**
 * Collects every check of a run (in-host tests, UI tests, harness checks such as cleanup) and prints them
 * as plain lines, ending with the `N passed, N failed` summary.
 */

/** One reported check. */
export interface Outcome {
  /** Where it ran: the in-host mocha suite, a Playwright UI test, or the harness itself. */
  group: 'host' | 'ui' | 'harness';
  title: string;
  state: 'passed' | 'failed' | 'pending';
  durationMs?: number;
  error?: string;
}

export class Outcomes {
  private readonly all: Outcome[] = [];

  /** Records and prints one outcome right away, so a long run shows progress. */
  add(outcome: Outcome): void {
    this.all.push(outcome);
    const mark = { passed: 'PASS', failed: 'FAIL', pending: 'SKIP' }[outcome.state];
    const time = outcome.durationMs === undefined ? '' : ` (${Math.round(outcome.durationMs)} ms)`;
    console.log(`  ${mark} [${outcome.group}] ${outcome.title}${time}`);
    if (outcome.error) {
      console.log(indent(outcome.error, '        '));
    }
  }

  /** Records a harness check from a promise: passed when it resolves, failed with the error when it rejects. */
  async check(title: string, body: () => Promise<void>): Promise<boolean> {
    const started = Date.now();
    try {
      await body();
      this.add({ group: 'harness', title, state: 'passed', durationMs: Date.now() - started });
      return true;
    } catch (err) {
      this.add({ group: 'harness', title, state: 'failed', durationMs: Date.now() - started, error: describe(err) });
      return false;
    }
  }

  get failed(): number {
    return this.all.filter((o) => o.state === 'failed').length;
  }

  get passed(): number {
    return this.all.filter((o) => o.state === 'passed').length;
  }

  get pending(): number {
    return this.all.filter((o) => o.state === 'pending').length;
  }

  /** The final lines; the last one is exactly `N passed, N failed`. */
  printSummary(wallMs: number): void {
    const failures = this.all.filter((o) => o.state === 'failed');
    if (failures.length > 0) {
      console.log('\nFailures:');
      for (const f of failures) {
        console.log(`  [${f.group}] ${f.title}`);
      }
    }
    if (this.pending > 0) {
      console.log(`${this.pending} pending`);
    }
    console.log(`e2e wall time ${(wallMs / 1000).toFixed(1)} s`);
    console.log(`${this.passed} passed, ${this.failed} failed`);
  }
}

/** An error as readable text: the stack when there is one. */
export function describe(err: unknown): string {
  return err instanceof Error ? (err.stack ?? err.message) : String(err);
}

function indent(text: string, prefix: string): string {
  return text
    .split('\n')
    .map((line) => prefix + line)
    .join('\n');
}
