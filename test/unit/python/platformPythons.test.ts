import * as assert from 'node:assert/strict';
import { platformFor, type Platform } from '../../../src/common/platform';
import { EnvironmentDiscovery } from '../../../src/python/environmentDiscovery';
import type { ProcessRunner } from '../../../src/python/processRunner';
import { describeEnvironment, forgetDescribedEnvironments } from '../../../src/python/pythonEnvironment';
import { findPython, PythonNotFoundError } from '../../../src/python/pythonFinder';
import { ENVIRONMENT_INTERPRETERS, pythonInEnvironment } from '../../../src/python/pythonLayouts';
import { fakePythonFileSystem } from './fakePythonFileSystem';

/**
 * Finding Python on each platform, in the one chain (python/pythonLayouts through common/platform): a simulated
 * Windows, macOS or Linux machine (its environment, home and files) handed to the server finder and to project
 * discovery. Nothing here runs a real interpreter: the runner answers for the files laid out.
 */
interface Machine {
  os: NodeJS.Platform;
  env: NodeJS.ProcessEnv;
  /** Runnable files, with what running them answers: `good` (jupyter_server and ipykernel), `bare` (neither). */
  pythons?: Record<string, 'good' | 'bare'>;
  /** Plain files (pyvenv.cfg, …). */
  files?: string[];
  /** Folder listings. */
  dirs?: Record<string, string[]>;
  /** What `py -3` answers with (its sys.executable). */
  pyChoice?: string;
  /** Real paths of links. */
  links?: Record<string, string>;
}

function simulate(m: Machine): { platform: Platform; runner: ProcessRunner; ran: string[] } {
  const pythons = m.pythons ?? {};
  const files = new Set([...Object.keys(pythons), ...(m.files ?? [])]);
  const dirs = m.dirs ?? {};
  const platform = platformFor(m.os, {
    env: m.env,
    home: m.os === 'win32' ? 'C:\\Users\\ann' : m.os === 'darwin' ? '/Users/ann' : '/home/ann',
    fileSystem: fakePythonFileSystem({
      exists: (p) => files.has(p) || p in dirs,
      isFile: (p) => files.has(p),
      isDirectory: (p) => p in dirs,
      isExecutable: (p) =>
        p in pythons || (m.pyChoice !== undefined && p.toLowerCase().endsWith('py.exe') && files.has(p)),
      realpath: (p) => {
        if (!files.has(p)) {
          throw Object.assign(new Error(`ENOENT: ${p}`), { code: 'ENOENT' });
        }
        return m.links?.[p] ?? p;
      },
      readFile: (p) => (files.has(p) ? 'version = 3.12.4\n' : undefined),
      readDir: (p) => dirs[p] ?? [],
    }),
  });
  const ran: string[] = [];
  const runner: ProcessRunner = async (command, args) => {
    if (args[0] === '-3') {
      ran.push(`${command} -3`);
      return m.pyChoice
        ? { code: 0, stdout: `${m.pyChoice}\r\n`, stderr: '' }
        : { code: 1, stdout: '', stderr: 'No suitable Python runtime found' };
    }
    ran.push(command);
    const kind = pythons[command];
    if (!kind) {
      return { code: null, stdout: '', stderr: '', errorCode: 'ENOENT' };
    }
    const report =
      kind === 'good'
        ? { python: '3.12.4', executable: command, jupyter_server: '2.14.0', ipykernel: '6.29.0' }
        : { python: '3.12.4', executable: command, jupyter_server_error: 'ModuleNotFoundError', ipykernel_error: 'x' };
    return { code: 0, stdout: JSON.stringify(report), stderr: '' };
  };
  return { platform, runner, ran };
}

async function rejection(promise: Promise<unknown>): Promise<PythonNotFoundError> {
  const err = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  assert.ok(err instanceof PythonNotFoundError, `expected PythonNotFoundError, got ${String(err)}`);
  return err;
}

