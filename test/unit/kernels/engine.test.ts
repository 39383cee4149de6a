import * as assert from 'node:assert/strict';
import { baseKernelName, sandboxOfKernelName } from '../../../src/jupyter/sandboxProfile';
import type { ServerProviderLookup } from '../../../src/jupyter/types';
import { AgentSandbox } from '../../../src/kernels/agentSandbox';
import { createEngine, type Engine, type EngineOptions } from '../../../src/kernels/engine';
import type { ContextSpec } from '../../../src/kernels/types';
import { FakeFactory } from './fakes';

const noServer: ServerProviderLookup = () => {
  throw new Error('the fake factory starts every kernel');
};

const fileContext = (name: string): ContextSpec => ({ id: `file:${name}`, kind: 'file', label: name, cwd: '/w' });
const agentContext = (name: string): ContextSpec => ({ id: `agent:${name}`, kind: 'agent', label: name, cwd: '/w' });

describe('createEngine: the one wiring of the extension, the MCP server and the bench (fake kernels)', () => {
  let factory: FakeFactory;
  let engine: Engine;
  const make = (options: Partial<EngineOptions> = {}) =>
    createEngine({ servers: noServer, sessionFactory: factory, warmKernels: 2, ...options });
  /** The kernel id a context runs on. */
  const kernelOf = (spec: ContextSpec) => engine.registry.get(spec.id)?.kernelId;

  beforeEach(() => {
    factory = new FakeFactory();
  });
  afterEach(() => engine.disposeAsync());

  it('starts no kernel until a context is added, then the warm kernels serve the default kernelspec', async () => {
    engine = make({ defaultKernelName: 'python3' });
    await engine.warm.whenSettled();
    assert.equal(factory.started.length, 0, 'building the engine starts no Python');

    const first = fileContext('a.py');
    await engine.registry.execute(first, '1');
    await engine.warm.whenSettled();
    assert.deepEqual(engine.warm.kernelNames, ['python3'], 'the default kernelspec is in use');
    assert.equal(engine.warm.poolOf('python3')?.capacity, 2, 'the whole total goes to the only kernelspec in use');
    assert.equal(engine.warm.available, 2);

    const warmIds = factory.started.map((s) => s.id);
    const second = fileContext('b.py');
    await engine.registry.execute(second, '2');
    assert.ok(warmIds.includes(kernelOf(second) ?? ''), 'the second context took a kernel warmed before it opened');
    assert.equal(engine.registry.get(second.id)?.kernelName, 'python3');
  });

  it("gives agents sandboxed kernel names, and warms the sandboxed default kernelspec (the MCP server's pool)", async () => {
    const sandbox = new AgentSandbox({
      enabled: true,
      offSwitch: 'the --no-sandbox flag',
      profile: { readOnly: ['/w'], network: false, memoryMb: 1024, env: {} },
    });
    engine = make({ sandbox, warmKernels: 1 });
    assert.equal(engine.sandbox, sandbox);
    const sandboxed = sandbox.kernelNameFor('python3');

    const first = agentContext('mcp-1:a');
    await engine.registry.execute(first, '1');
    const info = engine.registry.get(first.id);
    assert.equal(info?.sandboxed, true);
    assert.equal(info?.kernelName, 'python3', 'the kernelspec run inside the sandbox');
    assert.equal(factory.started[0].kernelName, sandboxed, "the agent's kernel starts under the sandboxed name");
    assert.ok(sandboxOfKernelName(sandboxed));
    assert.equal(baseKernelName(sandboxed), 'python3');

    await engine.warm.whenSettled();
    assert.deepEqual(engine.warm.kernelNames, [sandboxed], 'the warm kernels are sandboxed ones');
    assert.equal(engine.warm.poolOf('python3'), undefined, 'no plain kernel warms for agents');
    assert.equal(engine.warm.poolOf(sandboxed)?.available, 1);
    const warmId = factory.started.at(-1)?.id;

    const second = agentContext('mcp-1:b');
    await engine.registry.execute(second, '2');
    assert.equal(kernelOf(second), warmId, 'the next agent context takes the warm sandboxed kernel');
    for (const session of factory.started) {
      assert.equal(session.kernelName, sandboxed, 'no unsandboxed kernel was started for an agent');
    }
    assert.deepEqual(engine.agents.managedIds().sort(), [first.id, second.id], 'the agent lifecycle tracks them');
  });

  it('keeps nothing warm with warmKernels 0, and disposeAsync shuts every kernel down', async () => {
    engine = make({ warmKernels: 0 });
    const spec = fileContext('c.py');
    await engine.registry.execute(spec, '1');
    await engine.warm.whenSettled();
    assert.equal(engine.warm.available, 0);
    assert.equal(factory.started.length, 1, 'the context started its own kernel, nothing else started');

    engine.warm.resize(1);
    await engine.warm.whenSettled();
    assert.equal(engine.warm.available, 1, 'a new total applies to the kernelspecs in use');
    await engine.disposeAsync();
    assert.ok(
      factory.started.every((s) => s.shutdowns > 0),
      'the context kernel and the warm one are shut down',
    );
  });
});
