import type { Logger } from '../common/log';
import { hubServerAlias, parseHubUrl } from '../jupyter/hubApi';
import { HubJupyterServer, reportingHubHooks } from '../jupyter/hubServer';
import { LocalJupyterServer } from '../jupyter/localServer';
import { parseServerUrl, RemoteJupyterServer } from '../jupyter/remoteServer';
import { findPython } from '../python/pythonFinder';
import { LOCAL_SERVER, type JupyterServerProvider } from '../jupyter/types';
import type { AgentLifecycle, AgentLimits } from '../kernels/agentLifecycle';
import { AgentSandbox, type AgentSandboxOptions } from '../kernels/agentSandbox';
import { createEngine } from '../kernels/engine';
import { kernelSpecLister, type KernelSpecListing } from '../kernels/kernelSpecs';
import type { IContextRegistry } from '../kernels/types';

/**
 * Where every context's kernel runs: the command's own local Jupyter Server (default), a remote Jupyter Server or
 * gateway (`--server`), or a JupyterHub user's server (`--hub`). Tokens come from the environment, never argv.
 */
export type McpServerTarget =
  | { kind: 'local' }
  | { kind: 'remote'; url: string; token: string }
  | { kind: 'hub'; url: string; user: string; serverName: string; token: string; renewal: string };

/** The server the contexts run on, as tools and the start-up line name it. */
export interface McpPlacement {
  /** The server's name in the registry (`local`, the remote server's base URL, `hub:<user>[/<server>]`). */
  server: string;
  /** False for the command's own local server (sandboxed by us); true where isolation is that server's. */
  remote: boolean;
  /** One line: which server, and whose isolation applies. */
  description: string;
}

/** What the standalone MCP server runs on: the extension's engine, minus VS Code. */
export interface McpEngine {
  registry: IContextRegistry;
  /** Idle shutdown and cap of agent contexts: every session's contexts count. */
  lifecycle: AgentLifecycle;
  /** The Jupyter Server the kernels run on (local, remote or a hub's). */
  jupyter: JupyterServerProvider;
  listSpecs: () => Promise<KernelSpecListing>;
  /** Every session's contexts run sandboxed unless switched off (`--no-sandbox`) or on a remote server. */
  sandbox: AgentSandbox;
  /** Where contexts run, for the tools' words. */
  placement: McpPlacement;
  /** The folder kernels start in and the server serves (the local server only). */
  rootDir?: string;
  /** Shuts every kernel down (on a remote server too: they are the sessions'), then stops a local server. */
  dispose(): Promise<void>;
}

interface McpEngineOptions {
  /** The local server by default. */
  target?: McpServerTarget;
  /**
   * The local server: interpreter with jupyter_server and ipykernel; found like the extension does (PATH, then the
   * platform's usual installs, `python/pythonLayouts`) when absent.
   */
  python?: string;
  rootDir: string;
  /** Warm kernels kept ready for new contexts. */
  warmKernels: number;
  defaultKernel: string;
  /** Idle shutdown, cap and run time limit, as the extension's `kernelIslands.agents.*` settings. */
  limits: AgentLimits;
  /** The sandbox of every context (all of them are agents') on the local server. */
  sandbox: AgentSandboxOptions;
  /** Where sandboxes' work folders live, and whether they outlive their kernels (`--keep-files`). */
  islandsDir?: string;
  keepFiles?: boolean;
  logger: Logger;
  /** Lines a user should see whatever the verbosity (a hub's start progress, a refused token): stderr. */
  report?: (line: string) => void;
}

/** The provider of the target's server and how tools name it. */
function serverFor(options: McpEngineOptions): {
  provider: JupyterServerProvider;
  placement: McpPlacement;
  local?: LocalJupyterServer;
} {
  const { logger } = options;
  const target = options.target ?? { kind: 'local' };
  if (target.kind === 'remote') {
    const { baseUrl } = parseServerUrl(target.url, target.url);
    const provider = new RemoteJupyterServer({ name: baseUrl, url: baseUrl, token: target.token }, { logger });
    return {
      provider,
      placement: {
        server: baseUrl,
        remote: true,
        description: `the remote Jupyter Server ${baseUrl}: isolation is that server's, not a local sandbox`,
      },
    };
  }
  if (target.kind === 'hub') {
    const hubUrl = parseHubUrl(target.url);
    const name = hubServerAlias(target.user, target.serverName);
    const provider = new HubJupyterServer(
      {
        name,
        hubUrl,
        user: target.user,
        serverName: target.serverName,
        credentials: () => Promise.resolve({ token: target.token }),
        renewal: target.renewal,
      },
      { logger, hooks: reportingHubHooks(options.report ?? ((line) => logger.warn(line))) },
    );
    return {
      provider,
      placement: {
        server: name,
        remote: true,
        description: `the JupyterHub server ${name} at ${hubUrl}: isolation is the hub's (its spawner's: a container per user on Kubernetes), not a local sandbox`,
      },
    };
  }
  const local = new LocalJupyterServer({
    rootDir: options.rootDir,
    logger,
    python: () => findPython({ settingPath: options.python }),
    islandsDir: options.islandsDir,
    keepIslands: options.keepFiles,
  });
  return {
    provider: local,
    local,
    placement: { server: LOCAL_SERVER, remote: false, description: 'a Jupyter Server of its own on 127.0.0.1' },
  };
}

/**
 * The server (a local Jupyter Server on 127.0.0.1, started on first use and stopped by `dispose`, or the remote or
 * hub server of the target) and the engine on it, built by `kernels/engine` like the extension's: one registry
 * every MCP session's contexts live in, with its warm kernels. Nothing falls back to local kernels: a remote
 * target's engine has no other server.
 */
export function createMcpEngine(options: McpEngineOptions): McpEngine {
  const { logger } = options;
  const { provider, placement, local } = serverFor(options);
  // On a remote server the kernels run there, isolated by that server: no local sandbox names them.
  const sandbox = new AgentSandbox(placement.remote ? { ...options.sandbox, enabled: false } : options.sandbox);
  // Every context here is an agent's: the warm kernels start in the sandbox the contexts use, once a first context
  // is added (a server nobody calls starts no Python).
  const engine = createEngine({
    servers: provider,
    logger,
    sandbox,
    defaultKernelName: options.defaultKernel,
    defaultServer: () => placement.server,
    poolServer: placement.server,
    warmKernels: options.warmKernels,
    agentLimits: options.limits,
  });
  const { registry, agents: lifecycle } = engine;
  return {
    registry,
    lifecycle,
    jupyter: provider,
    sandbox,
    placement,
    rootDir: local ? options.rootDir : undefined,
    listSpecs: kernelSpecLister(
      () => [placement.server],
      () => provider,
    ),
    dispose: async () => {
      await engine.disposeAsync().catch((err: unknown) => logger.warn(`Shutting the kernels down: ${String(err)}`));
      await provider.stop();
      provider.dispose();
    },
  };
}
