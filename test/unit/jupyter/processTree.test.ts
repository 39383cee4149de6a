import * as assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { findProcesses, isProcessAlive, listDescendants, readArgv, readStat } from '../../../src/jupyter/processTree';

/** The one `/proc` scan, on real processes: a shell and its child, a `sleep` whose name has spaces and parentheses. */
describe('processTree (the /proc scan product and tests share)', function () {
  if (process.platform !== 'linux') {
    return;
  }
  let dir: string;
  let sleepPath: string;
  let shell: ChildProcess;
  const isSleeper = (argv: string[]) => argv[0] === sleepPath;

  before(async () => {
    // The kernel's name in /proc/PID/stat is the file's name: "a) (b c" puts parentheses and spaces in it.
    dir = mkdtempSync(path.join(os.tmpdir(), 'ki-scan-'));
    sleepPath = path.join(dir, 'a) (b c');
    symlinkSync('/bin/sleep', sleepPath);
    shell = spawn('/bin/sh', ['-c', `"$0" 60 & wait`, sleepPath], { stdio: 'ignore' });
    const deadline = Date.now() + 5000;
    while ((await findProcesses(isSleeper)).length === 0 && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  });

  after(() => {
    shell.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  });

  it('finds a descendant by its argv, below a given root and machine-wide', async () => {
    const pid = shell.pid as number;
    const [sleeper] = await findProcesses(isSleeper, pid);
    assert.ok(sleeper, 'the sleep under the shell');
    assert.deepEqual(await findProcesses(isSleeper), [sleeper]);
    assert.deepEqual(await listDescendants(pid), [sleeper]);
    assert.ok((await listDescendants(process.pid)).includes(sleeper));
    assert.deepEqual(await readArgv(sleeper), [sleepPath, '60']);
    assert.deepEqual(await findProcesses(isSleeper, sleeper), [], 'nothing below the sleep');
  });

  it('reads state, parent and start time past a command name with spaces and parentheses', async () => {
    const pid = shell.pid as number;
    const [sleeper] = await findProcesses(isSleeper);
    const stat = await readStat(sleeper);
    assert.equal(stat?.ppid, pid);
    assert.equal((await readStat(pid))?.ppid, process.pid);
    assert.match(stat?.state ?? '', /^[RSD]$/);
    assert.match(stat?.startTime ?? '', /^\d+$/);
  });

  it('a killed process is not alive and no longer found', async () => {
    const [sleeper] = await findProcesses(isSleeper);
    assert.equal(await isProcessAlive(sleeper), true);
    process.kill(sleeper, 'SIGKILL');
    const deadline = Date.now() + 5000;
    while ((await isProcessAlive(sleeper)) && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    assert.equal(await isProcessAlive(sleeper), false);
    assert.deepEqual(await findProcesses(isSleeper), []);
  });
});
