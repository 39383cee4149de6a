import * as assert from 'node:assert/strict';
import { RunCodeTool } from '../../../src/api/runCodeTool';
import { AgentLifecycle } from '../../../src/kernels/agentLifecycle';
import { ContextRegistry } from '../../../src/kernels/registry/contextRegistry';
import type { ExecutionResult, IContextRegistry } from '../../../src/kernels/types';
import { FakeFactory } from '../kernels/fakes';
import { FakeTimer } from '../fakeTimer';

/** A cancellation token the test cancels. */
function cancellable() {
  const listeners: Array<() => void> = [];
  return {
    token: {
      isCancellationRequested: false,
      onCancellationRequested: (listener: () => void) => {
        listeners.push(listener);
        return { dispose: () => listeners.splice(listeners.indexOf(listener), 1) };
      },
    },
    cancel: () => [...listeners].forEach((listener) => listener()),
  };
}

describe('RunCodeTool', () => {
  it('reports an interrupt that fails when the call is cancelled, instead of swallowing it', async () => {
    const refused = new Error('the kernel did not stop');
    let finish: (result: ExecutionResult) => void = () => undefined;
    const interrupted: string[] = [];
    const registry = {
      execute: () => new Promise<ExecutionResult>((resolve) => (finish = resolve)),
      interrupt: (id: string) => {
        interrupted.push(id);
        return Promise.reject(refused);
      },
      get: () => undefined,
    } as unknown as IContextRegistry;
    const reported: unknown[] = [];
    const tool = new RunCodeTool(
      registry,
      { execute: async (spec, code) => ({ result: await registry.execute(spec, code) }) },
      (id) => ({ id: String(id), kind: 'agent', label: String(id) }),
      (err) => reported.push(err),
    );
    const { token, cancel } = cancellable();

    const call = tool.invoke({ input: { code: 'while True: pass', context: 'loop' } } as never, token as never);
    cancel();
    await new Promise((resolve) => setImmediate(resolve));
    finish({ status: 'aborted', executionCount: null, outputs: [], durationMs: 1 });
    await call;

    assert.deepEqual(interrupted, ['agent:loop']);
    assert.deepEqual(reported, [refused]);
  });

  describe('with the agent lifecycle (fake kernels)', () => {
    let registry: ContextRegistry;
    let agents: AgentLifecycle;
    let tool: RunCodeTool;
    const timer = new FakeTimer();
    const resolve = (id: unknown) => ({ id: String(id), kind: 'agent' as const, label: String(id) });
    const run = async (input: { code: string; context?: string }): Promise<string> => {
      const result = (await tool.invoke({ input } as never, cancellable().token as never)) as unknown as {
        content: Array<{ value: string }>;
      };
      return result.content.map((part) => part.value).join('');
    };

    beforeEach(() => {
      registry = new ContextRegistry({ factory: new FakeFactory(), timer });
      agents = new AgentLifecycle(registry, {
        limits: { idleShutdownMinutes: 30, maxContexts: 3 },
        timer,
        now: timer.clock,
      });
      tool = new RunCodeTool(registry, agents, resolve, (err) => assert.fail(String(err)));
    });
    afterEach(async () => {
      agents.dispose();
      await registry.disposeAsync();
    });

    it('50 calls without a context leave no more than the cap of contexts', async () => {
      for (let i = 0; i < 50; i++) {
        await run({ code: `x = ${i}` });
        await new Promise((done) => setImmediate(done));
      }
      assert.equal(registry.list().length, 3);
    });

    it("tells the model first thing when a context's variables are gone", async () => {
      await run({ code: 'x = 1', context: 'mine' });
      for (const other of ['a', 'b', 'c']) {
        await run({ code: '1', context: other });
        await new Promise((done) => setImmediate(done));
      }
      const text = await run({ code: 'x', context: 'mine' });
      assert.equal(
        text.split('\n')[0],
        'Note: Context agent:mine was shut down to stay within kernelIslands.agents.maxContexts=3; its variables are gone; this run started a fresh kernel.',
      );
      assert.match(text.split('\n')[1], /^Context: agent:mine /);
    });
  });
});
