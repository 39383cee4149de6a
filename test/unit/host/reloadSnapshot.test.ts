import * as assert from 'node:assert/strict';
import { ContextRegistry } from '../../../src/kernels/registry/contextRegistry';
import { contextSpec } from '../../../src/kernels/contextSpec';
import { FakeFactory } from '../kernels/fakes';
import { requireWithVscodeStub } from '../withVscodeStub';

const { reloadSnapshot } = requireWithVscodeStub<typeof import('../../../src/host/reloadState')>(
  require.resolve('../../../src/host/reloadState'),
  {},
);

describe('what a window reload brings back (reloadSnapshot)', () => {
  it("keeps editors' and agents' contexts, not an MCP session's (the session ends with the window)", async () => {
    const registry = new ContextRegistry({ factory: new FakeFactory() });
    try {
      for (const id of ['file:///w/a.py', 'agent:chat-1', 'agent:mcp-1a2b3c4d:main', 'agent:mcp-1a2b3c4d:a.py']) {
        await registry.execute(contextSpec({ id }), '1');
      }
      registry.attach('agent:mcp-1a2b3c4d:a.py', 'file:///w/a.py');
      assert.deepEqual(
        reloadSnapshot(registry).map((s) => s.id),
        ['file:///w/a.py', 'agent:chat-1'],
      );
    } finally {
      await registry.disposeAsync();
    }
  });
});
