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
