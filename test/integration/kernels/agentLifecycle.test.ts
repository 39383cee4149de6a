import * as assert from 'node:assert/strict';
import { AgentLifecycle } from '../../../src/kernels/agentLifecycle';
import { ContextRegistry } from '../../../src/kernels/registry/contextRegistry';
import { JupyterSessionFactory } from '../../../src/kernels/session/sessionFactory';
import type { ContextSpec } from '../../../src/kernels/types';
import { useTestServer } from '../fixtures/localServer';
import { figure } from './figures';
import { findKernelPid, stillRunning } from '../../shared/kernelProcesses';
import { serverKernelIds, textOf } from './helpers';
import { waitFor } from '../../shared/poll';

/** An agent's context, as the LM tool, the API and MCP sessions make them. */
const agentSpec = (id: string): ContextSpec => ({ id, kind: 'agent', label: id });

/** A short idle time for these tests: 0.05 minutes is 3 seconds. */
const SHORT_IDLE_MINUTES = 0.05;

describe('agent context lifecycle on real kernels: the cap and the idle shutdown', function () {
  this.timeout(240_000);
  const server = useTestServer();
  let registry: ContextRegistry;
  let agents: AgentLifecycle;

  const kernelsOnServer = () => serverKernelIds(server.connection);
  const kernelOf = (id: string) => registry.get(id)?.kernelId ?? '';

  beforeEach(() => {
    registry = new ContextRegistry({ factory: new JupyterSessionFactory(server.server, server.logger) });
  });
  afterEach(async function () {
    this.timeout(60_000);
    agents?.dispose();
    await registry?.disposeAsync();
  });

  it('10 agent contexts with a cap of 3 leave at most 3 kernels on the server; a short idle time then leaves none', async () => {
    // The idle time starts long so the count is the cap's work alone (on a loaded machine a short one could
    // shut the first contexts down first); the short one is then applied as a changed setting.
    agents = new AgentLifecycle(registry, {
      limits: { idleShutdownMinutes: 30, maxContexts: 3 },
      logger: server.logger,
    });
    const before = (await kernelsOnServer()).length;
    let most = 0;
    for (let i = 0; i < 10; i++) {
      const { result } = await agents.execute(agentSpec(`agent:cap-${i}`), `x = ${i}\nprint(x)`);
      assert.equal(textOf(result), `${i}\n`);
      // A shut down kernel leaves the server's list a moment after the call that caused it.
      const count = await waitFor(
        'the server to list at most 3 kernels',
        async () => {
          const n = (await kernelsOnServer()).length - before;
          return n <= 3 ? n : undefined;
        },
        20_000,
      );
      most = Math.max(most, count);
    }
    const after = (await kernelsOnServer()).length - before;
    assert.deepEqual(
      registry.list().map((c) => c.id),
      ['agent:cap-7', 'agent:cap-8', 'agent:cap-9'],
      'the three most recently used are kept',
    );
    assert.deepEqual(agents.shutdownCause('agent:cap-0'), { kind: 'cap', maxContexts: 3 });
    figure('agent kernels on the server after 10 agent contexts, cap 3', `${after} (at most ${most} at any check)`);
    assert.equal(after, 3);

    agents.setLimits({ idleShutdownMinutes: SHORT_IDLE_MINUTES, maxContexts: 3 });
    await waitFor(
      'the idle shutdown to leave no agent kernel',
      async () => ((await kernelsOnServer()).length === before ? true : undefined),
      30_000,
    );
    figure(`agent kernels on the server after ${SHORT_IDLE_MINUTES * 60} s idle`, '0');
    assert.deepEqual(registry.list(), []);
    assert.deepEqual(agents.shutdownCause('agent:cap-9'), { kind: 'idle', minutes: SHORT_IDLE_MINUTES });
  });

  it('a busy context (time.sleep) is never evicted: the least recently used idle one goes instead', async () => {
    agents = new AgentLifecycle(registry, { limits: { idleShutdownMinutes: 30, maxContexts: 2 } });
    await agents.execute(agentSpec('agent:busy'), 'import time\nkept = "still here"');
    const busyKernel = kernelOf('agent:busy');
    const busyPid = await findKernelPid(busyKernel);
    assert.ok(busyPid, 'found the busy kernel process');
    const sleeping = agents.execute(agentSpec('agent:busy'), 'time.sleep(6)\nprint(kept)');
    await waitFor('the sleep to start', () => (registry.get('agent:busy')?.state === 'busy' ? true : undefined));
    await agents.execute(agentSpec('agent:idle-1'), 'y = 1');
    const idleKernel = kernelOf('agent:idle-1');
    await agents.execute(agentSpec('agent:idle-2'), 'z = 2');
    await waitFor('agent:idle-1 to be shut down', async () =>
      (await kernelsOnServer()).includes(idleKernel) ? undefined : true,
    );
    assert.ok(registry.get('agent:busy'), 'the busy context is still there');
    assert.ok((await kernelsOnServer()).includes(busyKernel), 'and its kernel is on the server');
    assert.deepEqual(await stillRunning([busyPid]), [busyPid], 'and its process alive');
    const { result } = await sleeping;
    assert.equal(result.status, 'ok');
    assert.equal(textOf(result), 'still here\n', 'the sleeping run finished in its own kernel');
  });

  it("an evicted context's next call reports the loss and runs in a fresh kernel", async () => {
    agents = new AgentLifecycle(registry, { limits: { idleShutdownMinutes: 30, maxContexts: 1 } });
    await agents.execute(agentSpec('agent:x'), 'x = 41');
    const first = kernelOf('agent:x');
    await agents.execute(agentSpec('agent:y'), 'pass');
    await waitFor('agent:x to be shut down on the server', async () =>
      (await kernelsOnServer()).includes(first) ? undefined : true,
    );
    const { result, notice } = await agents.execute(agentSpec('agent:x'), 'print(x + 1)');
    assert.equal(
      notice,
      'Context agent:x was shut down to stay within kernelIslands.agents.maxContexts=1; its variables are gone; this run started a fresh kernel.',
    );
    assert.equal(result.status, 'error');
    assert.equal(result.error?.ename, 'NameError', 'x is gone');
    assert.notEqual(kernelOf('agent:x'), first, 'a fresh kernel');
    const again = await agents.execute(agentSpec('agent:x'), 'x = 1\nprint(x)');
    assert.equal(again.notice, undefined, 'told once');
    assert.equal(textOf(again.result), '1\n');
  });
});
