import * as assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { EnvironmentChecker, EnvironmentNotReadyError, installCommand } from '../../../src/python/environmentCheck';
import type { ProcessResult } from '../../../src/python/processRunner';

/** The shared probe's answer (python/pythonProbe), after a line of site noise. */
const answer = (report: Record<string, string>): ProcessResult => ({
  code: 0,
  stdout: `noise from sitecustomize\n${JSON.stringify(report)}\n`,
  stderr: '',
});
const ALL_THERE = { python: '3.12.4', jupyter_server: 'present', ipykernel: 'present', ipykernel_launcher: 'present' };

describe('environment check before a kernel starts (python/environmentCheck)', () => {
  let dir: string;
  let python: string;
  beforeEach(() => {
    dir = realpathSync(mkdtempSync(path.join(os.tmpdir(), 'ki-envcheck-')));
    mkdirSync(path.join(dir, 'proj', '.venv', 'bin'), { recursive: true });
    writeFileSync(path.join(dir, 'proj', '.venv', 'pyvenv.cfg'), 'version = 3.12.4\n');
    python = path.join(dir, 'proj', '.venv', 'bin', 'python');
    writeFileSync(python, '');
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const answering = (answers: ProcessResult[]) => {
    const calls: string[] = [];
    const runner = async (command: string) => {
      calls.push(command);
      return answers.shift() ?? answer(ALL_THERE);
    };
    return { runner, calls };
  };

  it('asks once per interpreter while it passes; asks again after a failure (the user may have fixed it)', async () => {
    const { runner, calls } = answering([
      answer({ python: '3.12.4', ipykernel_error: 'ImportError', ipykernel_launcher_error: 'ImportError' }),
      answer(ALL_THERE),
    ]);
    const checker = new EnvironmentChecker(runner);
    const failure = await checker.check(python).then(
      () => assert.fail('passed without ipykernel'),
      (err: unknown) => err,
    );
    assert.ok(failure instanceof EnvironmentNotReadyError);
    assert.equal(failure.problem, 'no-ipykernel');
    assert.equal(failure.fix, `${python} -m pip install ipykernel`);
    assert.equal(
      failure.message,
      `The Python environment .venv (3.12) (${path.dirname(path.dirname(python))}) has no ipykernel, so it cannot run ` +
        `a kernel. Nothing was started in another Python. Fix: ${python} -m pip install ipykernel`,
    );
    await checker.check(python);
    await checker.check(python);
    assert.equal(calls.length, 2, 'the failure was asked again, the success kept');
  });

  it('a missing interpreter is reported without starting a process', async () => {
    const { runner, calls } = answering([]);
    rmSync(path.join(dir, 'proj', '.venv'), { recursive: true });
    const failure = await new EnvironmentChecker(runner).check(python).then(
      () => assert.fail('passed without an interpreter'),
      (err: unknown) => err,
    );
    assert.ok(failure instanceof EnvironmentNotReadyError);
    assert.equal(failure.problem, 'missing');
    assert.equal(failure.fix, undefined);
    assert.match(failure.message, /no longer exists: .*bin\/python is missing\. Nothing was started in another Python/);
    assert.deepEqual(calls, []);
  });

  it('the fix command quotes a path a shell would split', () => {
    assert.equal(
      installCommand('/w/my proj/.venv/bin/python'),
      "'/w/my proj/.venv/bin/python' -m pip install ipykernel",
    );
    assert.equal(installCommand('/w/p/.venv/bin/python'), '/w/p/.venv/bin/python -m pip install ipykernel');
  });
});
