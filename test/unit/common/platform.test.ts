import * as assert from 'node:assert/strict';
import {
  nativePath,
  envValue,
  executableEndings,
  findOnPath,
  hostPlatform,
  pathKey,
  platformFor,
} from '../../../src/common/platform';
import { fakePythonFileSystem } from '../python/fakePythonFileSystem';

/** A machine whose only runnable files are `files` (exact paths). */
function machine(osName: NodeJS.Platform, env: NodeJS.ProcessEnv, files: string[]) {
  return platformFor(osName, {
    env,
    home: osName === 'win32' ? 'C:\\Users\\ann' : '/Users/ann',
    fileSystem: fakePythonFileSystem({ isExecutable: (p) => files.includes(p), isFile: (p) => files.includes(p) }),
  });
}

describe('the platform seam (common/platform)', () => {
  it('the host is this process: its OS, its path rules and its environment', () => {
    const host = hostPlatform();
    assert.equal(host.os, process.platform);
    assert.equal(host.env, process.env);
    assert.equal(host.path.sep, process.platform === 'win32' ? '\\' : '/');
  });

  it('Windows: variable names are case-insensitive (Path is PATH); elsewhere they are not', () => {
    const env = { Path: 'C:\\Windows', PathExt: '.EXE' };
    assert.equal(envValue(machine('win32', env, []), 'PATH'), 'C:\\Windows');
    assert.equal(envValue(machine('linux', env, []), 'PATH'), undefined);
  });

  it("Windows: PATHEXT's endings, in its order, with Windows' default when it is unset", () => {
    assert.deepEqual(executableEndings(machine('win32', { PATHEXT: '.COM;.EXE;.PY' }, [])), ['.com', '.exe', '.py']);
    assert.deepEqual(executableEndings(machine('win32', {}, [])), ['.com', '.exe', '.bat', '.cmd']);
    assert.deepEqual(executableEndings(machine('darwin', { PATHEXT: '.EXE' }, [])), ['']);
  });

  it('Windows: `python` on PATH is python.exe, found through PATHEXT in quoted and plain folders, first folder first', () => {
    const win = machine(
      'win32',
      { Path: '"C:\\Program Files\\Tools";C:\\Users\\ann\\py;C:\\Windows', PATHEXT: '.COM;.EXE;.BAT' },
      ['C:\\Users\\ann\\py\\python.exe', 'C:\\Windows\\python.bat', 'C:\\Windows\\py.exe'],
    );
    assert.equal(findOnPath(win, 'python'), 'C:\\Users\\ann\\py\\python.exe');
    assert.equal(findOnPath(win, 'py'), 'C:\\Windows\\py.exe');
    assert.equal(findOnPath(win, 'py.exe'), 'C:\\Windows\\py.exe', 'a name with its ending is tried as it is');
    assert.equal(findOnPath(win, 'python3'), undefined);
  });

  it('POSIX: the name itself in each PATH folder, no endings added', () => {
    const mac = machine('darwin', { PATH: '/opt/homebrew/bin:/usr/bin' }, [
      '/usr/bin/python3',
      '/opt/homebrew/bin/python3.exe',
    ]);
    assert.equal(findOnPath(mac, 'python3'), '/usr/bin/python3');
  });

  it('Windows: one key for one file whatever the case and separators; POSIX paths keep their case', () => {
    const win = machine('win32', {}, []);
    assert.equal(pathKey(win, 'c:/Proj/Sub/../A.py'), pathKey(win, 'C:\\proj\\a.py'));
    const linux = machine('linux', {}, []);
    assert.notEqual(pathKey(linux, '/proj/A.py'), pathKey(linux, '/proj/a.py'));
    assert.equal(pathKey(linux, '/proj/sub/../A.py'), '/proj/sub/../A.py', 'as given, as before');
  });

  it('paths shown to people: backslashes and an upper-case drive on Windows, as given elsewhere', () => {
    assert.equal(nativePath(machine('win32', {}, []), 'c:/Users/ann/proj/a.py'), 'C:\\Users\\ann\\proj\\a.py');
    assert.equal(nativePath(machine('linux', {}, []), '/home/ann/a.py'), '/home/ann/a.py');
  });
});
