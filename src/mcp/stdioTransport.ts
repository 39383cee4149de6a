import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import { randomUUID } from 'node:crypto';
import type { McpEngine } from './mcpEngine';
import { McpIsland } from './mcpIslands';
import { createMcpServer } from './mcpTools';

/**
 * Serves one MCP session on stdin/stdout (a stdio server has exactly one client). Resolves when the client
 * closes the session (stdin ends), after the session's kernels were shut down.
 */
export async function serveStdio(engine: McpEngine): Promise<void> {
  const island = new McpIsland(
    engine.registry,
    engine.lifecycle,
    randomUUID().slice(0, 8),
    engine.rootDir,
    engine.sandbox,
    engine.placement,
  );
  const server = createMcpServer(island, engine.listSpecs);
  const transport = new StdioServerTransport();
  const closed = new Promise<void>((resolve) => {
    transport.onclose = resolve;
    // The SDK's stdio transport does not watch for the end of stdin: a client that goes away ends the session.
    process.stdin.once('end', () => void transport.close());
  });
  await server.connect(transport);
  await closed;
  await island.close();
}
