import type { FileSystem } from '../common/fileSystem';
import { findOnPath, hostPlatform, nativePath, pathKey, withParts, type Platform } from '../common/platform';
import { execFileRunner, type ProcessRunner } from './processRunner';
import { installedPythons, isSystemPython, pyLauncher, venvRootOf, type InstalledSource } from './pythonLayouts';
import { shellQuote } from './shellQuote';
import { MIN_VERSIONS, probePython, type ProbeFailure, type PythonVersions } from './pythonProbe';

/** Where a candidate interpreter came from, in the order they are tried. */
type PythonSource = 'setting' | 'python-extension' | 'PATH python3' | 'PATH python' | InstalledSource;

/** An interpreter that has jupyter_server and ipykernel. */
interface FoundPython {
  /** The path to run, as found (not resolved, so a venv stays a venv). */
  path: string;
  source: PythonSource;
  versions: PythonVersions;
}

/** One candidate that was looked at and why it was rejected. */
interface RejectedPython {
  path: string;
  source: PythonSource;
  failure: ProbeFailure;
  detail: string;
}

interface PythonFinderOptions {
  /** The `kernelIslands.pythonPath` setting; empty means unset. */
  settingPath?: string;
  /** The Python extension's active interpreter, if that extension is installed. */
  activeInterpreter?: () => Promise<string | undefined>;
  runner?: ProcessRunner;
  /** The machine to look on (its OS's layouts, PATH, home, files). Defaults to the host. */
  platform?: Platform;
  /** Replaces the platform's file system. */
  fileSystem?: FileSystem;
  /** Replaces the platform's environment (whose PATH is searched). */
  env?: NodeJS.ProcessEnv;
  /** Per-candidate probe timeout. */
  probeTimeoutMs?: number;
}

/** Finds a Python that can run the server; the function type lets callers inject a fixed answer. */
export type PythonFinder = () => Promise<FoundPython>;

const DEFAULT_PROBE_TIMEOUT_MS = 15_000;

/** Thrown when no candidate qualifies. The message lists every candidate and how to fix it. */
export class PythonNotFoundError extends Error {
  override readonly name = 'PythonNotFoundError';
  constructor(
    readonly rejected: readonly RejectedPython[],
    platform: Platform = hostPlatform(),
  ) {
    super(describeRejections(rejected, platform));
  }
}

/**
 * Tries, in order: the setting, the Python extension's interpreter, `python3` and `python` on PATH (with PATHEXT on
 * Windows), on Windows the `py -3` launcher's choice, then the platform's installed interpreters
 * (`python/pythonLayouts` `installedPythons`: on Linux `/usr/bin/python3` only). Returns the first that imports
 * jupyter_server and ipykernel in supported versions.
 */
export async function findPython(options: PythonFinderOptions = {}): Promise<FoundPython> {
  const platform = withParts(options.platform ?? hostPlatform(), { env: options.env, fileSystem: options.fileSystem });
  const runner = options.runner ?? execFileRunner;
  const timeoutMs = options.probeTimeoutMs ?? DEFAULT_PROBE_TIMEOUT_MS;
  const rejected: RejectedPython[] = [];
  const seen = new Set<string>();
  for await (const candidate of candidates(options, platform, runner, timeoutMs, rejected)) {
    const key = dedupeKey(candidate.path, platform);
    if (seen.has(key)) {
      continue;
    }
    seen.add(key);
    const outcome = await probePython(runner, candidate.path, timeoutMs);
    if (outcome.ok) {
      return { ...candidate, versions: outcome.versions };
    }
    rejected.push({ ...candidate, failure: outcome.failure, detail: outcome.detail });
  }
  throw new PythonNotFoundError(rejected, platform);
}

async function* candidates(
  options: PythonFinderOptions,
  platform: Platform,
  runner: ProcessRunner,
  timeoutMs: number,
  rejected: RejectedPython[],
): AsyncGenerator<{ path: string; source: PythonSource }> {
  const setting = options.settingPath?.trim();
  if (setting) {
    yield { path: nativePath(platform, setting), source: 'setting' };
  }
  const active = await askActiveInterpreter(options.activeInterpreter, rejected);
  if (active) {
    yield { path: nativePath(platform, active), source: 'python-extension' };
  }
  for (const [name, source] of [
    ['python3', 'PATH python3'],
    ['python', 'PATH python'],
  ] as const) {
    const found = findOnPath(platform, name);
    if (found) {
      yield { path: found, source };
    } else {
      rejected.push({ path: name, source, failure: 'not-found', detail: 'not on PATH' });
    }
  }
  const launcher = pyLauncher(platform);
  if (launcher) {
    const chosen = await askPyLauncher(launcher, runner, timeoutMs, rejected);
    if (chosen) {
      yield { path: chosen, source: 'py launcher' };
    }
  }
  yield* installedPythons(platform);
}

