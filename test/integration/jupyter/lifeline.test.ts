import * as assert from 'node:assert/strict';
import { callLifeline, type LifelineTarget } from '../../../src/jupyter/lifeline';
import { startTestServer, type TestServer } from '../fixtures/localServer';
import { waitUntilGone } from './processes';

/** The launcher's lifeline endpoint on a real server: who may claim, renew, release and stop it. */
describe('launcher lifeline (POST ki/lifeline, real server)', function () {
  this.timeout(60_000);
  let t: TestServer;
  let target: LifelineTarget;

  beforeEach(async () => {
    t = await startTestServer({ graceSeconds: 30 });
    target = { baseUrl: t.connection.settings.baseUrl, token: t.connection.settings.token };
  });
  afterEach(async () => {
    await t.server.stop();
    // A released server is no longer ours to stop through `server`: stop it over the lifeline.
    await callLifeline(target, 'stop', { host: 'cleanup' });
    assert.deepEqual(await waitUntilGone([t.connection.pid as number], 20_000), []);
  });

  it('refuses requests without the token or with a wrong one (403)', async () => {
    for (const token of ['', 'f'.repeat(64)]) {
      const answer = await callLifeline({ ...target, token }, 'stop', { host: 'intruder' });
      assert.deepEqual('status' in answer && answer.status, 403);
    }
    assert.equal(await isServing(target), true, 'an unauthenticated stop stopped the server');
  });

  it('rejects an unknown action (400)', async () => {
    const response = await fetch(`${target.baseUrl}ki/lifeline`, {
      method: 'POST',
      headers: { Authorization: `token ${target.token}` },
      body: JSON.stringify({ action: 'explode', host: 'h' }),
    });
    assert.equal(response.status, 400);
  });

  it('cannot be claimed while the process that started it holds its pipe (409)', async () => {
    const answer = await callLifeline(target, 'claim', { host: 'other-window', graceSeconds: 5 });
    assert.deepEqual('status' in answer && answer.status, 409);
  });

  it('after release: one host claims it, only that host renews it, and a later claim takes it over', async () => {
    t.server.release();
    const claim = await waitForClaim(target, 'first');
    assert.equal(claim, 200);
    const renew = async (host: string) => {
      const answer = await callLifeline(target, 'heartbeat', { host, graceSeconds: 5 });
      return 'status' in answer ? answer.status : answer.unreachable;
    };
    assert.equal(await renew('first'), 200);
    assert.equal(await renew('stranger'), 409);
    assert.equal(await waitForClaim(target, 'second'), 200);
    assert.equal(await renew('first'), 409, 'the host that lost the server can still renew it');
    assert.equal(await renew('second'), 200);
  });
});

/** The launcher notices the closed pipe a moment after `release()`; claims are refused (409) until then. */
async function waitForClaim(target: LifelineTarget, host: string): Promise<number | string> {
  const deadline = Date.now() + 5000;
  for (;;) {
    const answer = await callLifeline(target, 'claim', { host, graceSeconds: 5 });
    const status = 'status' in answer ? answer.status : answer.unreachable;
    if (status !== 409 || Date.now() > deadline) {
      return status;
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

async function isServing(target: LifelineTarget): Promise<boolean> {
  const response = await fetch(`${target.baseUrl}api/status`, { headers: { Authorization: `token ${target.token}` } });
  return response.status === 200;
}
