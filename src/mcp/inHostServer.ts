// The MCP server inside VS Code's extension host: Streamable HTTP on 127.0.0.1 behind a per-window token, serving
// sessions from the extension's own registry and agent lifecycle. Bundled apart (dist/mcp-host.js, with the MCP SDK)
// and required on first use, so activation never loads the SDK.
import type { Logger } from '../common/log';
import { generateToken } from '../jupyter/token';
import { serveHttp, type McpHttpServer, type McpIslandHost } from './httpTransport';

/** The running server and the token its clients must send (`Authorization: Bearer <token>`). */
export interface InHostMcpServer {
  server: McpHttpServer;
  /** 256 random bits, new for every window: it dies with the extension host. */
  token: string;
}

/** Starts the server on a free port of 127.0.0.1 with a fresh token. */
export async function startInHostMcpServer(host: McpIslandHost, logger: Logger): Promise<InHostMcpServer> {
  const token = generateToken();
  const server = await serveHttp(host, { port: 0, token, logger });
  return { server, token };
}
