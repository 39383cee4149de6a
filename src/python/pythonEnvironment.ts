// A project's Python environment as a kernel: its kernel name (which the launcher resolves to a kernelspec that
// exists only for the server's lifetime, see server_patches.py `environment_kernel_specs`) and what people see of it.
import * as path from 'node:path';
import { hostPlatform, type Platform } from '../common/platform';
import { environmentRootOf } from './pythonLayouts';
import { LOCAL_SERVER } from '../jupyter/types';

/** Kernel names of project environments: `ki-env-` and the interpreter's path in hex (server_patches.py reads it back). */
const ENVIRONMENT_KERNEL_PREFIX = 'ki-env-';

/** The kernel name whose kernels run `python -m ipykernel_launcher` on the local server. */
export function environmentKernelName(python: string): string {
  return ENVIRONMENT_KERNEL_PREFIX + Buffer.from(python, 'utf8').toString('hex');
}

/** The interpreter an environment kernel name stands for; undefined for every other kernel name. */
export function pythonOfKernelName(kernelName: string | undefined): string | undefined {
  if (!kernelName?.startsWith(ENVIRONMENT_KERNEL_PREFIX)) {
    return undefined;
  }
  const hex = kernelName.slice(ENVIRONMENT_KERNEL_PREFIX.length);
  if (hex === '' || !/^(?:[0-9a-f]{2})+$/.test(hex)) {
    return undefined;
  }
  const python = Buffer.from(hex, 'hex').toString('utf8');
  return path.isAbsolute(python) ? python : undefined;
}

/** True for a kernel name that runs in a project's environment. */
export function isEnvironmentKernel(kernelName: string | undefined): boolean {
  return pythonOfKernelName(kernelName) !== undefined;
}

/** The environment an environment kernel runs in; undefined for every other kernel name. */
export function environmentOfKernel(kernelName: string | undefined): PythonEnvironment | undefined {
  const python = pythonOfKernelName(kernelName);
  return python === undefined ? undefined : describeEnvironment(python);
}

/** The kernel's name for people: an environment's kernel is an IPython kernel, `python3`, as Jupyter calls it. */
export function kernelDisplayName(kernelName: string): string {
  return isEnvironmentKernel(kernelName) ? 'python3' : kernelName;
}

/**
 * A kernel name as titles and lists show it: an environment's kernel as its environment and `python3`
 * (`.venv (3.13) · python3`), never the `ki-env-…` name that carries its interpreter; any other name as it is.
 */
export function kernelDescription(kernelName: string): string {
  return describeKernel(kernelName, environmentOfKernel(kernelName));
}

function describeKernel(kernelName: string, environment: PythonEnvironment | undefined): string {
  return environment ? `${environment.label} · ${kernelDisplayName(kernelName)}` : kernelName;
}

/**
 * The one "server · kernel" label (status bar, Kernels view, kernel picker, agent results): the server, then the
 * kernel as `kernelDescription` words it: `remote-a · python3`, `local · .venv (3.13) · python3`. `omitLocal`
 * leaves the server out when it is the local one (the Kernels view: `python3`, `.venv (3.13) · python3`).
 * `environment`, when given, is the one the context reports (the registry's `ContextInfo.environment`); else the
 * kernel name's.
 */
export function serverKernelLabel(
  kernel: { server: string; kernelName: string; environment?: PythonEnvironment },
  options: { omitLocal?: boolean } = {},
): string {
  const described = describeKernel(kernel.kernelName, kernel.environment ?? environmentOfKernel(kernel.kernelName));
  return options.omitLocal && kernel.server === LOCAL_SERVER ? described : `${kernel.server} · ${described}`;
}

/** A Python environment as people see it. */
export interface PythonEnvironment {
  /** The interpreter kernels run (`/p/proj-a/.venv/bin/python`), as found (a venv's link is not resolved). */
  python: string;
  /** The environment's folder (`/p/proj-a/.venv`): the interpreter's `bin/` (or `Scripts\`) folder's parent. */
  root: string;
  /** Its short name: the folder's name (`.venv`, `venv`, a conda env's name). */
  name: string;
  /** The Python version when the environment records it (`3.11.2`); read from files, no process is started. */
  version?: string;
  /** `name (major.minor)`, as the status bar shows it: `.venv (3.13)`. */
  label: string;
}

const described = new Map<string, PythonEnvironment>();

/** What an interpreter's environment is called and which Python it is; cached (files only, no process). */
export function describeEnvironment(python: string, platform: Platform = hostPlatform()): PythonEnvironment {
  let env = described.get(python);
  if (!env) {
    const root = environmentRootOf(python, platform);
    const version = versionOf(root, platform);
    const name = platform.path.basename(root) || root;
    env = { python, root, name, version, label: version ? `${name} (${majorMinor(version)})` : name };
    described.set(python, env);
  }
  return env;
}

/** Forgets what was read about environments (one was created, deleted or changed). */
export function forgetDescribedEnvironments(): void {
  described.clear();
}

/** `3.13` of `3.13.1`. */
function majorMinor(version: string): string {
  return version.split('.').slice(0, 2).join('.');
}

/** A venv's `pyvenv.cfg` (`version` or `version_info`), a conda env's python package record, or `lib/pythonX.Y`. */
function versionOf(root: string, platform: Platform): string | undefined {
  const { fileSystem, path } = platform;
  const cfg = fileSystem.readFile(path.join(root, 'pyvenv.cfg'));
  const fromCfg = cfg && /^\s*version(?:_info)?\s*=\s*(\d+\.\d+(?:\.\d+)?)/m.exec(cfg)?.[1];
  if (fromCfg) {
    return fromCfg;
  }
  const conda = fileSystem
    .readDir(path.join(root, 'conda-meta'))
    .map((f) => /^python-(\d+\.\d+(?:\.\d+)?)-.*\.json$/.exec(f)?.[1])
    .find((v) => v !== undefined);
  if (conda) {
    return conda;
  }
  return fileSystem
    .readDir(path.join(root, 'lib'))
    .map((f) => /^python(\d+\.\d+)$/.exec(f)?.[1])
    .find((v) => v !== undefined);
}
