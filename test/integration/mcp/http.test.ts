import * as assert from 'node:assert/strict';
import { findKernelPid, stillRunning } from '../../shared/kernelProcesses';
import { serverKernelIds } from '../kernels/helpers';
import { waitFor } from '../../shared/poll';
import { generateToken } from '../../../src/jupyter/token';
import {
  call,
  endHttpSession,
  httpSession,
  run,
  sessionKernelIds,
  textOf,
  useMcpHttp,
  valueOf,
  writeAndReadBack,
} from './mcpClients';

const INITIALIZE = {
  jsonrpc: '2.0',
  id: 1,
  method: 'initialize',
  params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'raw', version: '1' } },
};

describe('MCP over Streamable HTTP (127.0.0.1, bearer token, one island per Mcp-Session-Id)', function () {
  this.timeout(120_000);
  const mcp = useMcpHttp();

  it('refuses a request without the token or with a wrong one (401), before any session exists', async () => {
    const post = (headers: Record<string, string>) =>
      fetch(mcp.http.url, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', Accept: 'application/json, text/event-stream', ...headers },
        body: JSON.stringify(INITIALIZE),
      });
    assert.equal((await post({})).status, 401);
    assert.equal((await post({ Authorization: `Bearer ${generateToken()}` })).status, 401);
    assert.equal((await post({ Authorization: `Bearer ${mcp.token.slice(0, -1)}` })).status, 401);
    assert.equal((await post({ Authorization: mcp.token })).status, 401, 'the token without "Bearer"');
    await assert.rejects(httpSession(mcp.http.url, undefined), /401|Unauthorized/);
    await assert.rejects(httpSession(mcp.http.url, 'wrong-token'), /401|Unauthorized/);
    assert.equal(mcp.http.sessionCount, 0);
    assert.equal((await post({ Authorization: `Bearer ${mcp.token}` })).status, 200, 'the right token gets in');
  });

  it('five sessions at once each keep their own x in context main (20 reads each); ending a session shuts its kernels down', async () => {
    const openBefore = mcp.http.sessionCount;
    const sessions = await Promise.all([0, 1, 2, 3, 4].map(() => httpSession(mcp.http.url, mcp.token)));
    try {
      const seen = await Promise.all(sessions.map((s, i) => writeAndReadBack(s.client, `http-${i}`, 20)));
      seen.forEach((values, i) => assert.deepEqual(values, Array(20).fill(`'http-${i}'`), `session ${i}`));
      const kernels = (await Promise.all(sessions.map((s) => sessionKernelIds(s.client)))).flat();
      assert.equal(new Set(kernels).size, 5, 'five kernels, one per session');
      const connection = await mcp.engine.jupyter.getServer();
      const listed = await serverKernelIds(connection);
      assert.ok(
        kernels.every((id) => listed.includes(id)),
        'the server lists every session kernel',
      );
      const pids = await Promise.all(kernels.map(findKernelPid));
      assert.deepEqual(await stillRunning(pids), pids, 'every session kernel process runs');

      await endHttpSession(sessions[0]);
      await waitFor('session 0 kernel to leave /api/kernels', async () =>
        (await serverKernelIds(connection)).includes(kernels[0]) ? undefined : true,
      );
      await waitFor('session 0 kernel process to exit', async () =>
        (await stillRunning([pids[0]])).length > 0 ? undefined : true,
      );
      assert.deepEqual(await stillRunning(pids.slice(1)), pids.slice(1), 'the other sessions keep their kernels');
      assert.equal(valueOf(await run(sessions[1].client, 'x', 'main')), "'http-1'");

      await Promise.all(sessions.slice(1).map(endHttpSession));
      await waitFor('every session kernel to leave /api/kernels', async () => {
        const now = await serverKernelIds(connection);
        return kernels.some((id) => now.includes(id)) ? undefined : true;
      });
      await waitFor('every session kernel process to exit', async () =>
        (await stillRunning(pids)).length > 0 ? undefined : true,
      );
      assert.equal(mcp.http.sessionCount, openBefore);
    } finally {
      await Promise.allSettled(sessions.map((s) => s.client.close()));
    }
  });

  it('keeps variables across calls of one session; a new session naming the same context does not see them', async () => {
    const first = await httpSession(mcp.http.url, mcp.token);
    const second = await httpSession(mcp.http.url, mcp.token);
    try {
      await run(first.client, 'y = 7', 'work');
      assert.equal(valueOf(await run(first.client, 'y * 6', 'work')), '42');
      assert.match(await run(second.client, 'y', 'work'), /NameError: name 'y' is not defined/);
    } finally {
      await Promise.allSettled([endHttpSession(first), endHttpSession(second)]);
    }
  });

  it('returns a plot as MCP image content, next to the text', async () => {
    const session = await httpSession(mcp.http.url, mcp.token);
    try {
      // A 1x1 PNG, displayed as a plotting library would.
      const pixel = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==';
      const result = await call(session.client, 'run_code', {
        code: `import base64\nfrom IPython.display import Image, display\ndisplay(Image(data=base64.b64decode('${pixel}')))\nprint('plotted')`,
      });
      assert.equal(result.isError, undefined, textOf(result));
      assert.match(textOf(result), /stdout:\nplotted/);
      assert.match(textOf(result), /Rich outputs \(images follow as image content\): an image \(image\/png, /);
      const images = result.content.filter((c) => c.type === 'image');
      assert.deepEqual(images, [{ type: 'image', mimeType: 'image/png', data: pixel }]);
    } finally {
      await endHttpSession(session);
    }
  });
});
