import * as assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { environmentKernelName, forgetDescribedEnvironments } from '../../../src/python/pythonEnvironment';
import { KernelStatusBar, statusText } from '../../../src/ui/kernels/statusBar';
import { vscodeDouble } from '../withVscodeDouble';

describe('status bar text (ui/kernels/statusBar)', () => {
  const doc = { uri: { toString: () => 'file:///w/a.py' } };
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

  it('sets the item only when what it shows changes (every context change asks for an update)', () => {
    let state = 'idle';
    let listener: () => void = () => undefined;
    const registry = {
      get: () => ({
        id: 'file:///w/a.py',
        label: 'a.py',
        kernelName: 'python3',
        kernelId: 'k1',
        state,
        server: 'local',
      }),
      onDidChangeContexts: (l: () => void) => {
        listener = l;
        return { dispose: () => undefined };
      },
    };
    const contexts = { forDocument: () => ({ id: 'file:///w/a.py', label: 'a.py', kernelName: 'python3' }) };
    vscodeDouble.activeTextEditor = { document: doc };
    const bar = new KernelStatusBar(registry as never, contexts as never, () => true);
    const [item] = vscodeDouble.statusBarItems;
    const { sets } = item;
    const first = sets.splice(0);
    assert.ok(first.includes('text'), `the first update sets the text: ${JSON.stringify(first)}`);
    listener();
    listener();
    assert.deepEqual(sets.splice(0), [], 'changes of other contexts set nothing');
    state = 'busy';
    listener();
    assert.ok(sets.splice(0).includes('text'), 'a new state is shown');
    assert.equal(item.text, '$(loading~spin) local · python3: busy');
    bar.dispose();
  });
});
