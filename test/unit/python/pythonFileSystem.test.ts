import * as assert from 'node:assert/strict';
import { hostPlatform } from '../../../src/common/platform';
import { EnvironmentChecker, EnvironmentNotReadyError } from '../../../src/python/environmentCheck';
import { EnvironmentDiscovery } from '../../../src/python/environmentDiscovery';
import type { ProcessRunner } from '../../../src/python/processRunner';
import { forgetDescribedEnvironments } from '../../../src/python/pythonEnvironment';
import { findPython } from '../../../src/python/pythonFinder';
import { fakePythonFileSystem } from './fakePythonFileSystem';

/**
 * One file-system seam for every chain: a fake layout handed to the server finder, project discovery and the
 * environment check is the same machine for all three (a live venv in /proj, a deleted one's dangling python in /gone).
 */
describe('one file-system seam for the finder, discovery and the check (python/pythonFileSystem)', () => {
  const live = '/proj/.venv/bin/python';
  const dangling = '/gone/.venv/bin/python';
  const layout = () =>
    fakePythonFileSystem({
      exists: (p) => p === live || p === '/proj/.venv/pyvenv.cfg',
      isFile: (p) => p === live || p === '/proj/.venv/pyvenv.cfg',
      isDirectory: (p) => ['/proj', '/proj/.venv', '/proj/.venv/bin', '/gone', '/gone/.venv'].includes(p),
      isExecutable: (p) => p === live,
      realpath: (p) => {
        if (p === live) {
          return '/usr/bin/python3.12';
        }
        throw Object.assign(new Error(`ENOENT: ${p}`), { code: 'ENOENT' });
      },
      readFile: (p) => (p === '/proj/.venv/pyvenv.cfg' ? 'home = /usr/bin\nversion = 3.12.4\n' : undefined),
    });
  const answers: ProcessRunner = async (command, args) =>
    command === live
      ? {
          code: 0,
          stdout: JSON.stringify({
            python: '3.12.4',
            executable: command,
            jupyter_server: args.includes('--versions') ? '2.14.0' : 'present',
            ipykernel: args.includes('--versions') ? '6.29.0' : 'present',
            ipykernel_launcher: 'present',
          }),
          stderr: '',
        }
      : { code: null, stdout: '', stderr: '', errorCode: 'ENOENT' };
  beforeEach(forgetDescribedEnvironments);
  afterEach(forgetDescribedEnvironments);

  it('the live venv: discovery finds it, the finder runs it from PATH, the check passes it', async () => {
    const fileSystem = layout();
    const found = new EnvironmentDiscovery(hostPlatform({ env: {}, fileSystem })).find({
      dir: '/proj',
      stopAt: '/proj',
    });
    assert.deepEqual([found?.python, found?.label], [live, '.venv (3.12)']);
    const server = await findPython({ env: { PATH: '/proj/.venv/bin' }, fileSystem, runner: answers });
    assert.deepEqual([server.path, server.source], [live, 'PATH python']);
    await new EnvironmentChecker(answers, hostPlatform({ fileSystem })).check(live);
  });

  it('the dangling python: discovery skips it, the finder does not see it on PATH, the check says missing', async () => {
    const fileSystem = layout();
    assert.equal(
      new EnvironmentDiscovery(hostPlatform({ env: {}, fileSystem })).find({ dir: '/gone', stopAt: '/gone' }),
      undefined,
    );
    const ran: string[] = [];
    const runner: ProcessRunner = (command, args, options) => {
      ran.push(command);
      return answers(command, args, options);
    };
    await findPython({ env: { PATH: '/gone/.venv/bin' }, fileSystem, runner }).catch(() => undefined);
    assert.deepEqual(ran, ['/usr/bin/python3'], 'only the system fallback was tried');
    const failure = await new EnvironmentChecker(runner, hostPlatform({ fileSystem }))
      .check(dangling)
      .catch((e: unknown) => e);
    assert.ok(failure instanceof EnvironmentNotReadyError);
    assert.equal(failure.problem, 'missing');
    assert.deepEqual(ran, ['/usr/bin/python3'], 'the check started nothing');
  });
});
