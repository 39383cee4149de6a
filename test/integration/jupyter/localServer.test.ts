import * as assert from 'node:assert/strict';
import { restCall } from './rest';
import { useTestServer } from '../fixtures/localServer';

describe('LocalJupyterServer (real server)', () => {
  const t = useTestServer();

  it('answers /api/status with the token', async () => {
    const { status, body } = await restCall(t.connection, 'api/status');
    assert.equal(status, 200);
    assert.equal(typeof (body as { started?: unknown }).started, 'string');
    assert.equal(t.server.state, 'running');
  });

  it('refuses a request without the token (403)', async () => {
    const { status } = await restCall(t.connection, 'api/kernels', { token: null });
    assert.equal(status, 403);
  });

  it('refuses a request with a wrong token (403)', async () => {
    const { status } = await restCall(t.connection, 'api/kernels', { token: 'f'.repeat(64) });
    assert.equal(status, 403);
  });
});