describe('finding Python on each platform (python/pythonLayouts, one chain)', () => {
  beforeEach(forgetDescribedEnvironments);
  afterEach(forgetDescribedEnvironments);

  describe('Windows', () => {
    const LOCAL = 'C:\\Users\\ann\\AppData\\Local';
    const APPS = `${LOCAL}\\Microsoft\\WindowsApps`;
    const PY312 = `${LOCAL}\\Programs\\Python\\Python312\\python.exe`;

    it('python.exe on PATH through PATHEXT, the PATH variable spelled Path', async () => {
      const m = simulate({
        os: 'win32',
        env: { Path: `C:\\Tools;${LOCAL}\\Programs\\Python\\Python312`, PATHEXT: '.COM;.EXE;.BAT;.CMD' },
        pythons: { [PY312]: 'good' },
      });
      const found = await findPython({ platform: m.platform, runner: m.runner });
      assert.deepEqual([found.path, found.source], [PY312, 'PATH python']);
      const fromSetting = await findPython({
        platform: m.platform,
        runner: m.runner,
        settingPath: PY312.replace(/\\/g, '/'),
      });
      assert.deepEqual([fromSetting.path, fromSetting.source], [PY312, 'setting']);
    });

    it('the py -3 launcher: its choice is probed when PATH has no python (the Store alias is not a file)', async () => {
      const m = simulate({
        os: 'win32',
        env: { PATH: `${APPS};C:\\Windows`, PATHEXT: '.EXE', LOCALAPPDATA: LOCAL },
        files: ['C:\\Windows\\py.exe'],
        dirs: { [APPS]: ['python.exe', 'python3.exe'] },
        pythons: { [PY312]: 'good' },
        pyChoice: PY312,
      });
      const found = await findPython({ platform: m.platform, runner: m.runner });
      assert.deepEqual([found.path, found.source], [PY312, 'py launcher']);
      assert.deepEqual(m.ran, ['C:\\Windows\\py.exe -3', PY312]);
    });

    it('after PATH and py: python.org installs newest first (per user, then all users), the Store, conda bases', async () => {
      const programFiles = 'C:\\Program Files';
      const m = simulate({
        os: 'win32',
        env: { PATH: 'C:\\Windows', LOCALAPPDATA: LOCAL, ProgramFiles: programFiles, ProgramData: 'C:\\ProgramData' },
        dirs: {
          [`${LOCAL}\\Programs\\Python`]: ['Python311', 'Launcher', 'Python313', 'Python39-32'],
          [programFiles]: ['Python310', 'Common Files'],
          [APPS]: ['python3.exe'],
        },
        pythons: {
          [`${LOCAL}\\Programs\\Python\\Python313\\python.exe`]: 'bare',
          [`${LOCAL}\\Programs\\Python\\Python311\\python.exe`]: 'bare',
          [`${LOCAL}\\Programs\\Python\\Python39-32\\python.exe`]: 'bare',
          [`${programFiles}\\Python310\\python.exe`]: 'bare',
          'C:\\Users\\ann\\miniconda3\\python.exe': 'bare',
          'C:\\ProgramData\\anaconda3\\python.exe': 'good',
        },
      });
      const found = await findPython({ platform: m.platform, runner: m.runner });
      assert.deepEqual([found.path, found.source], ['C:\\ProgramData\\anaconda3\\python.exe', 'conda']);
      assert.deepEqual(m.ran, [
        `${LOCAL}\\Programs\\Python\\Python313\\python.exe`,
        `${LOCAL}\\Programs\\Python\\Python311\\python.exe`,
        `${LOCAL}\\Programs\\Python\\Python39-32\\python.exe`,
        `${programFiles}\\Python310\\python.exe`,
        `${APPS}\\python3.exe`,
        'C:\\Users\\ann\\miniconda3\\python.exe',
        'C:\\ProgramData\\anaconda3\\python.exe',
      ]);
    });

    it('one file under two spellings is probed once (case and separators), and no /usr/bin/python3 is tried', async () => {
      const m = simulate({
        os: 'win32',
        env: { PATH: `${LOCAL}\\Programs\\Python\\Python312;C:\\Windows`, LOCALAPPDATA: LOCAL },
        files: ['C:\\Windows\\py.exe'],
        pythons: { [PY312]: 'bare', [PY312.toLowerCase()]: 'bare' },
        pyChoice: PY312.toLowerCase(),
      });
      const err = await rejection(findPython({ platform: m.platform, runner: m.runner }));
      assert.deepEqual(m.ran, [PY312, 'C:\\Windows\\py.exe -3']);
      assert.ok(!err.message.includes('/usr/bin'), err.message);
    });

    it("the fix is worded for Windows: PowerShell's call of a quoted path, a venv's Scripts folder, no apt", async () => {
      const spaced = 'C:\\Program Files\\Python312\\python.exe';
      const m = simulate({ os: 'win32', env: { PATH: 'C:\\Program Files\\Python312' }, pythons: { [spaced]: 'bare' } });
      const err = await rejection(findPython({ platform: m.platform, runner: m.runner }));
      assert.match(err.message, /& 'C:\\Program Files\\Python312\\python\.exe' -m pip install --upgrade/);
      assert.doesNotMatch(err.message, /apt-get/);
      const none = simulate({ os: 'win32', env: {} });
      const noneErr = await rejection(findPython({ platform: none.platform, runner: none.runner }));
      assert.match(noneErr.message, /py -3 -m venv \.venv; \.venv\\Scripts\\python\.exe -m pip install/);
    });

    it("project discovery: a venv's Scripts\\python.exe up the folders, a conda env's python.exe from CONDA_PREFIX", () => {
      const venvPython = 'C:\\proj\\.venv\\Scripts\\python.exe';
      const condaEnv = 'C:\\Users\\ann\\miniconda3\\envs\\gpu';
      const m = simulate({
        os: 'win32',
        env: { conda_prefix: condaEnv },
        files: [venvPython, 'C:\\proj\\.venv\\pyvenv.cfg', `${condaEnv}\\python.exe`],
        dirs: {
          [condaEnv]: ['conda-meta', 'python.exe'],
          [`${condaEnv}\\conda-meta`]: ['numpy-1.26.4-py310.json', 'python-3.10.14-h4de0772_0.json'],
        },
      });
      const discovery = new EnvironmentDiscovery(m.platform);
      const venv = discovery.find({ dir: 'C:\\proj\\src\\pkg', stopAt: 'c:\\PROJ' });
      assert.deepEqual([venv?.python, venv?.root, venv?.label], [venvPython, 'C:\\proj\\.venv', '.venv (3.12)']);
      const conda = discovery.find({ dir: 'D:\\elsewhere', stopAt: 'D:\\elsewhere' });
      assert.deepEqual(
        [conda?.python, conda?.source, conda?.label],
        [`${condaEnv}\\python.exe`, 'CONDA_PREFIX', 'gpu (3.10)'],
      );
      assert.equal(pythonInEnvironment(condaEnv, m.platform), `${condaEnv}\\python.exe`);
      assert.equal(
        discovery.find({ dir: 'D:\\x', setting: condaEnv })?.python,
        `${condaEnv}\\python.exe`,
        'a setting may name the env folder',
      );
      assert.equal(
        discovery.find({ dir: 'D:\\x', setting: 'c:/Users/ann/miniconda3/envs/gpu/python.exe' })?.python,
        `${condaEnv}\\python.exe`,
        'a setting written with / and a lower-case drive is the Windows path people see',
      );
    });
  });

  describe('macOS', () => {
    it('after PATH: Homebrew (Apple silicon, then Intel), python.org frameworks newest first, pyenv, conda, the system', async () => {
      const frameworks = '/Library/Frameworks/Python.framework/Versions';
      const m = simulate({
        os: 'darwin',
        env: { PATH: '/usr/bin:/bin' },
        dirs: { [frameworks]: ['3.11', 'Current', '3.13'] },
        pythons: {
          '/opt/homebrew/bin/python3': 'bare',
          '/usr/local/bin/python3': 'bare',
          [`${frameworks}/3.13/bin/python3`]: 'bare',
          [`${frameworks}/3.11/bin/python3`]: 'bare',
          '/Users/ann/.pyenv/shims/python3': 'bare',
          '/Users/ann/miniconda3/bin/python': 'bare',
          '/opt/anaconda3/bin/python': 'bare',
          '/opt/homebrew/Caskroom/miniforge/base/bin/python': 'bare',
        },
      });
      await rejection(findPython({ platform: m.platform, runner: m.runner }));
      assert.deepEqual(m.ran, [
        '/opt/homebrew/bin/python3',
        '/usr/local/bin/python3',
        `${frameworks}/3.13/bin/python3`,
        `${frameworks}/3.11/bin/python3`,
        '/Users/ann/.pyenv/shims/python3',
        '/Users/ann/miniconda3/bin/python',
        '/opt/anaconda3/bin/python',
        '/opt/homebrew/Caskroom/miniforge/base/bin/python',
        '/usr/bin/python3',
      ]);
    });

    it("Homebrew on Apple silicon is found when PATH has only the system's (an app started from the Dock)", async () => {
      const m = simulate({
        os: 'darwin',
        env: { PATH: '/usr/bin:/bin:/usr/sbin:/sbin' },
        pythons: { '/opt/homebrew/bin/python3': 'good', '/usr/bin/python3': 'bare' },
      });
      const found = await findPython({ platform: m.platform, runner: m.runner });
      assert.deepEqual([found.path, found.source], ['/opt/homebrew/bin/python3', 'Homebrew']);
      assert.deepEqual(m.ran, ['/usr/bin/python3', '/opt/homebrew/bin/python3'], 'the system Python is probed once');
    });

    it('pyenv under PYENV_ROOT; a conda env from CONDA_PREFIX in discovery', async () => {
      const m = simulate({
        os: 'darwin',
        env: { PATH: '', PYENV_ROOT: '/Users/ann/tools/pyenv', CONDA_PREFIX: '/opt/miniconda3/envs/gpu' },
        pythons: { '/Users/ann/tools/pyenv/shims/python3': 'good' },
        files: ['/opt/miniconda3/envs/gpu/bin/python'],
        dirs: { '/opt/miniconda3/envs/gpu/conda-meta': ['python-3.11.9-h932a869_0.json'] },
      });
      const found = await findPython({ platform: m.platform, runner: m.runner });
      assert.deepEqual([found.path, found.source], ['/Users/ann/tools/pyenv/shims/python3', 'pyenv']);
      const env = new EnvironmentDiscovery(m.platform).find({ dir: '/Users/ann/proj', stopAt: '/Users/ann/proj' });
      assert.deepEqual([env?.python, env?.label], ['/opt/miniconda3/envs/gpu/bin/python', 'gpu (3.11)']);
    });
  });

  it("an environment's interpreter on each platform is one the workspace watcher looks for", () => {
    const layouts: Array<[NodeJS.Platform, string, string[]]> = [
      ['linux', '/p/.venv', []],
      ['darwin', '/p/.venv', []],
      ['win32', 'C:\\p\\.venv', []],
      ['win32', 'C:\\p\\.venv', ['C:\\p\\.venv\\python.exe']],
    ];
    for (const [os, root, files] of layouts) {
      const { platform } = simulate({ os, env: {}, files });
      const relative = platform.path.relative(root, pythonInEnvironment(root, platform)).split(platform.path.sep);
      assert.ok(ENVIRONMENT_INTERPRETERS.includes(relative.join('/') as never), `${os}: ${relative.join('/')}`);
    }
  });

  describe('Linux (as before)', () => {
    it('PATH, then /usr/bin/python3 only: no other platform layout is looked at', async () => {
      const m = simulate({
        os: 'linux',
        env: { PATH: '/home/ann/.local/bin', LOCALAPPDATA: 'C:\\x', PYENV_ROOT: '/home/ann/.pyenv' },
        pythons: {
          '/opt/homebrew/bin/python3': 'good',
          '/usr/local/bin/python3': 'good',
          '/home/ann/miniconda3/bin/python': 'good',
          '/home/ann/.pyenv/shims/python3': 'good',
        },
      });
      await rejection(findPython({ platform: m.platform, runner: m.runner }));
      assert.deepEqual(m.ran, ['/usr/bin/python3']);
    });

    it('a conda env from CONDA_PREFIX is its bin/python, named after its folder', () => {
      const m = simulate({
        os: 'linux',
        env: { CONDA_PREFIX: '/home/ann/miniconda3/envs/gpu' },
        files: ['/home/ann/miniconda3/envs/gpu/bin/python'],
        dirs: { '/home/ann/miniconda3/envs/gpu/conda-meta': ['python-3.10.14-h955ad1f_0.json'] },
      });
      const env = new EnvironmentDiscovery(m.platform).find({ dir: '/srv/proj', stopAt: '/srv/proj' });
      assert.deepEqual([env?.python, env?.label], ['/home/ann/miniconda3/envs/gpu/bin/python', 'gpu (3.10)']);
      assert.equal(describeEnvironment(env?.python ?? '', m.platform).root, '/home/ann/miniconda3/envs/gpu');
    });
  });
});
