// Where Python lives on each platform: the one place that knows the layouts, for both chains (the server finder,
// `pythonFinder`, and each project's environment, `environmentDiscovery`, with `pythonEnvironment`'s descriptions).
// Everything here is file checks through the platform seam (`common/platform`), so unit tests lay out a Windows or
// macOS machine on Linux. Linux is as it always was: PATH, then /usr/bin/python3.
import { envValue, findOnPath, type Platform } from '../common/platform';

/** Where an installed interpreter (not one on PATH, not the setting) was found. */
export type InstalledSource =
  'py launcher' | 'python.org' | 'Microsoft Store' | 'Homebrew' | 'pyenv' | 'conda' | 'system';

export interface InstalledPython {
  path: string;
  source: InstalledSource;
}

/** The system interpreter of Linux and macOS (on macOS the command line tools' Python). */
const SYSTEM_PYTHON = '/usr/bin/python3';

/** Conda base installs' folder names in the home folder (Anaconda, Miniconda, Miniforge, Mambaforge). */
const CONDA_NAMES = ['miniconda3', 'anaconda3', 'miniforge3', 'mambaforge'] as const;

/** Project environment folders discovery looks for in a file's folder and its parents. */
export const PROJECT_ENVIRONMENT_FOLDERS = ['.venv', 'venv'] as const;

/**
 * Where an environment folder holds its interpreter, relative with `/`, on every platform (for file watchers:
 * {@link pythonInEnvironment} picks the one of the platform).
 */
export const ENVIRONMENT_INTERPRETERS = ['bin/python', 'Scripts/python.exe', 'python.exe'] as const;

/**
 * The interpreter inside an environment folder: `Scripts\python.exe` (a venv) or `python.exe` (a conda env) on
 * Windows, whichever is there (a venv's when neither is); `bin/python` elsewhere (venvs and conda envs alike).
 */
export function pythonInEnvironment(root: string, platform: Platform): string {
  const p = platform.path;
  if (platform.os !== 'win32') {
    return p.join(root, 'bin', 'python');
  }
  const venv = p.join(root, 'Scripts', 'python.exe');
  const conda = p.join(root, 'python.exe');
  return !platform.fileSystem.isFile(venv) && platform.fileSystem.isFile(conda) ? conda : venv;
}

/** The folder an interpreter's `bin` (or Windows `Scripts`) folder is in; undefined for one outside such a folder. */
function rootAboveBin(python: string, platform: Platform): string | undefined {
  const binDir = platform.path.dirname(python);
  return ['bin', 'scripts'].includes(platform.path.basename(binDir).toLowerCase())
    ? platform.path.dirname(binDir)
    : undefined;
}

/** The environment folder of an interpreter: above its `bin` or `Scripts` folder, else its own folder (conda on Windows). */
export function environmentRootOf(python: string, platform: Platform): string {
  return rootAboveBin(python, platform) ?? platform.path.dirname(python);
}

/**
 * The venv an interpreter runs in (the root above its `bin` holds `pyvenv.cfg`), or undefined. Both the server finder
 * (a venv's python links to its base but is another interpreter) and discovery's descriptions go by this layout.
 */
export function venvRootOf(python: string, platform: Platform): string | undefined {
  const root = rootAboveBin(platform.path.resolve(python), platform);
  return root !== undefined && platform.fileSystem.exists(platform.path.join(root, 'pyvenv.cfg')) ? root : undefined;
}

/** The Python launcher for Windows (`py.exe`: on PATH, or where the python.org installer puts it); undefined elsewhere. */
export function pyLauncher(platform: Platform): string | undefined {
  if (platform.os !== 'win32') {
    return undefined;
  }
  const localAppData = envValue(platform, 'LOCALAPPDATA');
  const systemRoot = envValue(platform, 'SystemRoot');
  const fixed = [
    localAppData && platform.path.join(localAppData, 'Programs', 'Python', 'Launcher', 'py.exe'),
    systemRoot && platform.path.join(systemRoot, 'py.exe'),
  ];
  return findOnPath(platform, 'py') ?? fixed.find((p): p is string => !!p && platform.fileSystem.isExecutable(p));
}

