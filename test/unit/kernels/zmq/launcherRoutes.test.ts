import * as assert from 'node:assert/strict';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { watchKernelEvents, type KernelEvent } from '../../../../src/kernels/zmq/launcherRoutes';

/** An in-process stand-in for the launcher's events route: writes `chunks`, then ends or holds the response. */
async function eventServer(chunks: string[], end: boolean) {
  const seen: { auth?: string; url?: string } = {};
  const server = http.createServer((req, res) => {
    seen.auth = req.headers.authorization;
    seen.url = req.url;
    res.writeHead(200, { 'Content-Type': 'application/x-ndjson' });
    for (const c of chunks) {
      res.write(c);
    }
    if (end) {
      res.end();
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { server, seen, endpoint: { baseUrl: `http://127.0.0.1:${port}/base/`, token: 'secret-token' } };
}

function collect() {
  const events: KernelEvent[] = [];
  const closes: string[] = [];
  let notify = () => undefined as void;
  const changed = () => new Promise<void>((resolve) => (notify = resolve));
  const handlers = {
    onEvent: (e: KernelEvent) => {
      events.push(e);
      notify();
    },
    onClose: (r: string) => {
      closes.push(r);
      notify();
    },
  };
  return { events, closes, handlers, changed };
}

describe('launcher event stream client', () => {
  it('parses JSON lines split across chunks, with the token header, on the kernel route', async () => {
    const { server, seen, endpoint } = await eventServer(
      ['{"event":"op', 'en"}\n{"event":"ping"}\n{"ev', 'ent":"restart"}\n'],
      false,
    );
    const c = collect();
    const watch = watchKernelEvents(endpoint, 'k-1', c.handlers);
    while (c.events.length < 3) {
      await c.changed();
    }
    assert.deepEqual(c.events, ['open', 'ping', 'restart']);
    assert.deepEqual([seen.auth, seen.url], ['token secret-token', '/base/ki/kernels/k-1/events']);
    watch.dispose();
    server.close();
    server.closeAllConnections();
  });

  it('a stream that ends without a final event reports a close; after "dead" it does not', async () => {
    const broken = await eventServer(['{"event":"open"}\n', 'not json\n'], true);
    const c1 = collect();
    watchKernelEvents(broken.endpoint, 'k', c1.handlers);
    while (c1.closes.length === 0) {
      await c1.changed();
    }
    assert.deepEqual([c1.events, c1.closes], [['open'], ['the event stream ended']]);
    broken.server.close();

    const dead = await eventServer(['{"event":"open"}\n{"event":"dead"}\n'], true);
    const c2 = collect();
    watchKernelEvents(dead.endpoint, 'k', c2.handlers);
    while (c2.events.length < 2) {
      await c2.changed();
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
    assert.deepEqual([c2.events, c2.closes], [['open', 'dead'], []]);
    dead.server.close();
  });

  it('a refused connection (server gone) reports a close', async () => {
    const { server, endpoint } = await eventServer([], true);
    await new Promise<void>((resolve) => server.close(() => resolve()));
    const c = collect();
    watchKernelEvents(endpoint, 'k', c.handlers);
    while (c.closes.length === 0) {
      await c.changed();
    }
    assert.match(c.closes[0], /ECONNREFUSED/);
  });
});
