import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { execFileSync } from 'node:child_process';
import * as os from 'node:os';
import * as path from 'node:path';
import { generateToken } from '../../../src/jupyter/token';
import { DEFAULT_AGENT_LIMITS, type AgentLimits } from '../../../src/kernels/agentLifecycle';
import { DEFAULT_AGENT_MEMORY_MB, type AgentSandboxOptions } from '../../../src/kernels/agentSandbox';
import { serveHttp, type McpHttpServer } from '../../../src/mcp/httpTransport';
import { createMcpEngine, type McpEngine } from '../../../src/mcp/mcpEngine';
import { MemoryLogger, TEST_PYTHON } from '../fixtures/localServer';

export const ROOT = path.resolve(__dirname, '..', '..', '..');
/** The package's bin, as `npx kernel-islands-mcp` runs it. */
export const MCP_BIN = path.join(ROOT, 'bin', 'kernel-islands-mcp.js');

/** Bundles dist/mcp.js (and the files next to it) as `npm run build` does, so the bin runs the current source. */
export function buildMcpBundle(): void {
  execFileSync(process.execPath, ['esbuild.mjs', '--extension-only'], { cwd: ROOT, stdio: 'inherit' });
}

/** A connected SDK client. */
export async function connect(transport: StdioClientTransport | StreamableHTTPClientTransport): Promise<Client> {
  const client = new Client({ name: 'kernel-islands-test', version: '1.0.0' });
  await client.connect(transport);
  return client;
}

/** A stdio session: the bin started by the SDK's own stdio transport, with its own Jupyter Server. */
export async function stdioSession(
  extraArgs: string[] = [],
): Promise<{ client: Client; transport: StdioClientTransport }> {
  const transport = new StdioClientTransport({
    command: process.execPath,
    args: [MCP_BIN, '--python', TEST_PYTHON, '--root', os.tmpdir(), ...extraArgs],
    stderr: 'pipe',
  });
  const client = await connect(transport);
  return { client, transport };
}

/** A Streamable HTTP session with the given bearer token (none: no Authorization header). */
export async function httpSession(
  url: string,
  token: string | undefined,
): Promise<{ client: Client; transport: StreamableHTTPClientTransport }> {
  const headers: Record<string, string> = token ? { Authorization: `Bearer ${token}` } : {};
  const transport = new StreamableHTTPClientTransport(new URL(url), { requestInit: { headers } });
  return { client: await connect(transport), transport };
}

/** Ends an HTTP session as a client does when it is done: DELETE with its Mcp-Session-Id, then close. */
export async function endHttpSession(session: { client: Client; transport: StreamableHTTPClientTransport }) {
  await session.transport.terminateSession();
  await session.client.close();
}

/** Calls a tool and returns its result (tool errors come back as `isError` results, not exceptions). */
export async function call(client: Client, name: string, args: Record<string, unknown> = {}): Promise<CallToolResult> {
  return (await client.callTool({ name, arguments: args })) as CallToolResult;
}

/** The text parts of a result, joined. */
export function textOf(result: CallToolResult): string {
  return result.content
    .filter((c) => c.type === 'text')
    .map((c) => (c as { text: string }).text)
    .join('\n');
}

/** Runs code in a context and returns the result's text; fails on an `isError` result. */
export async function run(client: Client, code: string, context?: string): Promise<string> {
  const result = await call(client, 'run_code', context === undefined ? { code } : { code, context });
  if (result.isError) {
    throw new Error(`run_code failed: ${textOf(result)}`);
  }
  return textOf(result);
}

/** The `Value:` section of a run's text. */
export function valueOf(text: string): string | undefined {
  return /\nValue:\n([\s\S]*)$/.exec(text)?.[1]?.trim();
}

/** The kernel ids list_contexts reports for the session's contexts. */
export async function sessionKernelIds(client: Client): Promise<string[]> {
  const text = textOf(await call(client, 'list_contexts'));
  return [...text.matchAll(/\(id ([0-9a-f-]{36})\)/g)].map((m) => m[1]);
}

/**
 * Sets `x` to `value` in context `main`, then reads it back `reads` times, each read after a yield so the other
 * sessions' writes interleave. Returns every value read.
 */
export async function writeAndReadBack(client: Client, value: string, reads: number): Promise<string[]> {
  await run(client, `x = ${JSON.stringify(value)}`, 'main');
  const seen: string[] = [];
  for (let i = 0; i < reads; i++) {
    seen.push(valueOf(await run(client, 'x', 'main')) ?? '<no value>');
  }
  return seen;
}

/** The sandbox `kernel-islands-mcp` gives its contexts by default, with `root` read-only. */
export function defaultSandbox(
  root: string,
  overrides: Partial<AgentSandboxOptions['profile']> = {},
): AgentSandboxOptions {
  return {
    enabled: true,
    offSwitch: '--no-sandbox',
    profile: { readOnly: [root], network: false, memoryMb: DEFAULT_AGENT_MEMORY_MB, env: {}, ...overrides },
  };
}

/** One engine and HTTP server for the file, as `kernel-islands-mcp --http` builds them. */
export function useMcpHttp(
  limits: AgentLimits = DEFAULT_AGENT_LIMITS,
  sandbox: AgentSandboxOptions = defaultSandbox(os.tmpdir()),
  rootDir: string = os.tmpdir(),
): {
  engine: McpEngine;
  http: McpHttpServer;
  token: string;
} {
  const holder = { token: generateToken() } as { engine: McpEngine; http: McpHttpServer; token: string };
  before(async function () {
    this.timeout(60_000);
    holder.engine = createMcpEngine({
      python: TEST_PYTHON,
      rootDir,
      warmKernels: 0,
      defaultKernel: 'python3',
      limits,
      sandbox,
      logger: new MemoryLogger(),
    });
    holder.http = await serveHttp(holder.engine, { port: 0, token: holder.token, logger: new MemoryLogger() });
  });
  after(async function () {
    this.timeout(30_000);
    await holder.http?.close();
    await holder.engine?.dispose();
  });
  return holder;
}
