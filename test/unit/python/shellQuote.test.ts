import * as assert from 'node:assert/strict';
import { installCommand } from '../../../src/python/environmentCheck';
import type { ProcessRunner } from '../../../src/python/processRunner';
import { findPython, PythonNotFoundError } from '../../../src/python/pythonFinder';
import { shellQuote } from '../../../src/python/shellQuote';

describe('one shell-quoting rule (python/shellQuote)', () => {
  it('leaves plain words alone and single-quotes anything a shell would split or expand', () => {
    assert.equal(shellQuote('/w/p/.venv/bin/python'), '/w/p/.venv/bin/python');
    assert.equal(shellQuote('/w/my proj/python'), "'/w/my proj/python'");
    assert.equal(shellQuote('/w/$HOME/python'), "'/w/$HOME/python'");
    assert.equal(shellQuote("/w/it's/python"), "'/w/it'\\''s/python'");
  });

  it('on Windows: a plain path as it is (\\ is no escape there), else a PowerShell call of a quoted path', () => {
    const windows = { os: 'win32' as const };
    assert.equal(shellQuote('C:\\p\\.venv\\Scripts\\python.exe', windows), 'C:\\p\\.venv\\Scripts\\python.exe');
    assert.equal(
      shellQuote('C:\\Program Files\\Python312\\python.exe', windows),
      "& 'C:\\Program Files\\Python312\\python.exe'",
    );
    assert.equal(shellQuote("C:\\Ann's\\python.exe", windows), "& 'C:\\Ann''s\\python.exe'");
  });

  it("the server finder's fix and the environment check's fix quote the same interpreter the same way", async () => {
    for (const python of ['/w/p/bin/python', '/w/my proj/bin/python', "/w/it's $x/bin/python"]) {
      // The interpreter runs but has neither package: the finder's message names it in its fix command.
      const runner: ProcessRunner = async (command) =>
        command === python
          ? { code: 0, stdout: JSON.stringify({ python: '3.11.2', executable: python }), stderr: '' }
          : { code: null, stdout: '', stderr: '', errorCode: 'ENOENT' };
      const err = await findPython({ settingPath: python, env: { PATH: '' }, runner }).catch((e: unknown) => e);
      assert.ok(err instanceof PythonNotFoundError);
      const quoted = shellQuote(python);
      assert.ok(err.message.includes(`  ${quoted} -m pip install --upgrade`), err.message);
      assert.ok(installCommand(python).startsWith(`${quoted} -m pip install`), installCommand(python));
    }
  });
});
