// Which Python environment a document or notebook runs in, found without starting a process: a few file checks,
// cached per folder, so it answers at once (the status bar asks on every editor change).
import { envValue, hostPlatform, nativePath, pathKey, type Platform } from '../common/platform';
import { describeEnvironment, forgetDescribedEnvironments, type PythonEnvironment } from './pythonEnvironment';
import { PROJECT_ENVIRONMENT_FOLDERS, pythonInEnvironment } from './pythonLayouts';

/** Which discovery step found an environment, in the order they are tried. */
type EnvironmentSource = 'setting' | 'python-extension' | 'folder' | 'CONDA_PREFIX' | 'VIRTUAL_ENV';

/** What discovery is asked about one document or notebook. */
interface EnvironmentQuery {
  /** The folder of the file or notebook. */
  dir: string;
  /** Its workspace folder: the walk up the parents stops there. Undefined: only `dir` itself is looked at. */
  stopAt?: string;
  /** The folder's own `kernelIslands.pythonPath` (workspace or folder value), if set. */
  setting?: string;
  /** The Python extension's interpreter for the resource, when it can answer without waiting. */
  pythonExtension?: () => string | undefined;
}

export interface FoundEnvironment extends PythonEnvironment {
  source: EnvironmentSource;
}

/**
 * Finds a document's environment, in this order: the folder's `kernelIslands.pythonPath`; the Python extension's
 * environment for it; `.venv/` or `venv/` in its folder or a parent up to the workspace folder; an active
 * `CONDA_PREFIX` or `VIRTUAL_ENV`. Undefined means the server's own Python (no environment of its own).
 * The folder walk and the variables are cached per folder until {@link invalidate} (an environment folder was
 * created or deleted). The platform says how an environment folder holds its interpreter (`bin/python`; on Windows
 * a venv's `Scripts\python.exe` or a conda env's `python.exe`, `python/pythonLayouts`).
 */
export class EnvironmentDiscovery {
  private readonly byFolder = new Map<string, FoundEnvironment | undefined>();
  private readonly seen = new Map<string, FoundEnvironment>();

  constructor(private readonly platform: Platform = hostPlatform()) {}

  find(query: EnvironmentQuery): FoundEnvironment | undefined {
    const found =
      this.fromInterpreter(query.setting, 'setting') ??
      this.fromInterpreter(safely(query.pythonExtension), 'python-extension') ??
      this.fromFolders(query.dir, query.stopAt);
    if (found) {
      this.seen.set(found.python, found);
    }
    return found;
  }

  /** Every environment found so far in this window, for pickers (newest answers win). */
  known(): FoundEnvironment[] {
    return [...this.seen.values()].filter((env) => this.platform.fileSystem.isFile(env.python));
  }

  /** Forgets the folder walks (an environment folder was created or deleted). */
  invalidate(): void {
    this.byFolder.clear();
    this.seen.clear();
    forgetDescribedEnvironments();
  }

  /** An interpreter path, or an environment folder (the Python extension may answer either). */
  private fromInterpreter(value: string | undefined, source: EnvironmentSource): FoundEnvironment | undefined {
    const trimmed = value?.trim();
    if (!trimmed) {
      return undefined;
    }
    const given = nativePath(this.platform, trimmed);
    const python = this.platform.fileSystem.isDirectory(given) ? pythonInEnvironment(given, this.platform) : given;
    return { ...describeEnvironment(python, this.platform), source };
  }

  private fromFolders(dir: string, stopAt: string | undefined): FoundEnvironment | undefined {
    const key = `${dir}\0${stopAt ?? ''}`;
    if (this.byFolder.has(key)) {
      return this.byFolder.get(key);
    }
    const found = this.walk(dir, stopAt) ?? this.fromVariables();
    this.byFolder.set(key, found);
    return found;
  }

  private walk(dir: string, stopAt: string | undefined): FoundEnvironment | undefined {
    const { path } = this.platform;
    const top = pathKey(
      this.platform,
      stopAt !== undefined && isInside(dir, stopAt, this.platform) ? path.resolve(stopAt) : path.resolve(dir),
    );
    for (let current = path.resolve(dir); ; current = path.dirname(current)) {
      for (const name of PROJECT_ENVIRONMENT_FOLDERS) {
        const python = pythonInEnvironment(path.join(current, name), this.platform);
        if (this.platform.fileSystem.isFile(python)) {
          return { ...describeEnvironment(python, this.platform), source: 'folder' };
        }
      }
      if (pathKey(this.platform, current) === top || path.dirname(current) === current) {
        return undefined;
      }
    }
  }

  private fromVariables(): FoundEnvironment | undefined {
    for (const variable of ['CONDA_PREFIX', 'VIRTUAL_ENV'] as const) {
      const root = envValue(this.platform, variable)?.trim();
      const python = root ? pythonInEnvironment(root, this.platform) : undefined;
      if (python && this.platform.fileSystem.isFile(python)) {
        return { ...describeEnvironment(python, this.platform), source: variable };
      }
    }
    return undefined;
  }
}

function isInside(child: string, parent: string, { path }: Platform): boolean {
  const rel = path.relative(path.resolve(parent), path.resolve(child));
  return rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel));
}

function safely(ask: (() => string | undefined) | undefined): string | undefined {
  try {
    return ask?.();
  } catch {
    // The Python extension failed to answer: the next steps decide.
    return undefined;
  }
}
