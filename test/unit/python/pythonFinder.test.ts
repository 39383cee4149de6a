import * as assert from 'node:assert/strict';
import type { ProcessResult, ProcessRunner } from '../../../src/python/processRunner';
import { findPython, PythonNotFoundError } from '../../../src/python/pythonFinder';
import { compareVersions } from '../../../src/python/pythonProbe';
import { fakePythonFileSystem } from './fakePythonFileSystem';

/** A fake machine: which files exist, which are symlinks, and what each interpreter has installed. */
interface FakePython {
  /** `undefined` for a package that is missing. */
  jupyterServer?: string;
  ipykernel?: string;
  python?: string;
  /** What running it does instead of answering the probe. */
  fails?: 'ENOENT' | 'TIMEOUT' | 'crash';
}

function fakeMachine(pythons: Record<string, FakePython>, links: Record<string, string> = {}, venvs: string[] = []) {
  const ran: string[] = [];
  const runner: ProcessRunner = async (command, args) => {
    ran.push(command);
    assert.equal(args[0], '-c');
    const py = pythons[command];
    if (!py || py.fails === 'ENOENT') {
      return { code: null, stdout: '', stderr: '', errorCode: 'ENOENT' };
    }
    if (py.fails === 'TIMEOUT') {
      return { code: null, stdout: '', stderr: '', errorCode: 'TIMEOUT' };
    }
    if (py.fails === 'crash') {
      return { code: 1, stdout: '', stderr: 'Fatal Python error: init_fs_encoding' };
    }
    const report: Record<string, string> = { python: py.python ?? '3.11.2', executable: command };
    if (py.jupyterServer) {
      report.jupyter_server = py.jupyterServer;
    } else {
      report.jupyter_server_error = "ModuleNotFoundError: No module named 'jupyter_server'";
    }
    if (py.ipykernel) {
      report.ipykernel = py.ipykernel;
    } else {
      report.ipykernel_error = "ModuleNotFoundError: No module named 'ipykernel'";
    }
    return { code: 0, stdout: `noise from sitecustomize\n${JSON.stringify(report)}\n`, stderr: '' } as ProcessResult;
  };
  const fileSystem = fakePythonFileSystem({
    realpath: (p) => {
      if (!(p in pythons) && !(p in links)) {
        throw Object.assign(new Error(`ENOENT: ${p}`), { code: 'ENOENT' });
      }
      return links[p] ?? p;
    },
    isExecutable: (p) => p in pythons || p in links,
    exists: (p) => venvs.some((v) => p === `${v}/pyvenv.cfg`),
  });
  return { runner, fileSystem, ran };
}

const good: FakePython = { jupyterServer: '1.23.3', ipykernel: '6.17.0' };
const bare: FakePython = {};
const PATH = '/home/u/.pyenv/shims:/usr/bin';

