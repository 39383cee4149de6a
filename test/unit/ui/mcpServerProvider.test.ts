/**
 * The MCP server definition VS Code gets (ui/mcp/mcpServerProvider): named eagerly without starting anything, started
 * on resolve on 127.0.0.1 with a fresh ≥128-bit token in an Authorization header, refusing requests without it,
 * and serving sessions from the registry it was given (the SDK's own client, fake kernels). Nothing in an
 * untrusted workspace.
 */
import * as assert from 'node:assert/strict';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { nullLogger } from '../../../src/common/log';
import { AgentLifecycle } from '../../../src/kernels/agentLifecycle';
import { ContextRegistry } from '../../../src/kernels/registry/contextRegistry';
import { FakeFactory } from '../kernels/fakes';
import { McpServerProvider } from '../../../src/ui/mcp/mcpServerProvider';
import { McpHttpServerDefinition } from '../../shared/vscodeDouble';

describe('the MCP server VS Code is given (McpServerProvider)', () => {
  let registry: ContextRegistry;
  let lifecycle: AgentLifecycle;
  let provider: McpServerProvider;
  let trusted: boolean;

  beforeEach(() => {
    trusted = true;
    registry = new ContextRegistry({ factory: new FakeFactory() });
    lifecycle = new AgentLifecycle(registry, { limits: { idleShutdownMinutes: 30, maxContexts: 8 } });
    provider = new McpServerProvider(
      { registry, lifecycle, listSpecs: async () => ({ choices: [], unavailable: [] }) },
      nullLogger,
      '9.9.9',
      () => trusted,
    );
  });

  afterEach(async () => {
    provider.dispose();
    lifecycle.dispose();
    await registry.disposeAsync();
  });

  it('names the server eagerly without starting it; resolving starts it with a bearer token of ≥128 bits', async () => {
    const [definition] = provider.provideMcpServerDefinitions() as unknown as McpHttpServerDefinition[];
    assert.equal(definition.label, 'Kernel Islands');
    assert.equal(definition.version, '9.9.9');
    assert.equal(provider.server, undefined, 'listing the server starts nothing');

    const resolved = (await provider.resolveMcpServerDefinition(
      definition as never,
    )) as unknown as McpHttpServerDefinition;
    const url = resolved.uri.toString();
    assert.match(url, /^http:\/\/127\.0\.0\.1:\d+\/mcp$/);
    const token = /^Bearer ([0-9a-f]+)$/.exec(resolved.headers.Authorization)?.[1];
    assert.ok(token && token.length * 4 >= 128, `token of ${token?.length ?? 0} hex digits`);
    assert.equal(serverUrl(provider), url);

    const again = await provider.address();
    assert.deepEqual(again, { url, headers: resolved.headers }, 'one server and one token per window');
    const unauthorized = await fetch(url, {
      method: 'POST',
      body: '{}',
      headers: { 'Content-Type': 'application/json' },
    });
    assert.equal(unauthorized.status, 401);
  });

  it("serves sessions from the given registry: a client's context is an agent context labelled with the client", async () => {
    const { url, headers } = await provider.address();
    const client = new Client({ name: 'unit-client', version: '1' });
    await client.connect(new StreamableHTTPClientTransport(new URL(url), { requestInit: { headers } }));
    try {
      const result = (await client.callTool({
        name: 'run_code',
        arguments: { code: 'print("from mcp")' },
      })) as CallToolResult;
      assert.ok(!result.isError, JSON.stringify(result));
      const [session] = provider.server?.sessions() ?? [];
      assert.equal(session?.clientName, 'unit-client');
      const context = registry.get(`agent:mcp-${session.id}:main`);
      assert.equal(context?.kind, 'agent');
      assert.equal(context?.label, `MCP main (unit-client ${session.id})`);
      assert.ok(lifecycle.activity(context.id), 'the agent lifecycle manages it (idle shutdown, cap)');
    } finally {
      await client.close();
    }
    provider.dispose();
    await waitUntil(() => registry.list().length === 0);
  });

  it('offers nothing and starts nothing in an untrusted workspace', async () => {
    trusted = false;
    assert.deepEqual(provider.provideMcpServerDefinitions(), []);
    assert.equal(
      await provider.resolveMcpServerDefinition(new McpHttpServerDefinition('x', { toString: () => '' }) as never),
      undefined,
    );
    await assert.rejects(provider.address(), /trusted workspace/);
    assert.equal(provider.server, undefined);
  });
});

/** Read through a function: the compiler narrowed `provider.server` to undefined after the first check. */
function serverUrl(provider: McpServerProvider): string | undefined {
  return provider.server?.url;
}

async function waitUntil(done: () => boolean): Promise<void> {
  const deadline = Date.now() + 5000;
  while (!done()) {
    assert.ok(Date.now() < deadline, 'timed out');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
