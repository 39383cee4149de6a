import * as assert from 'node:assert/strict';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { authorizedFetch, describeFetchError, RequestTimeoutError } from '../../../src/jupyter/jupyterRequest';

const TOKEN = 'secret-token-0123456789';

interface Seen {
  method?: string;
  url?: string;
  auth?: string;
  contentType?: string;
  body?: string;
}

/** A local server that records each request, and answers after `delayMs` (never, when `hang`). */
async function recordingServer(options: { delayMs?: number; hang?: boolean } = {}) {
  const seen: Seen[] = [];
  const server = http.createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (c: string) => (body += c));
    req.on('end', () => {
      seen.push({
        method: req.method,
        url: req.url,
        auth: req.headers.authorization,
        contentType: req.headers['content-type'],
        body,
      });
      if (options.hang) {
        return;
      }
      setTimeout(() => res.end('{"ok":true}'), options.delayMs ?? 0);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const stop = () => {
    server.closeAllConnections();
    server.close();
  };
  return { seen, baseUrl: `http://127.0.0.1:${port}/base`, stop };
}

describe('authorizedFetch', () => {
  it('joins the URL and sends the token header', async () => {
    const s = await recordingServer();
    try {
      const response = await authorizedFetch(`${s.baseUrl}/`, '/api/status', { token: TOKEN, timeoutMs: 5000 });
      assert.equal(response.status, 200);
      assert.deepEqual(await response.json(), { ok: true });
      assert.deepEqual(
        [s.seen[0].method, s.seen[0].url, s.seen[0].auth],
        ['GET', '/base/api/status', `token ${TOKEN}`],
      );
    } finally {
      s.stop();
    }
  });

  it('sends a Bearer header, a JSON body and the method; no header without a token', async () => {
    const s = await recordingServer();
    try {
      await (
        await authorizedFetch(s.baseUrl, 'ki/lifeline', {
          token: TOKEN,
          scheme: 'Bearer',
          method: 'POST',
          body: { a: 1 },
        })
      ).text();
      await (await authorizedFetch(s.baseUrl, 'api/status', { token: '' })).text();
      assert.deepEqual(s.seen[0], {
        method: 'POST',
        url: '/base/ki/lifeline',
        auth: `Bearer ${TOKEN}`,
        contentType: 'application/json',
        body: '{"a":1}',
      });
      assert.equal(s.seen[1].auth, undefined);
    } finally {
      s.stop();
    }
  });

  it('times out with an error naming the path, never the token', async () => {
    const s = await recordingServer({ hang: true });
    try {
      const err = await authorizedFetch(s.baseUrl, 'hub/api/user?x=1', { token: TOKEN, timeoutMs: 100 }).then(
        () => assert.fail('expected a timeout'),
        (e: unknown) => e,
      );
      assert.ok(err instanceof RequestTimeoutError);
      assert.equal(err.message, 'GET /base/hub/api/user got no answer within 100 ms');
      assert.doesNotMatch(String(err) + JSON.stringify(err), new RegExp(TOKEN));
      assert.equal(describeFetchError(err), 'timed out');
    } finally {
      s.stop();
    }
  });

  it('the timeout covers reading the body', async () => {
    const server = http.createServer((_req, res) => {
      res.writeHead(200);
      res.write('partial');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    try {
      const response = await authorizedFetch(`http://127.0.0.1:${port}/`, 'stream', { token: TOKEN, timeoutMs: 150 });
      await assert.rejects(response.text(), RequestTimeoutError);
    } finally {
      server.closeAllConnections();
      server.close();
    }
  });

  it("composes with the caller's signal; without a timeout only the caller aborts", async () => {
    const s = await recordingServer({ hang: true });
    try {
      const caller = new AbortController();
      const pending = authorizedFetch(s.baseUrl, 'ki/kernels/k/events', { token: TOKEN, signal: caller.signal });
      setTimeout(() => caller.abort(), 50);
      await assert.rejects(pending, (e: Error) => e.name === 'AbortError');

      const early = new AbortController();
      const both = authorizedFetch(s.baseUrl, 'api/status', { token: TOKEN, signal: early.signal, timeoutMs: 5000 });
      early.abort();
      await assert.rejects(both, (e: Error) => e.name === 'AbortError');
    } finally {
      s.stop();
    }
  });
});
