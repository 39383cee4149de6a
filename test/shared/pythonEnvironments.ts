/**
 * Real Python environments for the tests, made in the test: `python3 -m venv`, with a marker module of their own
 * written into their site-packages, so a kernel proves which environment it runs in (`marker.NAME`, `sys.prefix`).
 * Used by the integration tests (plain Node), the in-host suite and the benchmark.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';

/** The Python the environments are made from (Debian's, which has ipykernel for `--system-site-packages`). */
export const BASE_PYTHON = process.env.KI_TEST_PYTHON || '/usr/bin/python3';

export interface TestVenv {
  /** The environment folder (`<project>/.venv`). */
  root: string;
  /** Its interpreter (`<root>/bin/python`), as discovery finds it. */
  python: string;
  /** The marker module's `NAME`. */
  marker: string;
}

/**
 * Makes `<project>/<folder>` with `python3 -m venv` (without pip, which the tests never run: it saves ~3 s each).
 * `systemSitePackages` gives it the base Python's ipykernel; without it the environment has no ipykernel.
 */
export function makeVenv(
  project: string,
  options: { marker: string; systemSitePackages?: boolean; folder?: string },
): TestVenv {
  const root = path.join(project, options.folder ?? '.venv');
  mkdirSync(project, { recursive: true });
  const args = [
    '-m',
    'venv',
    '--without-pip',
    ...(options.systemSitePackages === false ? [] : ['--system-site-packages']),
  ];
  execFileSync(BASE_PYTHON, [...args, root], { stdio: 'pipe' });
  const lib = path.join(root, 'lib');
  const pythonDir = readdirSync(lib).find((d) => /^python\d+\.\d+$/.test(d));
  if (!pythonDir) {
    throw new Error(`no lib/pythonX.Y in ${root}`);
  }
  const pkg = path.join(lib, pythonDir, 'site-packages', 'marker');
  mkdirSync(pkg, { recursive: true });
  writeFileSync(path.join(pkg, '__init__.py'), `NAME = ${JSON.stringify(options.marker)}\n`);
  return { root, python: path.join(root, 'bin', 'python'), marker: options.marker };
}

/** The code the tests run in each environment: it prints the prefix and the marker, one line each. */
export const WHERE_AM_I = 'import sys, marker\nprint(sys.prefix)\nprint(marker.NAME)';
