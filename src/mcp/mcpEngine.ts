import type { Logger } from '../common/log';
import { LocalJupyterServer } from '../jupyter/localServer';
import { findPython } from '../python/pythonFinder';
import { LOCAL_SERVER } from '../jupyter/types';
import type { AgentLifecycle, AgentLimits } from '../kernels/agentLifecycle';
import { AgentSandbox, type AgentSandboxOptions } from '../kernels/agentSandbox';
import { createEngine } from '../kernels/engine';
import { kernelSpecLister, type KernelSpecListing } from '../kernels/kernelSpecs';
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
  /** Interpreter with jupyter_server and ipykernel; found like the extension does (PATH, then the platform's usual installs, `python/pythonLayouts`) when absent. */
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
 * A local Jupyter Server on 127.0.0.1 (started on first use, stopped by `dispose`) and the engine on it, built by
 * `kernels/engine` like the extension's: one registry every MCP session's contexts live in, with its warm kernels.
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
  // Every context here is an agent's: the warm kernels start in the sandbox the contexts use, once a first context
  // is added (a server nobody calls starts no Python).
  const engine = createEngine({
    servers: server,
    logger,
    sandbox,
    defaultKernelName: options.defaultKernel,
    warmKernels: options.warmKernels,
    agentLimits: options.limits,
  });
  const { registry, agents: lifecycle } = engine;
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
      await engine.disposeAsync().catch((err: unknown) => logger.warn(`Shutting the kernels down: ${String(err)}`));
      await server.stop();
    },
  };
}