/** The interpreter `py -3` runs (the newest Python 3 the launcher knows, or its configured default). */
async function askPyLauncher(
  launcher: string,
  runner: ProcessRunner,
  timeoutMs: number,
  rejected: RejectedPython[],
): Promise<string | undefined> {
  const result = await runner(launcher, ['-3', '-c', 'import sys; print(sys.executable)'], { timeoutMs });
  const executable = result.code === 0 ? result.stdout.trim().split(/\r?\n/).pop()?.trim() : undefined;
  if (!executable) {
    const why = result.errorCode ?? (result.stderr.trim().split(/\r?\n/).pop() || `exit code ${String(result.code)}`);
    rejected.push({
      path: `${launcher} -3`,
      source: 'py launcher',
      failure: 'not-found',
      detail: `no Python 3: ${why}`,
    });
  }
  return executable || undefined;
}

async function askActiveInterpreter(
  ask: PythonFinderOptions['activeInterpreter'],
  rejected: RejectedPython[],
): Promise<string | undefined> {
  if (!ask) {
    return undefined;
  }
  try {
    return (await ask())?.trim() || undefined;
  } catch (err) {
    const detail = `the Python extension did not answer: ${err instanceof Error ? err.message : String(err)}`;
    rejected.push({ path: '(active interpreter)', source: 'python-extension', failure: 'not-found', detail });
    return undefined;
  }
}

/**
 * Same interpreter, same key. A venv's `python` is a symlink to its base interpreter but runs with
 * the venv's packages, so a venv keeps its own key instead of collapsing onto the base.
 */
function dedupeKey(python: string, platform: Platform): string {
  let real = python;
  try {
    real = pathKey(platform, platform.fileSystem.realpath(python));
  } catch {
    // Missing files keep their own name; the probe will report them as not found.
    return pathKey(platform, python);
  }
  const venvRoot = venvRootOf(python, platform);
  return venvRoot !== undefined ? `${real}|venv:${pathKey(platform, venvRoot)}` : real;
}

function describeRejections(rejected: readonly RejectedPython[], platform: Platform): string {
  const lines = rejected.map((r) => `  - ${r.path} (${r.source}): ${r.detail}`);
  return [
    `Kernel Islands needs a Python with jupyter_server >= ${MIN_VERSIONS.jupyterServer} and ipykernel >= ${MIN_VERSIONS.ipykernel}, and found none.`,
    'Tried:',
    ...(lines.length > 0 ? lines : ['  (no candidates)']),
    'Fix: install the packages into one of these interpreters, for example:',
    ...fixCommands(rejected, platform).map((cmd) => `  ${cmd}`),
    'or point the setting `kernelIslands.pythonPath` at a Python that has them.',
  ].join('\n');
}

function fixCommands(rejected: readonly RejectedPython[], platform: Platform): string[] {
  const runnable = rejected.filter((r) => r.failure !== 'not-found' && r.failure !== 'timeout');
  const own = runnable.find((r) => !isSystemPython(r.path));
  const newVenv =
    platform.os === 'win32'
      ? 'py -3 -m venv .venv; .venv\\Scripts\\python.exe -m pip install jupyter_server ipykernel'
      : 'python3 -m venv .venv && .venv/bin/python -m pip install jupyter_server ipykernel';
  const commands = [
    own ? `${shellQuote(own.path, platform)} -m pip install --upgrade jupyter_server ipykernel` : newVenv,
  ];
  // Debian/Ubuntu mark the system Python "externally managed": pip refuses there, apt works.
  if (platform.os === 'linux' && runnable.some((r) => isSystemPython(r.path))) {
    commands.push('sudo apt-get install python3-jupyter-server python3-ipykernel   (Debian/Ubuntu system Python)');
  }
  return commands;
}
