import type { Logger } from '../common/log';
import { LocalJupyterServer } from '../jupyter/localServer';
import { findPython } from '../jupyter/pythonFinder';
import { LOCAL_SERVER } from '../jupyter/types';
import { AgentLifecycle, type AgentLimits } from '../kernels/agentLifecycle';
import { AgentSandbox, type AgentSandboxOptions } from '../kernels/agentSandbox';
import { KernelPool } from '../kernels/kernelPool';
import { kernelSpecLister, type KernelSpecListing } from '../kernels/kernelSpecs';
import { ContextRegistry } from '../kernels/registry/contextRegistry';
import { JupyterSessionFactory } from '../kernels/sessionFactory';
import { TransportChooser } from '../kernels/transportChooser';
import type { IContextRegistry } from '../kernels/types';

/** What the standalone MCP server runs on: the extension's engine, minus VS Code. */
export interface McpEngine {
  registry: IContextRegistry;
  /** Idle shutdown and cap of agent contexts: every session's contexts count. */
  lifecycle: AgentLifecycle;
  /** The local Jupyter Server the kernels run on. */
  jupyter: LocalJupyterServer;
  listSpecs: () => Promise<KernelSpecListing>;
  /** Every session's contexts run sandboxed unless switched off (`--no-sandbox`). */
  sandbox: AgentSandbox;
  /** The folder kernels start in and the server serves. */
  rootDir: string;
  /** Shuts every kernel down, then stops the Jupyter Server. */
  dispose(): Promise<void>;
}

interface McpEngineOptions {
  /** Interpreter with jupyter_server and ipykernel; found like the extension does (PATH, then /usr/bin/python3) when absent. */
  python?: string;
  rootDir: string;
  /** Warm kernels kept ready for new contexts. */
  warmKernels: number;
  defaultKernel: string;
  /** Idle shutdown, cap and run time limit, as the extension's `kernelIslands.agents.*` settings. */
  limits: AgentLimits;
  /** The sandbox of every context (all of them are agents'). */
  sandbox: AgentSandboxOptions;
  /** Where sandboxes' work folders live, and whether they outlive their kernels (`--keep-files`). */
  islandsDir?: string;
  keepFiles?: boolean;
  logger: Logger;
}

/**
 * Builds the engine as `extension.ts` does: a local Jupyter Server on 127.0.0.1 (started on first use, stopped by
 * `dispose`), the session factory, the warm pool and one registry every MCP session's contexts live in.
 */
export function createMcpEngine(options: McpEngineOptions): McpEngine {
  const { logger } = options;
  const server = new LocalJupyterServer({
    rootDir: options.rootDir,
    logger,
    python: () => findPython({ settingPath: options.python }),
    islandsDir: options.islandsDir,
    keepIslands: options.keepFiles,
  });
  const sandbox = new AgentSandbox(options.sandbox);
  const factory = new JupyterSessionFactory(
    server,
    logger,
    undefined,
    new TransportChooser(logger),
    undefined,
    sandbox,
  );
  // Every context here is an agent's, so the warm kernels are started in the sandbox the contexts will use.
  const warmName = sandbox.kernelNameFor(options.defaultKernel);
  const pool =
    options.warmKernels > 0
      ? new KernelPool({ factory, kernelName: warmName, size: options.warmKernels, logger })
      : undefined;
  const registry = new ContextRegistry({
    factory,
    pool,
    defaultKernelName: options.defaultKernel,
    logger,
    agentSandbox: sandbox,
  });
  const lifecycle = new AgentLifecycle(registry, { limits: options.limits, logger });
  // The pool warms once code has run here once: a server nobody calls starts no Python.
  const warmOnFirstUse = registry.onDidChangeContexts((e) => {
    if (e.type === 'added') {
      warmOnFirstUse.dispose();
      pool?.fill();
    }
  });
  return {
    registry,
    lifecycle,
    jupyter: server,
    sandbox,
    rootDir: options.rootDir,
    listSpecs: kernelSpecLister(
      () => [LOCAL_SERVER],
      () => server,
    ),
    dispose: async () => {
      warmOnFirstUse.dispose();
      lifecycle.dispose();
      await Promise.allSettled([registry.disposeAsync(), pool?.disposeAsync()]);
      await server.stop();
    },
  };
}
