import * as assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { isPortClash, resolveLauncherPath } from '../../../src/jupyter/launcherProcess';

/** The launcher process's helpers (its environment without secrets: withoutSecrets.test.ts). */
describe('launcher process (jupyter/launcherProcess)', () => {
  it('isPortClash recognizes Jupyter Server 1.x and 2.x bind failures only', () => {
    assert.ok(
      isPortClash(
        '[C 12:00 ServerApp] ERROR: the Jupyter server could not be started because no available port could be found.',
      ),
    );
    assert.ok(isPortClash('[I ServerApp] The port 8888 is already in use, trying another port.'));
    assert.ok(isPortClash('OSError: [Errno 98] Address already in use'));
    assert.ok(!isPortClash("ModuleNotFoundError: No module named 'jupyter_server'"));
  });

  describe('resolveLauncherPath', () => {
    let root: string;
    beforeEach(() => (root = mkdtempSync(path.join(os.tmpdir(), 'ki-launcher-'))));
    afterEach(() => rmSync(root, { recursive: true, force: true }));

    it('finds launcher.py next to the bundle (dist/) or this file (src/jupyter/)', () => {
      writeFileSync(path.join(root, 'launcher.py'), '');
      assert.equal(resolveLauncherPath(root), path.join(root, 'launcher.py'));
    });

    it('finds dist/launcher.py from a sibling output folder (out/)', () => {
      mkdirSync(path.join(root, 'dist'));
      mkdirSync(path.join(root, 'out'));
      writeFileSync(path.join(root, 'dist', 'launcher.py'), '');
      assert.equal(resolveLauncherPath(path.join(root, 'out')), path.join(root, 'out', '..', 'dist', 'launcher.py'));
    });

    it('says where it looked when launcher.py is missing', () => {
      assert.throws(
        () => resolveLauncherPath(root),
        /missing its launcher\.py \(looked in .*launcher\.py.*\)\. Reinstall/,
      );
    });

    it('the shipped launcher.py sits next to src/jupyter sources', () => {
      assert.match(resolveLauncherPath(), /launcher\.py$/);
    });
  });
});
