import type { FileSystem } from '../../../src/common/fileSystem';

/** A machine with no files at all, except what `overrides` answer. */
export function fakePythonFileSystem(overrides: Partial<FileSystem> = {}): FileSystem {
  return {
    exists: () => false,
    isFile: () => false,
    isDirectory: () => false,
    isExecutable: () => false,
    realpath: (p) => {
      throw Object.assign(new Error(`ENOENT: ${p}`), { code: 'ENOENT' });
    },
    readFile: () => undefined,
    readDir: () => [],
    ...overrides,
  };
}