describe('findPython', () => {
  it('prefers the setting over everything else', async () => {
    const m = fakeMachine({ '/opt/py/bin/python': good, '/env/bin/python': good, '/usr/bin/python3': good });
    const found = await findPython({
      settingPath: '/opt/py/bin/python',
      activeInterpreter: async () => '/env/bin/python',
      env: { PATH: '/usr/bin' },
      ...m,
    });
    assert.equal(found.path, '/opt/py/bin/python');
    assert.equal(found.source, 'setting');
    assert.deepEqual(found.versions, {
      python: '3.11.2',
      executable: '/opt/py/bin/python',
      jupyterServer: '1.23.3',
      ipykernel: '6.17.0',
    });
    assert.deepEqual(m.ran, ['/opt/py/bin/python']);
  });

  it('tries setting, Python extension, PATH python3, PATH python, /usr/bin/python3 in that order', async () => {
    const m = fakeMachine({
      '/bad/setting': bare,
      '/env/bin/python': { jupyterServer: '1.23.3' },
      '/home/u/.pyenv/shims/python3': { ipykernel: '6.17.0' },
      '/home/u/.pyenv/shims/python': { fails: 'crash' },
      '/usr/bin/python3': good,
    });
    const found = await findPython({
      settingPath: '/bad/setting',
      activeInterpreter: async () => '/env/bin/python',
      env: { PATH },
      ...m,
    });
    assert.equal(found.path, '/usr/bin/python3');
    assert.equal(found.source, 'system');
    assert.deepEqual(m.ran, [
      '/bad/setting',
      '/env/bin/python',
      '/home/u/.pyenv/shims/python3',
      '/home/u/.pyenv/shims/python',
      '/usr/bin/python3',
    ]);
  });

  it('probes one interpreter once, however many names lead to it', async () => {
    const m = fakeMachine(
      { '/usr/bin/python3.11': bare },
      {
        '/usr/bin/python3': '/usr/bin/python3.11',
        '/usr/bin/python': '/usr/bin/python3.11',
        '/usr/local/bin/python3': '/usr/bin/python3.11',
      },
    );
    await assert.rejects(
      findPython({ settingPath: '/usr/local/bin/python3', env: { PATH: '/usr/bin' }, ...m }),
      PythonNotFoundError,
    );
    assert.deepEqual(m.ran, ['/usr/local/bin/python3']);
  });

  it('keeps a venv apart from the base interpreter its python links to', async () => {
    const m = fakeMachine(
      { '/usr/bin/python3.11': bare },
      { '/usr/bin/python3': '/usr/bin/python3.11', '/proj/.venv/bin/python': '/usr/bin/python3.11' },
      ['/proj/.venv'],
    );
    // The venv has the packages even though its base does not: the fake runner answers per path.
    const runner: ProcessRunner = async (command, args, options) =>
      command === '/proj/.venv/bin/python'
        ? {
            code: 0,
            stdout: JSON.stringify({
              python: '3.11.2',
              executable: command,
              jupyter_server: '2.14.0',
              ipykernel: '6.29.0',
            }),
            stderr: '',
          }
        : m.runner(command, args, options);
    const found = await findPython({
      settingPath: '/usr/bin/python3',
      activeInterpreter: async () => '/proj/.venv/bin/python',
      env: { PATH: '' },
      fileSystem: m.fileSystem,
      runner,
    });
    assert.equal(found.path, '/proj/.venv/bin/python');
    assert.equal(found.versions.jupyterServer, '2.14.0');
  });

  it('skips a Python extension that throws and goes on', async () => {
    const m = fakeMachine({ '/usr/bin/python3': good });
    const found = await findPython({
      activeInterpreter: async () => {
        throw new Error('extension host busy');
      },
      env: { PATH: '' },
      ...m,
    });
    assert.equal(found.path, '/usr/bin/python3');
  });

  it('rejects versions that are too old', async () => {
    const m = fakeMachine({ '/usr/bin/python3': { jupyterServer: '1.4.0', ipykernel: '5.5.6', python: '3.7.3' } });
    const err = await findPython({ env: { PATH: '' }, ...m }).catch((e: unknown) => e);
    assert.ok(err instanceof PythonNotFoundError);
    assert.equal(err.rejected[err.rejected.length - 1]?.failure, 'too-old');
    assert.match(
      err.message,
      /Python 3\.7\.3 is older than 3\.8, jupyter_server 1\.4\.0 is older than 1\.8, ipykernel 5\.5\.6 is older than 6\.0/,
    );
  });

  it('lists every candidate, why it failed, and the fix when none qualifies', async () => {
    const m = fakeMachine({
      '/opt/custom/python': { fails: 'TIMEOUT' },
      '/env/bin/python': { jupyterServer: '1.23.3' },
      '/home/u/.pyenv/shims/python3': { ipykernel: '6.17.0' },
      '/usr/bin/python3': bare,
    });
    const err = await findPython({
      settingPath: '/opt/custom/python',
      activeInterpreter: async () => '/env/bin/python',
      env: { PATH },
      probeTimeoutMs: 1234,
      ...m,
    }).catch((e: unknown) => e);
    assert.ok(err instanceof PythonNotFoundError);
    assert.deepEqual(
      err.rejected.map((r) => [r.path, r.source, r.failure]),
      [
        ['/opt/custom/python', 'setting', 'timeout'],
        ['/env/bin/python', 'python-extension', 'missing-ipykernel'],
        ['/home/u/.pyenv/shims/python3', 'PATH python3', 'missing-jupyter-server'],
        ['python', 'PATH python', 'not-found'],
        ['/usr/bin/python3', 'system', 'missing-jupyter-server'],
      ],
    );
    const text = err.message;
    assert.match(text, /- \/opt\/custom\/python \(setting\): no answer within 1234 ms/);
    assert.match(text, /- \/env\/bin\/python \(python-extension\): ipykernel is not installed/);
    assert.match(text, /- \/home\/u\/.pyenv\/shims\/python3 \(PATH python3\): jupyter_server is not installed/);
    assert.match(text, /- python \(PATH python\): not on PATH/);
    assert.match(text, /\/env\/bin\/python -m pip install --upgrade jupyter_server ipykernel/);
    assert.match(text, /sudo apt-get install python3-jupyter-server python3-ipykernel/);
    assert.match(text, /kernelIslands\.pythonPath/);
  });

  it('says "not found" for a setting that points nowhere', async () => {
    const m = fakeMachine({ '/usr/bin/python3': good });
    const found = await findPython({ settingPath: '/typo/pyhton', env: { PATH: '' }, ...m });
    assert.equal(found.path, '/usr/bin/python3');
    const m2 = fakeMachine({});
    const err = await findPython({ settingPath: '/typo/pyhton', env: { PATH: '' }, ...m2 }).catch((e: unknown) => e);
    assert.ok(err instanceof PythonNotFoundError);
    assert.match(err.message, /\/typo\/pyhton \(setting\): cannot run it \(ENOENT\)/);
  });
});

describe("compareVersions (the probe's check against the oldest supported versions)", () => {
  for (const [a, b, sign] of [
    ['6.17.0', '6.0', 1],
    ['1.8', '1.8.0', 0],
    ['1.23.3', '2.0', -1],
    ['2.0.0rc1', '2.0', 0],
    ['3.10.12', '3.8', 1],
  ] as const) {
    it(`${a} vs ${b}`, () => assert.equal(Math.sign(compareVersions(a, b)), sign));
  }
});
