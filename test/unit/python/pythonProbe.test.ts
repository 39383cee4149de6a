import * as assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { EnvironmentChecker, EnvironmentNotReadyError } from '../../../src/python/environmentCheck';
import type { ProcessRunner } from '../../../src/python/processRunner';
import { findPython, PythonNotFoundError } from '../../../src/python/pythonFinder';
import { PROBE_SCRIPT } from '../../../src/python/pythonProbe';

/**
 * One probe for both chains: the server finder and the environment check run the same script, and read the same
 * report the same way. A fake interpreter answers the report a real one would for its packages.
 */
describe('one probe for the server finder and the environment check (python/pythonProbe)', () => {
  let dir: string;
  let python: string;
  beforeEach(() => {
    dir = realpathSync(mkdtempSync(path.join(os.tmpdir(), 'ki-probe-')));
    mkdirSync(path.join(dir, '.venv', 'bin'), { recursive: true });
    python = path.join(dir, '.venv', 'bin', 'python');
    writeFileSync(python, '');
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  /** A Python with these packages; records the scripts it was asked to run. */
  const fakePython = (installed: { jupyter_server?: string; ipykernel?: string; ipykernel_launcher?: boolean }) => {
    const scripts: string[] = [];
    const runner: ProcessRunner = async (command, args) => {
      assert.equal(args[0], '-c');
      scripts.push(args[1] ?? '');
      if (command !== python) {
        return { code: null, stdout: '', stderr: '', errorCode: 'ENOENT' };
      }
      const versions = args.includes('--versions');
      const report: Record<string, string> = { python: '3.12.4', executable: command };
      for (const [name, version] of [
        ['jupyter_server', installed.jupyter_server],
        ['ipykernel', installed.ipykernel],
        ['ipykernel_launcher', installed.ipykernel_launcher ? 'present' : undefined],
      ] as const) {
        if (version === undefined) {
          report[`${name}_error`] = `ModuleNotFoundError: No module named '${name}'`;
        } else {
          report[name] = versions && name !== 'ipykernel_launcher' ? version : 'present';
        }
      }
      return { code: 0, stdout: `${JSON.stringify(report)}\n`, stderr: '' };
    };
    return { runner, scripts };
  };

  const finderSays = async (runner: ProcessRunner) => {
    const found = await findPython({ settingPath: python, env: { PATH: '' }, runner }).catch((e: unknown) => e);
    if (found instanceof PythonNotFoundError) {
      return found.rejected[0]?.failure === 'missing-ipykernel' ? 'no-ipykernel' : 'other';
    }
    return 'has-ipykernel';
  };
  const checkerSays = async (runner: ProcessRunner) => {
    const outcome = await new EnvironmentChecker(runner).check(python).catch((e: unknown) => e);
    if (outcome instanceof EnvironmentNotReadyError) {
      return outcome.problem;
    }
    return outcome === undefined ? 'has-ipykernel' : 'other';
  };

  it('both run the same script', async () => {
    const { runner, scripts } = fakePython({ jupyter_server: '2.14.0', ipykernel: '6.29.0', ipykernel_launcher: true });
    await findPython({ settingPath: python, env: { PATH: '' }, runner });
    await new EnvironmentChecker(runner).check(python);
    assert.deepEqual(scripts, [PROBE_SCRIPT, PROBE_SCRIPT]);
  });

  it('both agree on whether ipykernel is there', async () => {
    const withIpykernel = fakePython({ jupyter_server: '2.14.0', ipykernel: '6.29.0', ipykernel_launcher: true });
    assert.equal(await finderSays(withIpykernel.runner), 'has-ipykernel');
    assert.equal(await checkerSays(withIpykernel.runner), 'has-ipykernel');
    const without = fakePython({ jupyter_server: '2.14.0' });
    assert.equal(await finderSays(without.runner), 'no-ipykernel');
    assert.equal(await checkerSays(without.runner), 'no-ipykernel');
  });
});
