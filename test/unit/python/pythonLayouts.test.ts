import * as assert from 'node:assert/strict';
import { hostPlatform } from '../../../src/common/platform';
import { EnvironmentDiscovery } from '../../../src/python/environmentDiscovery';
import type { ProcessRunner } from '../../../src/python/processRunner';
import { describeEnvironment, forgetDescribedEnvironments } from '../../../src/python/pythonEnvironment';
import { venvRootOf } from '../../../src/python/pythonLayouts';
import { findPython, PythonNotFoundError } from '../../../src/python/pythonFinder';
import { fakePythonFileSystem } from './fakePythonFileSystem';

/**
 * One owner of the venv layout (python/pythonLayouts `venvRootOf`, `environmentRootOf`): the server finder's
 * "this python is a venv, not its base" and discovery's "this is the environment in that folder" read the same layout.
 */
describe('one venv layout for the finder and discovery (python/pythonLayouts)', () => {
  const BASE = '/usr/bin/python3.12';
  beforeEach(forgetDescribedEnvironments);
  afterEach(forgetDescribedEnvironments);

  for (const python of ['/proj/.venv/bin/python', '/proj/.venv/Scripts/python.exe']) {
    it(`${python}: both chains see the venv at /proj/.venv`, async () => {
      const cfg = '/proj/.venv/pyvenv.cfg';
      const fileSystem = fakePythonFileSystem({
        exists: (p) => [python, cfg, BASE].includes(p),
        isFile: (p) => [python, cfg, BASE].includes(p),
        isExecutable: (p) => p === python || p === BASE,
        realpath: (p) => {
          if (p === python || p === BASE) {
            return BASE;
          }
          throw Object.assign(new Error(`ENOENT: ${p}`), { code: 'ENOENT' });
        },
        readFile: (p) => (p === cfg ? 'version = 3.12.4\n' : undefined),
      });
      assert.equal(venvRootOf(python, hostPlatform({ fileSystem })), '/proj/.venv');
      assert.equal(
        describeEnvironment(python, hostPlatform({ fileSystem })).root,
        venvRootOf(python, hostPlatform({ fileSystem })),
      );
      if (python.endsWith('/bin/python')) {
        // Discovery looks for bin/python off Windows: it finds this venv in the project folder.
        const found = new EnvironmentDiscovery(hostPlatform({ env: {}, fileSystem })).find({
          dir: '/proj',
          stopAt: '/proj',
        });
        assert.equal(found?.root, '/proj/.venv');
      }
      // The finder probes the venv even though the base (same real file) was already probed: another interpreter.
      const ran: string[] = [];
      const runner: ProcessRunner = async (command) => {
        ran.push(command);
        return { code: 0, stdout: JSON.stringify({ python: '3.12.4', executable: command }), stderr: '' };
      };
      const err = await findPython({
        settingPath: BASE,
        activeInterpreter: async () => python,
        env: {},
        fileSystem,
        runner,
      }).catch((e: unknown) => e);
      assert.ok(err instanceof PythonNotFoundError);
      assert.deepEqual(ran, [BASE, python, '/usr/bin/python3']);
    });
  }

  it('without pyvenv.cfg a linked python is its base to the finder, and no venv to either chain', async () => {
    const python = '/proj/.venv/bin/python';
    const fileSystem = fakePythonFileSystem({
      isFile: (p) => p === python,
      isExecutable: (p) => p === python,
      realpath: () => BASE,
    });
    assert.equal(venvRootOf(python, hostPlatform({ fileSystem })), undefined);
    assert.equal(describeEnvironment(python, hostPlatform({ fileSystem })).version, undefined);
    const ran: string[] = [];
    const runner: ProcessRunner = async (command) => {
      ran.push(command);
      return { code: 0, stdout: JSON.stringify({ python: '3.12.4', executable: command }), stderr: '' };
    };
    await findPython({ settingPath: BASE, activeInterpreter: async () => python, env: {}, fileSystem, runner }).catch(
      () => undefined,
    );
    assert.deepEqual(ran, [BASE], 'the same interpreter is probed once');
  });
});
