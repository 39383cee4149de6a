import * as assert from 'node:assert/strict';
import { waitForEvent } from '../../../src/common/event';
import { chooseFreePort } from '../../../src/jupyter/freePort';
import { RemoteJupyterServer, RemoteServerError } from '../../../src/jupyter/remoteServer';
import { startTestServer, type TestServer } from '../fixtures/localServer';
import { runOnFreshKernel } from './connectionCheck';

function rejectsWith(kind: RemoteServerError['kind'], pattern: RegExp, secret?: string) {
  return (err: unknown) => {
    assert.ok(err instanceof RemoteServerError, String(err));
    assert.equal(err.kind, kind);
    assert.match(err.message, pattern);
    assert.ok(!secret || !err.message.includes(secret), 'the token leaked into the message');
    return true;
  };
}

describe('RemoteJupyterServer against a second real server with a base_url', () => {
  let backing: TestServer;
  let url: string;
  let token: string;

  before(async function () {
    this.timeout(60_000);
    backing = await startTestServer({ baseUrl: '/remote-base/' });
    url = backing.connection.settings.baseUrl;
    token = backing.connection.settings.token;
  });
  after(async () => backing?.server.stop());

  it('the local server honours its base_url', () => {
    assert.match(url, /^http:\/\/127\.0\.0\.1:\d+\/remote-base\/$/);
  });

  it('connects with URL and token; REST and websocket both work through its settings', async () => {
    const remote = new RemoteJupyterServer({ name: 'lab box', url, token });
    try {
      const connection = await remote.getServer();
      assert.equal(connection.kind, 'remote');
      assert.equal(connection.name, 'lab box');
      assert.equal(connection.settings.baseUrl, url);
      assert.equal(connection.settings.wsUrl, url.replace('http:', 'ws:'));
      assert.equal(remote.state, 'running');
      assert.equal((await runOnFreshKernel(connection.settings)).result, '42');
    } finally {
      remote.dispose();
    }
  });

  it('the local server settings work over the websocket too', async () => {
    assert.equal((await runOnFreshKernel(backing.connection.settings)).result, '42');
  });

  it('takes the token from a URL pasted from the browser', async () => {
    const remote = new RemoteJupyterServer({ name: 'pasted', url: `${url}lab?token=${token}`, token: '' });
    const connection = await remote.getServer();
    assert.equal(connection.settings.baseUrl, url);
    assert.equal(connection.settings.token, token);
  });

  it('says the token is wrong on a 403', async () => {
    const wrong = 'b'.repeat(64);
    const remote = new RemoteJupyterServer({ name: 'lab box', url, token: wrong });
    await assert.rejects(
      remote.getServer(),
      rejectsWith('wrong-token', /"lab box".*refused the token \(HTTP 403\)/, wrong),
    );
    assert.equal(remote.state, 'stopped');
  });

  it('says the server cannot be reached when nothing listens', async () => {
    const port = await chooseFreePort();
    const remote = new RemoteJupyterServer({ name: 'gone', url: `http://127.0.0.1:${port}/`, token });
    await assert.rejects(remote.getServer(), rejectsWith('unreachable', /Cannot reach .*ECONNREFUSED/, token));
  });

  it('says the URL is not a Jupyter Server when the base path is wrong', async () => {
    const remote = new RemoteJupyterServer({ name: 'typo', url: url.replace('remote-base', 'remote-bsae'), token });
    await assert.rejects(remote.getServer(), rejectsWith('not-jupyter', /HTTP 404.*base path/, token));
  });

  it('check() notices a server that went away and fires onDidDie', async () => {
    const own = await startTestServer({ baseUrl: '/short-lived/' });
    const remote = new RemoteJupyterServer({
      name: 'short',
      url: own.connection.settings.baseUrl,
      token: own.connection.settings.token,
    });
    await remote.getServer();
    assert.equal(await remote.check(), true);
    await own.server.stop();
    const died = waitForEvent(remote.onDidDie);
    assert.equal(await remote.check(), false);
    assert.match((await died).reason, /Cannot reach/);
    assert.equal(remote.state, 'dead');
  });
});
