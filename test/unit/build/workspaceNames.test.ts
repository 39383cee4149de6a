import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join, relative } from 'node:path';
import { writeWorkspace } from '../../../bench/ui/workspace';

const REPO = join(__dirname, '..', '..', '..');

/**
 * The standard library's top-level module names, as the Python the kernels run knows them
 * (`sys.stdlib_module_names`, Python 3.10+).
 */
function stdlibModules(): Set<string> {
  const out = execFileSync('/usr/bin/python3', ['-c', 'import sys; print("\\n".join(sys.stdlib_module_names))'], {
    encoding: 'utf8',
  });
  return new Set(out.split('\n').filter(Boolean));
}

/**
 * The names a folder offers to `import` when it is a kernel's working directory (first on `sys.path`): its
 * `name.py` files and its `name/__init__.py` packages, in the folder and below (a subfolder a file there runs in).
 */
function importableNames(folder: string): Array<{ name: string; file: string }> {
  const found: Array<{ name: string; file: string }> = [];
  for (const entry of readdirSync(folder, { withFileTypes: true })) {
    const path = join(folder, entry.name);
    if (entry.isDirectory()) {
      if (existsSync(join(path, '__init__.py'))) {
        found.push({ name: entry.name, file: path });
      }
      found.push(...importableNames(path));
    } else if (entry.name.endsWith('.py')) {
      found.push({ name: entry.name.slice(0, -3), file: path });
    }
  }
  return found;
}

/** Every `name.py` a test or bench source writes for a kernel to run in its folder (`'a.py'`, `/x.py"`…). */
function pythonFileNamesIn(sourceFolders: string[]): Array<{ name: string; file: string }> {
  const found: Array<{ name: string; file: string }> = [];
  const walk = (folder: string): void => {
    for (const entry of readdirSync(folder)) {
      const path = join(folder, entry);
      if (statSync(path).isDirectory()) {
        if (entry !== 'node_modules' && entry !== 'artifacts') {
          walk(path);
        }
      } else if (/\.(ts|js|mjs|sh)$/.test(entry)) {
        for (const m of readFileSync(path, 'utf8').matchAll(/['"`/]([A-Za-z_][A-Za-z0-9_]*)\.py['"`]/g)) {
          found.push({ name: m[1], file: relative(REPO, path) });
        }
      }
    }
  };
  sourceFolders.forEach((f) => walk(join(REPO, f)));
  return found;
}

function shadowing(names: Array<{ name: string; file: string }>, stdlib: Set<string>): string[] {
  return names.filter((n) => stdlib.has(n.name)).map((n) => `${n.name}.py (${n.file})`);
}

describe('workspace file names shadow no standard library module', () => {
  // A kernel runs in its file's folder, which Python puts first on sys.path: a demo/typing.py would be imported
  // as `typing` by every library the kernel loads (ipykernel included) and break the kernel in that folder.
  const stdlib = stdlibModules();

  it('the stdlib list is the real one', () => {
    for (const name of ['typing', 'json', 'code', 'string', 'os']) {
      assert.ok(stdlib.has(name), name);
    }
    assert.equal(shadowing([{ name: 'typing', file: 'x' }], stdlib).length, 1, 'the check sees a shadow');
  });

  it('the demo workspace (npm start, the e2e and in-host tests run in a copy of it)', () => {
    const names = importableNames(join(REPO, 'demo'));
    assert.ok(
      names.some((n) => n.name === 'a'),
      'demo/a.py is seen',
    );
    assert.deepEqual(shadowing(names, stdlib), []);
  });

  it('the UI bench workspace (bench/ui/workspace.ts)', () => {
    const folder = mkdtempSync(join(tmpdir(), 'ki-names-'));
    try {
      writeWorkspace(folder, 2);
      const names = importableNames(folder);
      assert.ok(
        names.some((n) => n.name === 'u1'),
        'u1.py is seen',
      );
      assert.deepEqual(shadowing(names, stdlib), []);
    } finally {
      rmSync(folder, { recursive: true, force: true });
    }
  });

  it('the .py files the tests and benches write for kernels', () => {
    const names = pythonFileNamesIn(['test', 'bench']).filter((n) => basename(n.file) !== 'workspaceNames.test.ts');
    assert.ok(
      names.some((n) => n.name === 'statements'),
      'statements.py is seen',
    );
    assert.deepEqual(shadowing(names, stdlib), []);
  });
});
