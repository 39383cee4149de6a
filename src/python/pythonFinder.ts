import * as path from 'node:path';
import { execFileRunner, type ProcessRunner } from './processRunner';
import { venvRootOf } from './pythonEnvironment';
import { nodePythonFileSystem, type PythonFileSystem } from './pythonFileSystem';
import { shellQuote } from './shellQuote';
import { MIN_VERSIONS, probePython, type ProbeFailure, type PythonVersions } from './pythonProbe';

/** Where a candidate interpreter came from, in the order they are tried. */
type PythonSource = 'setting' | 'python-extension' | 'PATH python3' | 'PATH python' | 'system';

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
  fileSystem?: PythonFileSystem;
  /** Environment whose PATH is searched. Defaults to `process.env`. */
  env?: NodeJS.ProcessEnv;
  /** Per-candidate probe timeout. */
  probeTimeoutMs?: number;
}

/** Finds a Python that can run the server; the function type lets callers inject a fixed answer. */
export type PythonFinder = () => Promise<FoundPython>;

const SYSTEM_PYTHON = '/usr/bin/python3';
const DEFAULT_PROBE_TIMEOUT_MS = 15_000;

/** Thrown when no candidate qualifies. The message lists every candidate and how to fix it. */
export class PythonNotFoundError extends Error {
  override readonly name = 'PythonNotFoundError';
  constructor(readonly rejected: readonly RejectedPython[]) {
    super(describeRejections(rejected));
  }
}

/**
 * Tries, in order: the setting, the Python extension's interpreter, `python3` and `python` on PATH,
 * `/usr/bin/python3`. Returns the first that imports jupyter_server and ipykernel in supported versions.
 */
export async function findPython(options: PythonFinderOptions = {}): Promise<FoundPython> {
  const fileSystem = options.fileSystem ?? nodePythonFileSystem;
  const runner = options.runner ?? execFileRunner;
  const timeoutMs = options.probeTimeoutMs ?? DEFAULT_PROBE_TIMEOUT_MS;
  const rejected: RejectedPython[] = [];
  const seen = new Set<string>();
  for await (const candidate of candidates(options, fileSystem, rejected)) {
    const key = await dedupeKey(candidate.path, fileSystem);
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
  throw new PythonNotFoundError(rejected);
}

async function* candidates(
  options: PythonFinderOptions,
  fileSystem: PythonFileSystem,
  rejected: RejectedPython[],
): AsyncGenerator<{ path: string; source: PythonSource }> {
  const setting = options.settingPath?.trim();
  if (setting) {
    yield { path: setting, source: 'setting' };
  }
  const active = await askActiveInterpreter(options.activeInterpreter, rejected);
  if (active) {
    yield { path: active, source: 'python-extension' };
  }
  for (const [name, source] of [
    ['python3', 'PATH python3'],
    ['python', 'PATH python'],
  ] as const) {
    const found = await whichOnPath(name, options.env ?? process.env, fileSystem);
    if (found) {
      yield { path: found, source };
    } else {
      rejected.push({ path: name, source, failure: 'not-found', detail: 'not on PATH' });
    }
  }
  yield { path: SYSTEM_PYTHON, source: 'system' };
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

/** Looks `name` up on PATH like a shell would: the first executable file wins. */
async function whichOnPath(
  name: string,
  env: NodeJS.ProcessEnv,
  fileSystem: PythonFileSystem,
): Promise<string | undefined> {
  for (const dir of (env.PATH ?? '').split(path.delimiter)) {
    if (dir) {
      const candidate = path.join(dir, name);
      if (fileSystem.isExecutable(candidate)) {
        return candidate;
      }
    }
  }
  return undefined;
}

/**
 * Same interpreter, same key. A venv's `python` is a symlink to its base interpreter but runs with
 * the venv's packages, so a venv keeps its own key instead of collapsing onto the base.
 */
async function dedupeKey(python: string, fileSystem: PythonFileSystem): Promise<string> {
  let real = python;
  try {
    real = fileSystem.realpath(python);
  } catch {
    // Missing files keep their own name; the probe will report them as not found.
    return python;
  }
  const venvRoot = venvRootOf(python, fileSystem);
  return venvRoot !== undefined ? `${real}|venv:${venvRoot}` : real;
}

function describeRejections(rejected: readonly RejectedPython[]): string {
  const lines = rejected.map((r) => `  - ${r.path} (${r.source}): ${r.detail}`);
  return [
    `Kernel Islands needs a Python with jupyter_server >= ${MIN_VERSIONS.jupyterServer} and ipykernel >= ${MIN_VERSIONS.ipykernel}, and found none.`,
    'Tried:',
    ...(lines.length > 0 ? lines : ['  (no candidates)']),
    'Fix: install the packages into one of these interpreters, for example:',
    ...fixCommands(rejected).map((cmd) => `  ${cmd}`),
    'or point the setting `kernelIslands.pythonPath` at a Python that has them.',
  ].join('\n');
}

function fixCommands(rejected: readonly RejectedPython[]): string[] {
  const runnable = rejected.filter((r) => r.failure !== 'not-found' && r.failure !== 'timeout');
  const isSystem = (p: string) => p.startsWith('/usr/bin/');
  const own = runnable.find((r) => !isSystem(r.path));
  const commands = [
    own
      ? `${shellQuote(own.path)} -m pip install --upgrade jupyter_server ipykernel`
      : 'python3 -m venv .venv && .venv/bin/python -m pip install jupyter_server ipykernel',
  ];
  // Debian/Ubuntu mark the system Python "externally managed": pip refuses there, apt works.
  if (process.platform === 'linux' && runnable.some((r) => isSystem(r.path))) {
    commands.push('sudo apt-get install python3-jupyter-server python3-ipykernel   (Debian/Ubuntu system Python)');
  }
  return commands;
}
