/**
 * Test-only extension installed next to Kernel Islands in code-server. When the harness's environment
 * variables are present it waits for the product to activate, runs the bundled in-host mocha suite and writes a
 * {@link SuiteReport} to the results file. Without them it does nothing, so it is harmless anywhere else.
 */
import * as vscode from 'vscode';
import { existsSync, renameSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type MochaType from 'mocha';
import { RUNNER_ENV, type SuiteReport, type TestRecord } from '../../lib/report';

const PRODUCT_ID = 'kernelislands.kernel-islands';
const TEST_TIMEOUT_MS = 90_000;

interface RunnerConfig {
  suitePath: string;
  mochaPath: string;
  resultsPath: string;
  grep?: string;
}

/** Shape of the suite bundle (`test/suite/index.ts`). */
interface SuiteModule {
  loadSuite(mocha: MochaType): void;
}

export function activate(): void {
  const config = readConfig();
  // A window reload (the reload-survival UI test) activates this extension again: the suite runs once per run.
  if (!config || alreadyStarted(config.resultsPath)) {
    return;
  }
  const report: SuiteReport = {
    done: false,
    vscodeVersion: vscode.version,
    nodeVersion: process.version,
    tests: [],
  };
  void runSuite(config, report).catch((err: unknown) => {
    report.fatal = err instanceof Error ? (err.stack ?? err.message) : String(err);
    report.done = true;
    writeReport(config.resultsPath, report);
  });
}

export function deactivate(): void {
  // Nothing to release: the suite cleans up after itself and the harness owns the processes.
}

function alreadyStarted(resultsPath: string): boolean {
  return existsSync(resultsPath);
}

function readConfig(): RunnerConfig | undefined {
  const suitePath = process.env[RUNNER_ENV.suite];
  const mochaPath = process.env[RUNNER_ENV.mocha];
  const resultsPath = process.env[RUNNER_ENV.results];
  if (!suitePath || !mochaPath || !resultsPath) {
    return undefined;
  }
  return { suitePath, mochaPath, resultsPath, grep: process.env[RUNNER_ENV.grep] || undefined };
}

async function runSuite(config: RunnerConfig, report: SuiteReport): Promise<void> {
  writeReport(config.resultsPath, report);
  const product = vscode.extensions.getExtension(PRODUCT_ID);
  if (!product) {
    throw new Error(`${PRODUCT_ID} is not installed in this code-server; did the vsix install fail?`);
  }
  await product.activate();

  const mocha = createMocha(config);
  // The suite path comes from the harness at run time, so it cannot be bundled.
  const suite = loadAtRunTime(config.suitePath) as SuiteModule;
  suite.loadSuite(mocha);

  await new Promise<void>((resolve) => {
    const runner = mocha.run(() => resolve());
    runner.on('pass', (test) => record(config, report, test, 'passed'));
    runner.on('pending', (test) => record(config, report, test, 'pending'));
    runner.on('fail', (test, err: unknown) => record(config, report, test, 'failed', err));
  });
  report.done = true;
  writeReport(config.resultsPath, report);
}

function createMocha(config: RunnerConfig): MochaType {
  // mocha 12 is an ES module; require() of it yields the constructor (Node 24) or a namespace (Node 20/22).
  const loaded = loadAtRunTime(config.mochaPath) as { Mocha?: typeof MochaType; default?: typeof MochaType };
  const Mocha = (typeof loaded === 'function' ? loaded : (loaded.Mocha ?? loaded.default)) as typeof MochaType;
  const mocha = new Mocha({ ui: 'tdd', timeout: TEST_TIMEOUT_MS, color: false, reporter: 'spec' });
  if (config.grep) {
    mocha.grep(config.grep);
  }
  return mocha;
}

/** `require` for paths known only at run time (the harness passes absolute paths in the environment). */
const loadAtRunTime = createRequire(__filename);

function record(
  config: RunnerConfig,
  report: SuiteReport,
  test: MochaType.Runnable,
  state: TestRecord['state'],
  err?: unknown,
): void {
  const entry: TestRecord = { title: test.fullTitle(), state, durationMs: test.duration ?? 0 };
  if (err !== undefined) {
    entry.error = err instanceof Error ? { message: err.message, stack: err.stack } : { message: String(err) };
  }
  report.tests.push(entry);
  writeReport(config.resultsPath, report);
}

/** Writes through a temp file and a rename, so the harness never reads half a report. */
function writeReport(path: string, report: SuiteReport): void {
  const tmp = `${path}.tmp`;
  writeFileSync(tmp, JSON.stringify(report, null, 2));
  renameSync(tmp, path);
}
