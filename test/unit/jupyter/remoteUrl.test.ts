import * as assert from 'node:assert/strict';
import {
  isPlainHttpToRemoteHost,
  parseServerUrl,
  RemoteServerError,
  websocketUrl,
} from '../../../src/jupyter/remoteServer';
import { apiUrl } from '../../../src/jupyter/jupyterRequest';

describe('remote server URLs', () => {
  const insecure: Array<[string, boolean]> = [
    ['http://gpu-box:8888/', true],
    ['http://10.0.0.5:8888/jupyter/', true],
    ['https://gpu-box:8888/', false],
    ['http://127.0.0.1:8888/', false],
    ['http://127.5.0.1:8888/', false],
    ['http://localhost:8888/', false],
    ['http://[::1]:8888/', false],
    ['not a url', false],
  ];
  for (const [url, expected] of insecure) {
    it(`${url} is ${expected ? '' : 'not '}plain http to another machine`, () =>
      assert.equal(isPlainHttpToRemoteHost(url), expected));
  }

  it('keeps the base path, drops /lab, and takes a pasted token out of the URL', () => {
    assert.deepEqual(parseServerUrl('https://h:1/base/lab?token=abc', 'n'), {
      baseUrl: 'https://h:1/base/',
      queryToken: 'abc',
    });
  });

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

  it('derives the websocket URL from the http URL: https gives wss, base path kept', () => {
    assert.equal(websocketUrl('https://h:8443/jupyter/'), 'wss://h:8443/jupyter/');
    assert.equal(websocketUrl('http://h:8888/'), 'ws://h:8888/');
  });

  it('apiUrl joins a server URL and an API path with exactly one slash', () => {
    assert.equal(apiUrl('http://h:1/base/', '/api/status'), 'http://h:1/base/api/status');
    assert.equal(apiUrl('http://h:1', 'api/status'), 'http://h:1/api/status');
  });
});
