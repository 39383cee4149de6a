import * as os from 'node:os';
import * as path from 'node:path';
import { nodeFileSystem, type FileSystem } from './fileSystem';

/**
 * The one platform seam: which operating system the code runs on, its path rules, its environment, the user's home
 * and the file system, as one value that discovery (`python/pythonLayouts`, `pythonFinder`, `environmentDiscovery`),
 * process code (`jupyter/processTree`) and paths shown to people take instead of reading `process.platform`,
 * `process.env` or `node:path` themselves. Production code gets {@link hostPlatform}; unit tests hand in
 * {@link platformFor} a Windows or macOS machine (its `PATH`, `PATHEXT`, home and a fake file system) on Linux.
 * This file is the only reader of `process.platform` in `src/`.
 *
 * What stays outside on purpose, checked by a grep of `src/` for `process.platform`, `/proc`, `/usr/bin`, `SIGINT`
 * and `process.kill(-`:
 * - `jupyter/processTree` holds `/proc` as the Linux implementation of the process table (macOS: `ps`, Windows:
 *   `Get-CimInstance Win32_Process`), chosen by this seam's `os`; `python/pythonLayouts` holds `/usr/bin/python3`
 *   as Linux's and macOS's system interpreter.
 * - `mcp/cli` listens for SIGINT, SIGTERM and SIGHUP: Node's portable process events (Windows raises SIGINT on
 *   Ctrl+C and SIGHUP when the console closes; SIGTERM never comes there, and listening costs nothing).
 * - `python/processRunner` kills a timed-out probe with `SIGKILL`, which Node turns into TerminateProcess on Windows.
 * - User-facing words about an ignored interrupt say "Ctrl+C (SIGINT)": that is what ipykernel raises in the running
 *   code on every platform (on Windows the server signals the kernel's interrupt event, and ipykernel raises
 *   KeyboardInterrupt the same way). Interrupts always go through the server (`/api/kernels/<id>/interrupt`);
 *   nothing here sends a signal to a kernel or a process group.
 * - `mcp/workFiles` asks `/proc/self/fd` where an opened file really is on Linux only (through this seam's `os`);
 *   elsewhere there is no portable way to ask and the earlier checks stand alone.
 */
export interface Platform {
  readonly os: NodeJS.Platform;
  /** `path.win32` on Windows, `path.posix` elsewhere: joins, `sep`, and `delimiter` (PATH's separator). */
  readonly path: path.PlatformPath;
  /** The environment (PATH, PATHEXT, LOCALAPPDATA, CONDA_PREFIX, …). Read it with {@link envValue}. */
  readonly env: NodeJS.ProcessEnv;
  /** The user's home folder (`~`, `%USERPROFILE%`). */
  readonly home: string;
  readonly fileSystem: FileSystem;
}

/** The parts of a platform a caller may give; the rest are the host's. */
export interface PlatformParts {
  env?: NodeJS.ProcessEnv;
  home?: string;
  fileSystem?: FileSystem;
}

/** A platform for `os`: a simulated one in unit tests (with its own env, home and file system), the host's in production. */
export function platformFor(osName: NodeJS.Platform, parts: PlatformParts = {}): Platform {
  return {
    os: osName,
    path: osName === 'win32' ? path.win32 : path.posix,
    env: parts.env ?? process.env,
    home: parts.home ?? os.homedir(),
    fileSystem: parts.fileSystem ?? nodeFileSystem,
  };
}

/** The machine this process runs on; `parts` replace its environment, home or file system (tests, a server's env). */
export function hostPlatform(parts: PlatformParts = {}): Platform {
  return platformFor(process.platform, parts);
}

/** A platform with some parts replaced. */
export function withParts(platform: Platform, parts: PlatformParts): Platform {
  return {
    ...platform,
    ...(parts.env ? { env: parts.env } : {}),
    ...(parts.home !== undefined ? { home: parts.home } : {}),
    ...(parts.fileSystem ? { fileSystem: parts.fileSystem } : {}),
  };
}

/** An environment variable; on Windows names are case-insensitive (`Path` is `PATH`), as the system treats them. */
export function envValue(platform: Platform, name: string): string | undefined {
  if (platform.os !== 'win32') {
    return platform.env[name];
  }
  const upper = name.toUpperCase();
  const key = Object.keys(platform.env).find((k) => k.toUpperCase() === upper);
  return key === undefined ? undefined : platform.env[key];
}

/** Windows' default PATHEXT, used when the variable is unset. */
const DEFAULT_PATHEXT = '.COM;.EXE;.BAT;.CMD';

/** The endings a command name may be run with: PATHEXT's on Windows (lower case), only the name itself elsewhere. */
export function executableEndings(platform: Platform): string[] {
  if (platform.os !== 'win32') {
    return [''];
  }
  return (envValue(platform, 'PATHEXT') || DEFAULT_PATHEXT)
    .split(';')
    .map((ext) => ext.trim().toLowerCase())
    .filter((ext) => ext.startsWith('.'));
}

/**
 * Looks `name` up on PATH as the system's shell would: each folder in order, the first executable file wins. On
 * Windows each PATHEXT ending is tried (`python` finds `python.exe`; a name that already has one of them is also
 * tried as it is), PATH's folders may be quoted, and the variable may be spelled `Path`.
 */
export function findOnPath(platform: Platform, name: string): string | undefined {
  const endings = executableEndings(platform);
  const tried = endings.some((ext) => ext !== '' && name.toLowerCase().endsWith(ext)) ? ['', ...endings] : endings;
  for (const entry of (envValue(platform, 'PATH') ?? '').split(platform.path.delimiter)) {
    const dir = platform.os === 'win32' ? entry.trim().replace(/^"(.*)"$/, '$1') : entry;
    if (!dir) {
      continue;
    }
    for (const ending of tried) {
      const candidate = platform.path.join(dir, name + ending);
      if (platform.fileSystem.isExecutable(candidate)) {
        return candidate;
      }
    }
  }
  return undefined;
}

/**
 * The key two paths to one file share: on Windows, paths are case-insensitive and `/` is `\`
 * (`c:/Proj/a.py` and `C:\proj\A.py` are one file), so the key is normalized and lower-cased; elsewhere it is the
 * path as given (case matters, and macOS's case-insensitive volumes are not told apart from case-sensitive ones).
 */
export function pathKey(platform: Platform, p: string): string {
  return platform.os === 'win32' ? platform.path.normalize(p).toLowerCase() : p;
}

/**
 * A path as the platform writes it: on Windows with `\` and an upper-case drive (`C:\proj\a.py`, not
 * `c:/proj/a.py`, as settings and other extensions may give it), so people see Windows paths and one file is
 * spelled one way; elsewhere as given.
 */
export function nativePath(platform: Platform, p: string): string {
  if (platform.os !== 'win32') {
    return p;
  }
  const native = platform.path.normalize(p);
  // A drive letter in upper case, as Explorer and the shell show it.
  return /^[a-z]:/.test(native) ? native[0].toUpperCase() + native.slice(1) : native;
}
