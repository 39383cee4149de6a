// Kernel Islands' MCP server inside VS Code: offered to VS Code's agent modes through the MCP server definition
// provider API, served from the extension host so its sessions' contexts live in this window's registry (the
// Kernels view's Agents group, their results panels) under the agent limits of the LM tool.
import * as vscode from 'vscode';
import type { Logger } from '../../common/log';
import type { McpHttpServer, McpIslandHost } from '../../mcp/httpTransport';
import type * as InHostModule from '../../mcp/inHostServer';
import type { InHostMcpServer } from '../../mcp/inHostServer';

/** The provider id in `contributes.mcpServerDefinitionProviders`. */
const MCP_PROVIDER_ID = 'kernelIslands.mcpServer';

/** The server's name in VS Code's MCP server list. */
const MCP_SERVER_LABEL = 'Kernel Islands';

/**
 * The in-host server's module (with the MCP SDK), evaluated on first call. esbuild turns this path into
 * `./mcp-host.js`, its own bundle next to extension.js (see esbuild.mjs), so activation does not even parse it.
 */
function inHostModule(): typeof InHostModule {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- deferred on purpose, see above
  return require('../../mcp/inHostServer') as typeof InHostModule;
}

/** How a client reaches the running server. */
export interface McpServerAddress {
  url: string;
  headers: Record<string, string>;
}

/**
 * Offers the server to VS Code and starts it when VS Code (or the user, through a command) first needs it: no
 * port is opened and no SDK loaded before that. Nothing at all in an untrusted workspace. Disposing closes every
 * session, which shuts its kernels down.
 */
export class McpServerProvider
  implements vscode.McpServerDefinitionProvider<vscode.McpHttpServerDefinition>, vscode.Disposable
{
  private starting: Promise<InHostMcpServer> | undefined;
  private running: InHostMcpServer | undefined;
  private disposed = false;

  constructor(
    private readonly host: McpIslandHost,
    private readonly log: Logger,
    private readonly version: string,
    private readonly trusted: () => boolean = () => vscode.workspace.isTrusted,
  ) {}

  /**
   * Called eagerly by VS Code: the definition names the server without starting it. Its address and token are
   * filled in by `resolveMcpServerDefinition`, which VS Code calls before it connects.
   */
  provideMcpServerDefinitions(): vscode.McpHttpServerDefinition[] {
    if (!this.trusted() || this.disposed) {
      return [];
    }
    return [
      new vscode.McpHttpServerDefinition(MCP_SERVER_LABEL, vscode.Uri.parse('http://127.0.0.1/mcp'), {}, this.version),
    ];
  }

  async resolveMcpServerDefinition(
    definition: vscode.McpHttpServerDefinition,
  ): Promise<vscode.McpHttpServerDefinition | undefined> {
    if (!this.trusted()) {
      return undefined;
    }
    const address = await this.address();
    definition.uri = vscode.Uri.parse(address.url);
    definition.headers = address.headers;
    return definition;
  }

  /** Starts the server if needed; its URL and the header that carries the token. */
  async address(): Promise<McpServerAddress> {
    const { server, token } = await this.start();
    return { url: server.url, headers: { Authorization: `Bearer ${token}` } };
  }

  /** The server, once started (the share command lists its sessions). */
  get server(): McpHttpServer | undefined {
    return this.running?.server;
  }

  private start(): Promise<InHostMcpServer> {
    if (this.disposed) {
      return Promise.reject(new Error('Kernel Islands is shutting down.'));
    }
    if (!this.trusted()) {
      return Promise.reject(new Error('The MCP server runs only in a trusted workspace.'));
    }
    this.starting ??= inHostModule()
      .startInHostMcpServer(this.host, this.log)
      .then(
        (running) => {
          if (this.disposed) {
            void running.server.close();
            throw new Error('Kernel Islands is shutting down.');
          }
          this.running = running;
          this.log.info(`MCP server for this window on ${running.server.url}.`);
          return running;
        },
        (err: unknown) => {
          this.starting = undefined;
          throw err;
        },
      );
    return this.starting;
  }

  /** Closes every session (their kernels shut down) and stops listening. */
  dispose(): void {
    this.disposed = true;
    const running = this.running;
    this.running = undefined;
    if (running) {
      void running.server.close().catch((err: unknown) => this.log.warn(`Closing the MCP server: ${String(err)}`));
    }
  }
}

/** Registers the provider with VS Code (the id is declared in package.json). */
export function registerMcpServerProvider(provider: McpServerProvider): vscode.Disposable {
  return vscode.Disposable.from(vscode.lm.registerMcpServerDefinitionProvider(MCP_PROVIDER_ID, provider), provider);
}
