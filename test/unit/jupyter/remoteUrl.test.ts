import * as assert from 'node:assert/strict';
import { isPlainHttpToRemoteHost, parseServerUrl, websocketUrl } from '../../../src/jupyter/remoteServer';

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

  it('derives the websocket URL from the http URL: https gives wss, base path kept', () => {
    assert.equal(websocketUrl('https://h:8443/jupyter/'), 'wss://h:8443/jupyter/');
    assert.equal(websocketUrl('http://h:8888/'), 'ws://h:8888/');
  });
});
