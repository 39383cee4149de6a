// Before a kernel starts in a project's environment: is the environment still there, and can it run ipykernel?
// Asked once per interpreter and window (a success is kept; a failure is asked again, after the user's fix).
import { execFileRunner, type ProcessRunner } from './processRunner';
import { describeEnvironment, type PythonEnvironment } from './pythonEnvironment';
import { hostPlatform, type Platform } from '../common/platform';
import { reportHasIpykernel, runProbe } from './pythonProbe';
import { shellQuote } from './shellQuote';

/** What is wrong with an environment. */
type EnvironmentProblem = 'missing' | 'no-ipykernel';

/**
 * An environment that cannot run this context's kernel. Nothing was started in another Python: the message names
 * the environment and the fix, and the user decides (workbench/reportError offers the fix in a terminal, or the
 * server's Python for this context only).
 */
export class EnvironmentNotReadyError extends Error {
  override readonly name = 'EnvironmentNotReadyError';
  /** The context whose start failed, once the registry knows it (for "use the server's Python for this context"). */
  contextId: string | undefined;

  constructor(
    readonly environment: PythonEnvironment,
    readonly problem: EnvironmentProblem,
    detail?: string,
  ) {
    super(describeProblem(environment, problem, detail));
  }

  /** The command that fixes a missing ipykernel; undefined when the environment itself is gone. */
  get fix(): string | undefined {
    return this.problem === 'no-ipykernel' ? installCommand(this.environment.python) : undefined;
  }
}

/** `<python> -m pip install ipykernel`, the path quoted by {@link shellQuote}. */
export function installCommand(python: string): string {
  return `${shellQuote(python)} -m pip install ipykernel`;
}

function describeProblem(env: PythonEnvironment, problem: EnvironmentProblem, detail: string | undefined): string {
  const which = `The Python environment ${env.label} (${env.root})`;
  const nothingElse = 'Nothing was started in another Python.';
  if (problem === 'missing') {
    return (
      `${which} no longer exists: ${env.python} is missing. ${nothingElse} Recreate the environment, or choose ` +
      'another kernel for this file (Kernel Islands: Select Kernel for This File…).'
    );
  }
  return (
    `${which} has no ipykernel, so it cannot run a kernel${detail ? ` (${detail})` : ''}. ${nothingElse} ` +
    `Fix: ${installCommand(env.python)}`
  );
}

const CHECK_TIMEOUT_MS = 20_000;

/** Throws {@link EnvironmentNotReadyError} when the interpreter is gone; never starts a process for that. */
export function assertEnvironmentExists(python: string, platform: Platform = hostPlatform()): void {
  if (!platform.fileSystem.isFile(python)) {
    throw new EnvironmentNotReadyError(describeEnvironment(python, platform), 'missing');
  }
}

/** Checks environments before their kernels start; one check per interpreter at a time, successes kept. */
export class EnvironmentChecker {
  private readonly passed = new Map<string, Promise<void>>();

  constructor(
    private readonly runner: ProcessRunner = execFileRunner,
    private readonly platform: Platform = hostPlatform(),
  ) {}

  /** Resolves when `python` exists and finds ipykernel; rejects with {@link EnvironmentNotReadyError} otherwise. */
  check(python: string): Promise<void> {
    try {
      assertEnvironmentExists(python, this.platform);
    } catch (err) {
      return Promise.reject(err as Error);
    }
    let check = this.passed.get(python);
    if (!check) {
      check = this.probe(python);
      this.passed.set(python, check);
      void check.catch(() => this.passed.delete(python));
    }
    return check;
  }

  private async probe(python: string): Promise<void> {
    const env = describeEnvironment(python, this.platform);
    const { result, report } = await runProbe(this.runner, python, CHECK_TIMEOUT_MS, 'presence');
    if (result.errorCode === 'ENOENT') {
      throw new EnvironmentNotReadyError(env, 'missing');
    }
    if (report) {
      if (reportHasIpykernel(report)) {
        return;
      }
      throw new EnvironmentNotReadyError(env, 'no-ipykernel');
    }
    const why = result.errorCode ?? (result.stderr.trim().split(/\r?\n/).pop() || `exit code ${String(result.code)}`);
    throw new Error(`Could not check the Python environment ${env.label} (${python}): ${why}.`);
  }
}
