import * as assert from 'node:assert/strict';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { HubError, parseHubUrl, serverPath } from '../../../src/jupyter/hubApi';
import { followSpawn, parseProgressData } from '../../../src/jupyter/hubProgress';

describe('JupyterHub URLs and progress events', () => {
  const urls: Array<[string, string]> = [
    ['https://hub.example.org', 'https://hub.example.org/'],
    ['https://hub.example.org/hub/home', 'https://hub.example.org/'],
    ['https://hub.example.org/hub/', 'https://hub.example.org/'],
    ['https://hub.example.org/user/alice/lab?foo=1', 'https://hub.example.org/'],
    ['https://example.org/jupyter/hub/spawn', 'https://example.org/jupyter/'],
    ['http://127.0.0.1:8000/', 'http://127.0.0.1:8000/'],
  ];
  for (const [url, expected] of urls) {
    it(`${url} is the hub at ${expected}`, () => assert.equal(parseHubUrl(url), expected));
  }
  it('refuses what is not an http(s) URL', () => {
    assert.throws(() => parseHubUrl('hub.example.org'), /not a valid URL/);
    assert.throws(() => parseHubUrl('ftp://hub.example.org/'), /must start with http/);
  });

  it('names the default and a named server in the API path', () => {
    assert.equal(serverPath('alice', ''), 'users/alice/server');
    assert.equal(serverPath('alice', 'gpu'), 'users/alice/servers/gpu');
    assert.equal(serverPath('a b', 'x/y'), 'users/a%20b/servers/x%2Fy');
  });

  // Events as JupyterHub 3.0 sends them (recorded from the test hub).
  const events: Array<[string, ReturnType<typeof parseProgressData>]> = [
    ['{"progress": 0, "message": "Server requested"}', { progress: 0, message: 'Server requested' }],
    [
      '{"progress": 100, "ready": true, "message": "Server ready at /user/alice/", "html_message": "x", "url": "/user/alice/"}',
      { progress: 100, ready: true, message: 'Server ready at /user/alice/', url: '/user/alice/' },
    ],
    [
      '{"progress": 100, "failed": true, "message": "Spawn failed: Timeout"}',
      { progress: 100, failed: true, message: 'Spawn failed: Timeout' },
    ],
    ['not json', undefined],
    ['42', undefined],
  ];
  for (const [data, expected] of events) {
    it(`reads ${data.slice(0, 40)}`, () => {
      const parsed = parseProgressData(data);
      if (expected === undefined) {
        assert.equal(parsed, undefined);
      } else {
        // Absent fields are undefined: compare what is set.
        assert.deepEqual(Object.fromEntries(Object.entries(parsed ?? {}).filter(([, v]) => v !== undefined)), expected);
      }
    });
  }

  it('a progress stream that outlives its timeout is a spawn timeout; the header carries the token', async () => {
    let auth: string | undefined;
    const server = http.createServer((req, res) => {
      auth = req.headers.authorization;
      res.writeHead(200, { 'Content-Type': 'text/event-stream' });
      res.write('data: {"progress": 10, "message": "Pulling"}\n\n');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    const seen: Array<string | undefined> = [];
    try {
      await assert.rejects(
        followSpawn(`http://127.0.0.1:${port}/`, 'alice', '', 'tok', {
          onEvent: (e) => seen.push(e.message),
          timeoutMs: 200,
        }),
        (e: unknown) => e instanceof HubError && e.kind === 'spawn-timeout',
      );
      assert.deepEqual([auth, seen], ['token tok', ['Pulling']]);
    } finally {
      server.closeAllConnections();
      server.close();
    }
  });
});
