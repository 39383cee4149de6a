import * as assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import {
  environmentKernelName,
  forgetDescribedEnvironments,
  serverKernelLabel,
  type PythonEnvironment,
} from '../../../src/python/pythonEnvironment';

describe('serverKernelLabel: the one "server · kernel" label', () => {
  let root: string;
  let venvKernel: string;
  before(() => {
    root = mkdtempSync(path.join(os.tmpdir(), 'ki-label-'));
    const venv = path.join(root, '.venv');
    mkdirSync(path.join(venv, 'bin'), { recursive: true });
    writeFileSync(path.join(venv, 'pyvenv.cfg'), 'home = /usr/bin\nversion = 3.11.4\n');
    writeFileSync(path.join(venv, 'bin', 'python'), '');
    forgetDescribedEnvironments();
    venvKernel = environmentKernelName(path.join(venv, 'bin', 'python'));
  });
  after(() => {
    forgetDescribedEnvironments();
    rmSync(root, { recursive: true, force: true });
  });

  /** What a context reports as its environment (the registry's `ContextInfo.environment`). */
  const reported: PythonEnvironment = {
    python: '/w/proj/.venv/bin/python',
    root: '/w/proj/.venv',
    name: '.venv',
    version: '3.13.1',
    label: '.venv (3.13)',
  };

  const cases: Array<{
    name: string;
    server: string;
    kernelName: () => string;
    environment?: PythonEnvironment;
    shown: string;
    omitLocal: string;
  }> = [
    {
      name: 'local kernelspec',
      server: 'local',
      kernelName: () => 'python3',
      shown: 'local · python3',
      omitLocal: 'python3',
    },
    {
      name: 'remote kernelspec',
      server: 'remote-a',
      kernelName: () => 'python3',
      shown: 'remote-a · python3',
      omitLocal: 'remote-a · python3',
    },
    {
      name: 'hub server',
      server: 'uni/gpu',
      kernelName: () => 'ir',
      shown: 'uni/gpu · ir',
      omitLocal: 'uni/gpu · ir',
    },
    {
      name: 'project environment, from its kernel name',
      server: 'local',
      kernelName: () => venvKernel,
      shown: 'local · .venv (3.11) · python3',
      omitLocal: '.venv (3.11) · python3',
    },
    {
      name: 'project environment the context reports',
      server: 'local',
      kernelName: () => environmentKernelName(reported.python),
      environment: reported,
      shown: 'local · .venv (3.13) · python3',
      omitLocal: '.venv (3.13) · python3',
    },
    {
      name: 'a kernel name nobody knows yet',
      server: 'local',
      kernelName: () => 'default',
      shown: 'local · default',
      omitLocal: 'default',
    },
  ];

  for (const c of cases) {
    it(c.name, () => {
      const kernel = { server: c.server, kernelName: c.kernelName(), environment: c.environment };
      assert.equal(serverKernelLabel(kernel), c.shown);
      assert.equal(serverKernelLabel(kernel, { omitLocal: true }), c.omitLocal);
    });
  }

  it('never shows the ki-env-… name that carries the interpreter', () => {
    assert.doesNotMatch(serverKernelLabel({ server: 'local', kernelName: venvKernel }), /ki-env-/);
  });
});
