// The file checks platform code makes (Python discovery: the server finder, project environment discovery, the
// environment check; the platform seam's layouts), behind one interface so unit tests can lay out fake interpreters and
// environments. Synchronous: discovery answers the status bar at once, and a stat is cheap next to the probes the finder starts.
import * as fs from 'node:fs';

export interface FileSystem {
  /** Anything is there (a link counts when its target is). */
  exists(p: string): boolean;
  /** A regular file, following links (a dangling link, as a deleted venv's python is, is not). */
  isFile(p: string): boolean;
  isDirectory(p: string): boolean;
  /** A regular file this process may run. */
  isExecutable(p: string): boolean;
  /** The path with every link resolved; throws when it does not exist. */
  realpath(p: string): string;
  /** A text file's content, or undefined when it cannot be read. */
  readFile(p: string): string | undefined;
  /** A folder's entries, or none when it cannot be read. */
  readDir(p: string): string[];
}

export const nodeFileSystem: FileSystem = {
  exists: (p) => fs.existsSync(p),
  isFile: (p) => statOf(p)?.isFile() ?? false,
  isDirectory: (p) => statOf(p)?.isDirectory() ?? false,
  isExecutable: (p) => (statOf(p)?.isFile() ?? false) && canRun(p),
  realpath: (p) => fs.realpathSync(p),
  readFile: (p) => {
    try {
      return fs.readFileSync(p, 'utf8');
    } catch {
      // No such file (or not readable): the caller treats it as absent.
      return undefined;
    }
  },
  readDir: (p) => {
    try {
      return fs.readdirSync(p);
    } catch {
      // No such folder: nothing in it.
      return [];
    }
  },
};

function statOf(p: string): fs.Stats | undefined {
  try {
    return fs.statSync(p);
  } catch {
    // Missing, or a dangling link: not there.
    return undefined;
  }
}

function canRun(p: string): boolean {
  try {
    fs.accessSync(p, fs.constants.X_OK);
    return true;
  } catch {
    // Not executable for this process.
    return false;
  }
}
