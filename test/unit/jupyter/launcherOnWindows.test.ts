import * as assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import * as path from 'node:path';

const JUPYTER_DIR = path.resolve(__dirname, '..', '..', '..', 'src', 'jupyter');

/** Runs `script` in /usr/bin/python3 with the launcher's modules importable; resolves with its stdout. */
function python(script: string): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile('/usr/bin/python3', ['-c', script], { cwd: JUPYTER_DIR, timeout: 20_000 }, (err, stdout, stderr) =>
      err ? reject(new Error(`${err.message}\n${stderr}`)) : resolve(stdout.trim()),
    );
  });
}

/** What the launcher does where Python has no POSIX-only names (Windows), simulated by removing them. */
describe('the launcher without POSIX signals (server_lifeline.py, as on Windows)', function () {
  if (process.platform === 'win32') {
    return;
  }

  it("the stop watchdog's hard kill works without signal.SIGKILL (SIGTERM is TerminateProcess there)", async () => {
    const exit = await python(
      [
        'import signal, subprocess, sys',
        'del signal.SIGKILL',
        'sys.path.insert(0, ".")',
        'import server_lifeline',
        'child = subprocess.Popen(["sleep", "60"])',
        'server_lifeline.kill_hard(child.pid)',
        'print(child.wait())',
      ].join('\n'),
    );
    assert.equal(exit, String(-15), 'ended by SIGTERM, the only kill Windows has');
  });
});
