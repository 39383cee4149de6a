/**
 * The results file the in-host runner extension writes and the harness reads. Shared by both sides so
 * they cannot drift apart; type-only, so the runner bundle carries no harness code.
 */

/** Outcome of one mocha test (or failed hook). */
export interface TestRecord {
  /** Full title: suite titles and test title joined with spaces. */
  title: string;
  state: 'passed' | 'failed' | 'pending';
  durationMs: number;
  error?: { message: string; stack?: string };
}

/** The whole report; rewritten after every test so a hang still shows how far the suite got. */
export interface SuiteReport {
  /** True once mocha finished (or the runner gave up with `fatal`). */
  done: boolean;
  /** Set when the suite could not run at all (product missing, activation threw, bundle failed to load). */
  fatal?: string;
  vscodeVersion: string;
  nodeVersion: string;
  tests: TestRecord[];
}

/** Environment variables through which the harness configures the runner extension. */
export const RUNNER_ENV = {
  /** Absolute path of the bundled suite (`out/test/suite/index.js`). */
  suite: 'KI_E2E_SUITE',
  /** Absolute path of the repo's `mocha` package folder. */
  mocha: 'KI_E2E_MOCHA',
  /** Where to write the {@link SuiteReport} JSON. */
  results: 'KI_E2E_RESULTS',
  /** Optional mocha `grep` to run a subset. */
  grep: 'KI_E2E_GREP',
  /** Marks every process of one harness run, so leftovers can be found by their environment. */
  runId: 'KI_E2E_RUN_ID',
} as const;
