import * as assert from 'node:assert/strict';
import { waitFor } from '../../shared/poll';
import { call, endHttpSession, httpSession, run, textOf, useMcpHttp, valueOf } from './mcpClients';

describe('MCP sessions under the agent limits (cap of 2 contexts over all sessions)', function () {
  this.timeout(120_000);
  const mcp = useMcpHttp({ idleShutdownMinutes: 0, maxContexts: 2 });

  it('the least recently used idle context goes, a busy one never does, and the evicted one says so on its next call', async () => {
    const a = await httpSession(mcp.http.url, mcp.token);
    const b = await httpSession(mcp.http.url, mcp.token);
    try {
      // A's "one" is busy for a while; its "two" is idle, so when B's "main" makes three, "two" goes.
      const busy = call(a.client, 'run_code', { code: 'import time\ntime.sleep(6)\nkept = 1', context: 'one' });
      await waitFor(
        'context one to run',
        async () => (/one: .*busy/.test(textOf(await call(a.client, 'list_contexts'))) ? true : undefined),
        30_000,
      );
      await run(a.client, 'lost = 2', 'two');
      await run(b.client, 'c = 3', 'main');
      const listing = textOf(await call(a.client, 'list_contexts'));
      assert.match(listing, /^one: /m, 'the busy context stays');
      assert.doesNotMatch(listing, /^two: /m, 'the idle one was shut down');

      assert.match(textOf(await busy), /Status: ok/);
      assert.equal(valueOf(await run(a.client, 'kept', 'one')), '1');
      const text = await run(a.client, 'lost', 'two');
      assert.match(text, /^Note: Context two was shut down to stay within .*maxContexts=2.*variables are gone/);
      assert.match(text, /NameError/);
    } finally {
      await Promise.allSettled([endHttpSession(a), endHttpSession(b)]);
    }
  });
});
