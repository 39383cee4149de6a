import * as assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { compareVersions } from '../../../src/jupyter/pythonProbe';
import { parseServerUrl, RemoteServerError } from '../../../src/jupyter/remoteServer';
import { apiUrl } from '../../../src/jupyter/serverStatus';
import { generateToken, maskToken } from '../../../src/jupyter/token';
import { isPortClash, resolveLauncherPath } from '../../../src/jupyter/launcherProcess';

describe('jupyter helpers', () => {
  describe('generateToken', () => {
    it('gives 256 random bits as hex, different each time', () => {
      const a = generateToken();
      assert.match(a, /^[0-9a-f]{64}$/);
      assert.notEqual(a, generateToken());
    });
  });

  describe('maskToken', () => {
    const token = 'a'.repeat(64);
    for (const [input, expected] of [
      [`ready, token is ${token} !`, 'ready, token is <token> !'],
      ['http://127.0.0.1:8888/?token=deadbeef&x=1', 'http://127.0.0.1:8888/?token=<token>&x=1'],
      ['GET /lab?a=1&token=cafe HTTP/1.1', 'GET /lab?a=1&token=<token> HTTP/1.1'],
      ['Authorization: token 1234abcd', 'Authorization: token <token>'],
      ['nothing to hide', 'nothing to hide'],
    ] as const) {
      it(`masks ${JSON.stringify(input)}`, () => assert.equal(maskToken(input, token), expected));
    }
  });

  describe('compareVersions', () => {
    for (const [a, b, sign] of [
      ['6.17.0', '6.0', 1],
      ['1.8', '1.8.0', 0],
      ['1.23.3', '2.0', -1],
      ['2.0.0rc1', '2.0', 0],
      ['3.10.12', '3.8', 1],
    ] as const) {
      it(`${a} vs ${b}`, () => assert.equal(Math.sign(compareVersions(a, b)), sign));
    }
  });

  describe('parseServerUrl', () => {
    for (const [url, baseUrl, queryToken] of [
      ['http://host:8888', 'http://host:8888/', ''],
      ['https://host/jupyter', 'https://host/jupyter/', ''],
      ['http://host:8888/lab?token=abc', 'http://host:8888/', 'abc'],
      ['http://host:8888/base/tree/sub?token=t#x', 'http://host:8888/base/', 't'],
    ] as const) {
      it(`normalizes ${url}`, () => assert.deepEqual(parseServerUrl(url, 'n'), { baseUrl, queryToken }));
    }

    it('rejects a non-http URL and never echoes it (it may hold a token)', () => {
      assert.throws(
        () => parseServerUrl('ftp://host/?token=secret', 'work'),
        (err: RemoteServerError) => err.kind === 'invalid-url' && !err.message.includes('secret'),
      );
      assert.throws(
        () => parseServerUrl('not a url token=secret', 'work'),
        (err: RemoteServerError) => err.kind === 'invalid-url' && !err.message.includes('secret'),
      );
    });
  });

  it('apiUrl joins with exactly one slash', () => {
    assert.equal(apiUrl('http://h:1/base/', '/api/status'), 'http://h:1/base/api/status');
    assert.equal(apiUrl('http://h:1', 'api/status'), 'http://h:1/api/status');
  });

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
  });

  it('the shipped launcher.py sits next to src/jupyter sources', () => {
    assert.match(resolveLauncherPath(), /launcher\.py$/);
  });
});
