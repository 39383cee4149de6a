import * as assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, realpathSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { hostPlatform } from '../../../src/common/platform';
import { EnvironmentDiscovery } from '../../../src/python/environmentDiscovery';
import {
  describeEnvironment,
  environmentKernelName,
  forgetDescribedEnvironments,
  isEnvironmentKernel,
  kernelDescription,
  kernelDisplayName,
  pythonOfKernelName,
} from '../../../src/python/pythonEnvironment';
import { fakePythonFileSystem } from './fakePythonFileSystem';

/** An environment folder as venv lays it out (files only: nothing here runs). */
function fakeVenv(root: string, version = '3.13.1'): string {
  mkdirSync(path.join(root, 'bin'), { recursive: true });
  writeFileSync(
    path.join(root, 'pyvenv.cfg'),
    `home = /usr/bin\ninclude-system-site-packages = true\nversion = ${version}\n`,
  );
  const python = path.join(root, 'bin', 'python');
  writeFileSync(python, '');
  return python;
}

describe('project environments: names and discovery (python/pythonEnvironment, environmentDiscovery)', () => {
  let workspace: string;
  beforeEach(() => {
    workspace = realpathSync(mkdtempSync(path.join(os.tmpdir(), 'ki-discovery-')));
    forgetDescribedEnvironments();
  });
  afterEach(() => rmSync(workspace, { recursive: true, force: true }));

  it('an environment kernel name carries its interpreter, and only such names do', () => {
    const python = '/work/proj a/.venv/bin/python';
    const name = environmentKernelName(python);
    assert.match(name, /^ki-env-[0-9a-f]+$/, 'a valid Jupyter kernel name (launcher.py reads the hex back)');
    assert.equal(pythonOfKernelName(name), python);
    assert.equal(kernelDisplayName(name), 'python3');
    for (const other of [
      'python3',
      'ir',
      'ki-env-',
      'ki-env-zz',
      `ki-env-${Buffer.from('relative/python').toString('hex')}`,
    ]) {
      assert.equal(isEnvironmentKernel(other), false, other);
      assert.equal(kernelDisplayName(other), other);
    }
  });

  it('a kernel name for titles: an environment kernel as its environment and python3, others as they are', () => {
    const python = fakeVenv(path.join(workspace, 'proj-a', '.venv'), '3.13.1');
    assert.equal(kernelDescription(environmentKernelName(python)), '.venv (3.13) · python3');
    assert.equal(kernelDescription('ir'), 'ir');
  });

  it("describes a venv by its folder's name and the version pyvenv.cfg records", () => {
    const python = fakeVenv(path.join(workspace, 'proj-a', '.venv'), '3.13.1');
    assert.deepEqual(describeEnvironment(python), {
      python,
      root: path.join(workspace, 'proj-a', '.venv'),
      name: '.venv',
      version: '3.13.1',
      label: '.venv (3.13)',
    });
    const conda = path.join(workspace, 'miniconda', 'envs', 'gpu');
    mkdirSync(path.join(conda, 'conda-meta'), { recursive: true });
    writeFileSync(path.join(conda, 'conda-meta', 'python-3.10.14-h955ad1f_1.json'), '{}');
    assert.equal(describeEnvironment(path.join(conda, 'bin', 'python')).label, 'gpu (3.10)');
  });

  it('the folder walk finds .venv or venv in the file folder or a parent, never above the workspace folder', () => {
    const discovery = new EnvironmentDiscovery(hostPlatform({ env: {} }));
    const project = path.join(workspace, 'proj-a');
    const python = fakeVenv(path.join(project, 'venv'));
    mkdirSync(path.join(project, 'src', 'pkg'), { recursive: true });
    const found = discovery.find({ dir: path.join(project, 'src', 'pkg'), stopAt: workspace });
    assert.deepEqual([found?.python, found?.source], [python, 'folder']);
    // Above the workspace folder is not this workspace's business.
    fakeVenv(path.join(workspace, '.venv'));
    const inner = path.join(workspace, 'inner');
    mkdirSync(path.join(inner, 'src'), { recursive: true });
    assert.equal(discovery.find({ dir: path.join(inner, 'src'), stopAt: inner }), undefined);
    assert.equal(
      discovery.find({ dir: path.join(inner, 'src'), stopAt: workspace })?.root,
      path.join(workspace, '.venv'),
    );
    // The nearest wins.
    const nearest = fakeVenv(path.join(project, 'src', '.venv'));
    discovery.invalidate();
    assert.equal(discovery.find({ dir: path.join(project, 'src', 'pkg'), stopAt: workspace })?.python, nearest);
  });

  it('the order: folder setting, then the Python extension, then folders, then CONDA_PREFIX and VIRTUAL_ENV', () => {
    const folderPython = fakeVenv(path.join(workspace, 'proj', '.venv'));
    const setting = fakeVenv(path.join(workspace, 'elsewhere', 'env'));
    const extension = fakeVenv(path.join(workspace, 'ext-env'));
    const conda = fakeVenv(path.join(workspace, 'conda-env'));
    const virtualEnv = fakeVenv(path.join(workspace, 'activated'));
    const discovery = new EnvironmentDiscovery(
      hostPlatform({
        env: {
          CONDA_PREFIX: path.dirname(path.dirname(conda)),
          VIRTUAL_ENV: path.dirname(path.dirname(virtualEnv)),
        },
      }),
    );
    const dir = path.join(workspace, 'proj');
    const query = { dir, stopAt: workspace };
    assert.equal(discovery.find({ ...query, setting, pythonExtension: () => extension })?.source, 'setting');
    // The Python extension may name the environment's folder instead of its interpreter.
    const fromExtension = discovery.find({ ...query, pythonExtension: () => path.dirname(path.dirname(extension)) });
    assert.deepEqual([fromExtension?.python, fromExtension?.source], [extension, 'python-extension']);
    assert.equal(discovery.find({ ...query, pythonExtension: () => undefined })?.python, folderPython);
    const bare = path.join(workspace, 'bare');
    mkdirSync(bare);
    assert.deepEqual(
      [discovery.find({ dir: bare, stopAt: bare })?.python, discovery.find({ dir: bare, stopAt: bare })?.source],
      [conda, 'CONDA_PREFIX'],
    );
    const noConda = new EnvironmentDiscovery(
      hostPlatform({ env: { VIRTUAL_ENV: path.dirname(path.dirname(virtualEnv)) } }),
    );
    assert.equal(noConda.find({ dir: bare, stopAt: bare })?.source, 'VIRTUAL_ENV');
    assert.equal(
      new EnvironmentDiscovery(hostPlatform({ env: {} })).find({ dir: bare, stopAt: bare }),
      undefined,
      "the server's Python",
    );
  });

  it('answers from its cache until invalidated (a venv created or deleted), and lists live environments only', () => {
    const checks: string[] = [];
    let exists = false;
    const python = path.join(workspace, '.venv', 'bin', 'python');
    const discovery = new EnvironmentDiscovery(
      hostPlatform({
        env: {},
        fileSystem: fakePythonFileSystem({
          isFile: (p) => {
            checks.push(p);
            return exists && p === python;
          },
        }),
      }),
    );
    const query = { dir: workspace, stopAt: workspace };
    assert.equal(discovery.find(query), undefined);
    const asked = checks.length;
    exists = true;
    assert.equal(discovery.find(query), undefined, 'cached');
    assert.equal(checks.length, asked, 'no file checks for a cached folder');
    discovery.invalidate();
    assert.equal(discovery.find(query)?.python, python, 'found after the watcher saw the venv appear');
    assert.deepEqual(
      discovery.known().map((e) => e.python),
      [python],
    );
    exists = false;
    assert.deepEqual(discovery.known(), [], 'a deleted environment is not offered');
  });

  it('a dangling link (a venv whose base Python went away) is not an environment', () => {
    const root = path.join(workspace, '.venv');
    mkdirSync(path.join(root, 'bin'), { recursive: true });
    symlinkSync(path.join(workspace, 'gone-python'), path.join(root, 'bin', 'python'));
    assert.equal(
      new EnvironmentDiscovery(hostPlatform({ env: {} })).find({ dir: workspace, stopAt: workspace }),
      undefined,
    );
  });
});
