/**
 * The MCP load bench's measuring parts (`npm run bench:mcp`, and its correctness check at a small N in the
 * integration tests): N MCP sessions over Streamable HTTP, each its own SDK client, all calling at once; and the
 * same calls from N raw jupyter clients (@jupyterlab/services, one kernel each) on the same server.
 */
import type { ServerConnection } from '@jupyterlab/services';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { RawKernel } from './rawServices';
import { mapLimit, nearestRank, withDeadline } from './stats';

/** Kernel starts of the raw baseline in flight at once. */
const STARTS_IN_FLIGHT = 8;

/** Longest one call of the bench may take before it counts as hung. */
const CALL_TIMEOUT_MS = 300_000;

/** What one side (MCP sessions or raw clients) did at one N. */
export interface LoadRun {
  n: number;
  callsPerClient: number;
  /** Wall time of the timed calls of all clients together (their first call, the kernel's start, is not timed). */
  wallMs: number;
  callsPerSecond: number;
  latenciesMs: number[];
  p50: number;
  p99: number;
  /** Calls that read back another client's value, or not their own count: each a line saying what came back. */
  crossTalk: string[];
}

/**
 * The code of call `k` of a client: it bumps the client's own counter and returns its tag with it, so every answer
 * proves the call ran in that client's own interpreter, after its earlier calls, and nobody else's.
 */
export const bumpCode = 'n_ = globals().get("n_", 0) + 1\n(x, n_)';
export const expectedAnswer = (tag: string, k: number) => `('${tag}', ${k})`;

/** Runs every client's calls at once and puts the figures together. */
async function timedRounds(
  n: number,
  callsPerClient: number,
  call: (client: number) => Promise<string | undefined>,
  tagOf: (client: number) => string,
): Promise<LoadRun> {
  const latencies: number[] = [];
  const crossTalk: string[] = [];
  const start = performance.now();
  await Promise.all(
    Array.from({ length: n }, async (_, i) => {
      for (let k = 1; k <= callsPerClient; k++) {
        const t0 = performance.now();
        const answer = await withDeadline(call(i), CALL_TIMEOUT_MS, `call ${k} of client ${i}`);
        latencies.push(performance.now() - t0);
        if (answer !== expectedAnswer(tagOf(i), k)) {
          crossTalk.push(`client ${i} call ${k}: wanted ${expectedAnswer(tagOf(i), k)}, got ${answer}`);
        }
      }
    }),
  );
  const wallMs = performance.now() - start;
  const sorted = [...latencies].sort((a, b) => a - b);
  return {
    n,
    callsPerClient,
    wallMs,
    callsPerSecond: (n * callsPerClient) / (wallMs / 1000),
    latenciesMs: latencies,
    p50: nearestRank(sorted, 0.5),
    p99: nearestRank(sorted, 0.99),
    crossTalk,
  };
}

/** The `Value:` section of a run_code result (the last expression's value). */
function valueOf(result: CallToolResult): string | undefined {
  const text = result.content
    .filter((c) => c.type === 'text')
    .map((c) => (c as { text: string }).text)
    .join('\n');
  if (result.isError) {
    return `error: ${text}`;
  }
  return /\nValue:\n([\s\S]*)$/.exec(text)?.[1]?.trim();
}

/** One session: an SDK client over Streamable HTTP with the bearer token. */
async function openSession(url: string, token: string, n: number): Promise<Client> {
  const transport = new StreamableHTTPClientTransport(new URL(url), {
    requestInit: { headers: { Authorization: `Bearer ${token}` } },
  });
  const client = new Client({ name: `mcp-load-${n}`, version: '1.0.0' });
  await client.connect(transport);
  return client;
}

/** Runs code in the session's context `main` and returns the value it gave. */
async function runIn(client: Client, code: string): Promise<string | undefined> {
  const result = (await client.callTool({ name: 'run_code', arguments: { code, context: 'main' } }, undefined, {
    timeout: CALL_TIMEOUT_MS,
  })) as CallToolResult;
  return valueOf(result);
}

/**
 * N MCP sessions at once: each opens, sets its tag (starting its kernel), then makes `callsPerClient` timed calls.
 * `measured` is called with every session open and its kernel started (for memory and kernel counts); the
 * sessions then end as clients end them (DELETE).
 */
export async function mcpLoad(
  options: { url: string; token: string; n: number; callsPerClient: number },
  measured: () => Promise<void> = async () => undefined,
): Promise<LoadRun> {
  const { n } = options;
  const tag = (i: number) => `mcp-${i}`;
  const clients = await Promise.all(Array.from({ length: n }, (_, i) => openSession(options.url, options.token, i)));
  try {
    const set = await Promise.all(clients.map((c, i) => runIn(c, `x = ${JSON.stringify(tag(i))}; n_ = 0; x`)));
    set.forEach((value, i) => {
      if (value !== `'${tag(i)}'`) {
        throw new Error(`Session ${i} could not set its tag: ${value}`);
      }
    });
    await measured();
    return await timedRounds(n, options.callsPerClient, (i) => runIn(clients[i], bumpCode), tag);
  } finally {
    await Promise.allSettled(
      clients.map(async (c) => {
        await (c.transport as StreamableHTTPClientTransport).terminateSession();
        await c.close();
      }),
    );
  }
}

/** The same load from N raw jupyter clients, one kernel each, on `settings`' server; their kernels are shut down. */
export async function rawLoad(
  settings: ServerConnection.ISettings,
  options: { n: number; callsPerClient: number },
): Promise<LoadRun> {
  const tag = (i: number) => `raw-${i}`;
  // Eight starts in flight at most, as P3 does: 32 kernel starts at once on 2 cores can starve a kernel_info.
  const kernels = await mapLimit(
    Array.from({ length: options.n }, (_, i) => i),
    STARTS_IN_FLIGHT,
    () => RawKernel.start(settings),
  );
  try {
    await Promise.all(kernels.map((k, i) => k.run(`x = ${JSON.stringify(tag(i))}; n_ = 0`)));
    return await timedRounds(
      options.n,
      options.callsPerClient,
      async (i) => (await kernels[i].run(bumpCode)).result,
      tag,
    );
  } finally {
    await Promise.allSettled(kernels.map((k) => k.shutdown()));
  }
}
