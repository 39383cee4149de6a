import type { PythonFileSystem } from '../../../src/python/pythonFileSystem';

/** A machine with no files at all, except what `overrides` answer. */
export function fakePythonFileSystem(overrides: Partial<PythonFileSystem> = {}): PythonFileSystem {
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
