import * as assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { execFileRunner, type ProcessRunner } from '../../../src/python/processRunner';
import { findPython } from '../../../src/python/pythonFinder';
import { probePython } from '../../../src/python/pythonProbe';
import { TEST_PYTHON } from '../fixtures/localServer';

/**
 * Real interpreters, with a PATH the test makes instead of this machine's (which decided before whether these tests
 * ran at all): a folder whose `python3` and `python` run the test interpreter with `-I -S` (no site-packages, no
 * PYTHONPATH or user site), a real Python in which jupyter_server and ipykernel do not import. The system
 * interpreter the finder falls back to, /usr/bin/python3, is the integration tests' own (TEST_PYTHON's default),
 * which has both packages.
 */
describe('findPython on this machine (real interpreters)', () => {
  let bare: string;

  before(() => {
    bare = mkdtempSync(path.join(os.tmpdir(), 'ki-bare-python-'));
    for (const name of ['python3', 'python']) {
      writeFileSync(path.join(bare, name), `#!/bin/sh\nexec ${JSON.stringify(TEST_PYTHON)} -I -S "$@"\n`, {
        mode: 0o755,
      });
    }
  });
  after(() => rmSync(bare, { recursive: true, force: true }));

  it('passes over a PATH python3 and python without the packages and finds /usr/bin/python3', async () => {
    const ran: string[] = [];
    const runner: ProcessRunner = (command, args, options) => {
      ran.push(command);
      return execFileRunner(command, args, options);
    };
    const found = await findPython({ env: { PATH: bare }, runner });
    assert.deepEqual(ran, [path.join(bare, 'python3'), path.join(bare, 'python'), '/usr/bin/python3']);
    assert.equal(found.path, '/usr/bin/python3');
    assert.equal(found.source, 'system');
    assert.match(found.versions.jupyterServer, /^\d+\.\d+/);
    assert.match(found.versions.ipykernel, /^\d+\.\d+/);
  });

  it('reports which package a real interpreter lacks', async () => {
    const probe = await probePython(execFileRunner, path.join(bare, 'python3'), 15_000);
    assert.equal(probe.ok, false);
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