/**
 * Installed interpreters the server finder tries after PATH, in order, each only when its file is there (except
 * the system Python, always last on Linux and macOS, as before):
 * - Windows: python.org installs per user (`%LOCALAPPDATA%\Programs\Python\Python3XY`) then for all users
 *   (`%ProgramFiles%\Python3XY`), newest first; the Microsoft Store's `python3.exe` alias in
 *   `%LOCALAPPDATA%\Microsoft\WindowsApps`; conda bases (`%USERPROFILE%\miniconda3\python.exe`, …,
 *   `%ProgramData%\miniconda3`). The `py -3` launcher is asked by the finder itself (it has to run it).
 * - macOS: Homebrew (`/opt/homebrew` on Apple silicon, `/usr/local` on Intel), python.org framework builds
 *   (`/Library/Frameworks/Python.framework/Versions/X.Y/bin/python3`, newest first), pyenv's shim, conda bases in the
 *   home folder, `/opt` and Homebrew's Caskroom, then `/usr/bin/python3`.
 * - Linux: `/usr/bin/python3`.
 */
export function installedPythons(platform: Platform): InstalledPython[] {
  switch (platform.os) {
    case 'win32':
      return present(platform, windowsInstalls(platform));
    case 'darwin':
      return [...present(platform, macInstalls(platform)), { path: SYSTEM_PYTHON, source: 'system' }];
    default:
      return [{ path: SYSTEM_PYTHON, source: 'system' }];
  }
}

/** True for the system Python of Linux or macOS (whose packages the system's package manager owns). */
export function isSystemPython(python: string): boolean {
  return python.startsWith('/usr/bin/');
}

function present(platform: Platform, candidates: InstalledPython[]): InstalledPython[] {
  return candidates.filter((c) => c.source === 'Microsoft Store' || platform.fileSystem.isExecutable(c.path));
}

function windowsInstalls(platform: Platform): InstalledPython[] {
  const p = platform.path;
  const localAppData = envValue(platform, 'LOCALAPPDATA') ?? p.join(platform.home, 'AppData', 'Local');
  const programFiles = envValue(platform, 'ProgramFiles');
  const programData = envValue(platform, 'ProgramData');
  const pythonOrg = [p.join(localAppData, 'Programs', 'Python'), programFiles].flatMap((dir) =>
    dir ? newestFirst(platform, dir, /^Python3(\d+)(?:-(?:32|arm64))?$/i).map((d) => p.join(dir, d, 'python.exe')) : [],
  );
  // The Store's app execution alias is a reparse point a stat does not see as a file; its folder lists it.
  const windowsApps = p.join(localAppData, 'Microsoft', 'WindowsApps');
  const store = platform.fileSystem.readDir(windowsApps).some((f) => f.toLowerCase() === 'python3.exe')
    ? [{ path: p.join(windowsApps, 'python3.exe'), source: 'Microsoft Store' as const }]
    : [];
  const condaBases = [
    ...CONDA_NAMES.map((name) => p.join(platform.home, name)),
    ...(programData ? CONDA_NAMES.map((name) => p.join(programData, name)) : []),
  ];
  return [
    ...pythonOrg.map((path) => ({ path, source: 'python.org' as const })),
    ...store,
    ...condaBases.map((base) => ({ path: p.join(base, 'python.exe'), source: 'conda' as const })),
  ];
}

function macInstalls(platform: Platform): InstalledPython[] {
  const p = platform.path;
  const frameworks = '/Library/Frameworks/Python.framework/Versions';
  const pyenvRoot = envValue(platform, 'PYENV_ROOT') || p.join(platform.home, '.pyenv');
  const condaBases = [
    ...CONDA_NAMES.map((name) => p.join(platform.home, name)),
    ...CONDA_NAMES.map((name) => p.join('/opt', name)),
    '/opt/homebrew/Caskroom/miniconda/base',
    '/opt/homebrew/Caskroom/miniforge/base',
    '/usr/local/Caskroom/miniconda/base',
    '/usr/local/Caskroom/miniforge/base',
  ];
  return [
    { path: '/opt/homebrew/bin/python3', source: 'Homebrew' },
    { path: '/usr/local/bin/python3', source: 'Homebrew' },
    ...newestFirst(platform, frameworks, /^3\.(\d+)$/).map((v) => ({
      path: p.join(frameworks, v, 'bin', 'python3'),
      source: 'python.org' as const,
    })),
    { path: p.join(pyenvRoot, 'shims', 'python3'), source: 'pyenv' },
    ...condaBases.map((base) => ({ path: p.join(base, 'bin', 'python'), source: 'conda' as const })),
  ];
}

/** The entries of `dir` whose names match `pattern`, by the number its first group captures, highest first. */
function newestFirst(platform: Platform, dir: string, pattern: RegExp): string[] {
  return platform.fileSystem
    .readDir(dir)
    .map((name) => ({ name, minor: pattern.exec(name)?.[1] }))
    .filter((e): e is { name: string; minor: string } => e.minor !== undefined)
    .sort((a, b) => Number(b.minor) - Number(a.minor))
    .map((e) => e.name);
}
