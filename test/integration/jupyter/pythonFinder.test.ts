import * as assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { execFileRunner } from '../../../src/jupyter/processRunner';
import { findPython } from '../../../src/jupyter/pythonFinder';
import { probePython } from '../../../src/jupyter/pythonProbe';

describe('findPython on this machine (real interpreters)', () => {
  it('passes over a PATH python3 without the packages and finds /usr/bin/python3', async function () {
    const pathProbe = await probePython(execFileRunner, 'python3', 15_000);
    if (pathProbe.ok || !existsSync('/usr/bin/python3')) {
      // The premise (PATH python3 lacks jupyter_server, /usr/bin/python3 has it) does not hold here.
      this.skip();
    }
    const found = await findPython({ env: { PATH: process.env.PATH } });
    assert.equal(found.path, '/usr/bin/python3');
    assert.equal(found.source, 'system');
    assert.match(found.versions.jupyterServer, /^\d+\.\d+/);
    assert.match(found.versions.ipykernel, /^\d+\.\d+/);
  });

  it('reports which package a real interpreter lacks', async function () {
    const probe = await probePython(execFileRunner, 'python3', 15_000);
    if (probe.ok) {
      // PATH's python3 has everything on this machine: nothing to report.
      this.skip();
    }
    assert.equal(probe.failure, 'missing-jupyter-server');
    assert.match(
      probe.detail,
      /jupyter_server is not installed \(ModuleNotFoundError: No module named 'jupyter_server'\)/,
    );
  });

  it('reports a path that does not exist as not found', async () => {
    const probe = await probePython(execFileRunner, '/nonexistent/bin/python3', 15_000);
    assert.deepEqual(probe, { ok: false, failure: 'not-found', detail: 'cannot run it (ENOENT)' });
  });
});
