import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import { isInitializeRequest } from '@modelcontextprotocol/sdk/types.js';
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Logger } from '../common/log';
import { hasBearer } from './bearerToken';
import type { AgentSandbox } from '../kernels/agentSandbox';
import type { McpEngine, McpPlacement } from './mcpEngine';
import { McpIsland } from './mcpIslands';
import { createMcpServer } from './mcpTools';

/** The one path the server answers on. */
const MCP_HTTP_PATH = '/mcp';

/** Largest request body accepted (code to run travels in it). */
const MAX_BODY_BYTES = 16 * 1024 * 1024;

/**
 * What the HTTP server serves sessions from: the engine's registry and agent lifecycle (the command's own engine,
 * or the extension's inside VS Code). `rootDir` is the folder new contexts start in (none: the kernel's default).
 */
export type McpIslandHost = Pick<McpEngine, 'registry' | 'lifecycle' | 'listSpecs'> & {
  rootDir?: string;
  /** Where every context runs, when on one server (the command's); inside VS Code each context names its own. */
  placement?: McpPlacement;
  /** Where sandboxed contexts' work folders are (the file tools' reach); absent, the file tools are refused. */
  sandbox?: Pick<AgentSandbox, 'workFolder'>;
};

/** One open session, as the user picks it (the share command). */
export interface McpSessionInfo {
  /** The island's short id: the `<session>` of its contexts' ids `agent:mcp-<session>:<name>`. */
  id: string;
  /** The client's name from `initialize` (e.g. "Visual Studio Code"), when it gave one. */
  clientName: string | undefined;
  /** When the session was initialized (ms since the epoch). */
  startedAt: number;
  /** The island: its contexts and shares. */
  island: McpIsland;
}

export interface McpHttpServer {
  /** `http://127.0.0.1:<port>/mcp` */
  url: string;
  /** Sessions open now. */
  readonly sessionCount: number;
  /** The sessions open now, oldest first. */
  sessions(): McpSessionInfo[];
  /** Closes every session (shutting its kernels down) and stops listening. */
  close(): Promise<void>;
}

interface Session {
  transport: StreamableHTTPServerTransport;
  island: McpIsland;
  startedAt: number;
}

function refuse(res: ServerResponse, status: number, message: string, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'Content-Type': 'application/json', ...headers });
  res.end(JSON.stringify({ jsonrpc: '2.0', error: { code: -32000, message }, id: null }));
}

function readJson(req: IncomingMessage): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        reject(new Error(`The request body is larger than ${MAX_BODY_BYTES} bytes.`));
        req.destroy();
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => {
      try {
        resolve(chunks.length ? JSON.parse(Buffer.concat(chunks).toString('utf8')) : undefined);
      } catch {
        reject(new Error('The request body is not JSON.'));
      }
    });
    req.on('error', reject);
  });
}

/**
 * Streamable HTTP on 127.0.0.1 only, every request checked for `Authorization: Bearer <token>` (401 otherwise).
 * Each `Mcp-Session-Id` is one island; a session that ends (DELETE, or the server closing) shuts its kernels down.
 */
export async function serveHttp(
  engine: McpIslandHost,
  options: { port: number; token: string; logger: Logger },
): Promise<McpHttpServer> {
  const sessions = new Map<string, Session>();
  /** Islands whose session ended and whose kernels are being shut down: `close()` waits for them too. */
  const ending = new Set<McpIsland>();

  const openSession = async (req: IncomingMessage, res: ServerResponse, body: unknown) => {
    const island = new McpIsland(
      engine.registry,
      engine.lifecycle,
      randomUUID().slice(0, 8),
      engine.rootDir,
      engine.sandbox,
      engine.placement,
    );
    const server = createMcpServer(island, engine.listSpecs);
    const transport: StreamableHTTPServerTransport = new StreamableHTTPServerTransport({
      sessionIdGenerator: () => randomUUID(),
      onsessioninitialized: (id) => {
        sessions.set(id, { transport, island, startedAt: Date.now() });
      },
    });
    // The client's name arrives with initialize, which the server reads after the session id is made.
    server.server.oninitialized = () => {
      island.clientName = server.server.getClientVersion()?.name;
    };
    transport.onclose = () => {
      if (transport.sessionId) {
        sessions.delete(transport.sessionId);
      }
      ending.add(island);
      void island
        .close()
        .catch((err: unknown) => options.logger.warn(`Closing MCP session: ${String(err)}`))
        .finally(() => ending.delete(island));
    };
    await server.connect(transport);
    await transport.handleRequest(req, res, body);
  };

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    if (!hasBearer(req, options.token)) {
      refuse(res, 401, 'Unauthorized: send Authorization: Bearer <token>.', { 'WWW-Authenticate': 'Bearer' });
      return;
    }
    if (new URL(req.url ?? '/', 'http://127.0.0.1').pathname !== MCP_HTTP_PATH) {
      refuse(res, 404, `Not found: the MCP endpoint is ${MCP_HTTP_PATH}.`);
      return;
    }
    const body = req.method === 'POST' ? await readJson(req) : undefined;
    const sessionId = req.headers['mcp-session-id'];
    const session = typeof sessionId === 'string' ? sessions.get(sessionId) : undefined;
    if (session) {
      await session.transport.handleRequest(req, res, body);
    } else if (sessionId === undefined && req.method === 'POST' && isInitializeRequest(body)) {
      await openSession(req, res, body);
    } else if (sessionId !== undefined) {
      refuse(res, 404, 'Unknown or closed MCP session: initialize a new one.');
    } else {
      refuse(res, 400, 'No Mcp-Session-Id: the first request of a session must be initialize.');
    }
  };

  const http: Server = createServer((req, res) => {
    handle(req, res).catch((err: unknown) => {
      options.logger.warn(`MCP HTTP request failed: ${err instanceof Error ? err.message : String(err)}`);
      if (!res.headersSent) {
        refuse(res, 400, err instanceof Error ? err.message : String(err));
      } else {
        res.end();
      }
    });
  });
  await new Promise<void>((resolve, reject) => {
    http.once('error', reject);
    http.listen(options.port, '127.0.0.1', () => resolve());
  });
  const { port } = http.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}${MCP_HTTP_PATH}`,
    get sessionCount() {
      return sessions.size;
    },
    sessions: () =>
      [...sessions.values()].map(({ island, startedAt }) => ({
        id: island.sessionId,
        clientName: island.clientName,
        startedAt,
        island,
      })),
    close: async () => {
      const open = [...sessions.values()];
      await Promise.allSettled(open.map((s) => s.transport.close()));
      await Promise.allSettled([...open.map((s) => s.island), ...ending].map((island) => island.close()));
      http.closeAllConnections();
      await new Promise<void>((resolve) => http.close(() => resolve()));
    },
  };
}
