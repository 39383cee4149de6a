import * as assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { environmentKernelName, forgetDescribedEnvironments } from '../../../src/jupyter/pythonEnvironment';
import { requireWithVscodeStub } from '../withVscodeStub';

describe('status bar text (ui/statusBar)', () => {
  const { statusText } = requireWithVscodeStub<typeof import('../../../src/ui/statusBar')>(
    require.resolve('../../../src/ui/statusBar'),
    { window: {}, StatusBarAlignment: {} },
  );
  let dir: string;
  before(() => {
    dir = realpathSync(mkdtempSync(path.join(os.tmpdir(), 'ki-status-')));
    forgetDescribedEnvironments();
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it("names the project environment between the server and the kernel: 'local · .venv (3.13) · python3: idle'", () => {
    const root = path.join(dir, 'proj-a', '.venv');
    mkdirSync(path.join(root, 'bin'), { recursive: true });
    writeFileSync(path.join(root, 'pyvenv.cfg'), 'home = /usr/bin\nversion = 3.13.1\n');
    const kernelName = environmentKernelName(path.join(root, 'bin', 'python'));
    assert.equal(
      statusText({ kernelName, state: 'idle', server: 'local' }),
      '$(circle-filled) local · .venv (3.13) · python3: idle',
    );
    assert.equal(
      statusText({ kernelName, state: 'not-started', server: 'local' }),
      '$(circle-outline) local · .venv (3.13) · python3: not started',
    );
  });

  it("the server's own Python reads as before", () => {
    assert.equal(
      statusText({ kernelName: 'python3', state: 'busy', server: 'local' }),
      '$(loading~spin) local · python3: busy',
    );
  });
});
