// The one wiring of the engine: the extension, the MCP server and the benchmark all build it here, so the warm
// kernels, the sandbox and the registry behave alike in all three (and the bench measures what the product runs).
// Plain Node: no `vscode`.
import type { Disposable } from '../common/disposable';
import { Logger, nullLogger } from '../common/log';
import { LOCAL_SERVER, type JupyterServerProvider, type ServerProviderLookup } from '../jupyter/types';
import { AgentLifecycle, DEFAULT_AGENT_LIMITS, type AgentLimits } from './agentLifecycle';
import type { AgentSandbox } from './agentSandbox';
import { ContextRegistry } from './registry/contextRegistry';
import { JupyterSessionFactory } from './session/sessionFactory';
import { DEFAULT_TRANSPORT, TransportChooser, type TransportSetting } from './session/transportChooser';
import type { SessionFactory } from './types';
import { WarmKernels } from './warmKernels';

/** What an engine is built from; each caller passes its own (settings-backed functions, flags, bench figures). */
export interface EngineOptions {
  /** Where kernels start: one server (MCP, bench) or a lookup of each context's server by name (the extension). */
  servers: JupyterServerProvider | ServerProviderLookup;
  /** Tests only: starts kernels instead of a `JupyterSessionFactory` on `servers`. */
  sessionFactory?: SessionFactory;
  logger?: Logger;
  /** `kernelIslands.transport`, read per start; the extension's default when absent. */
  transport?: () => TransportSetting;
  /** Agents' sandbox: the registry names agent contexts' kernels through it, the factory registers its profiles. */
  sandbox?: AgentSandbox;
  /** Kernelspec for contexts that name none; `python3` by default. Also the kernelspec the warm kernels serve. */
  defaultKernelName?: string;
  /** Server for contexts that name none (read at each context's creation); `local` by default. */
  defaultServer?: () => string;
  /** The server the warm kernels run on; `local` by default. */
  poolServer?: string;
  /** Warm kernels in all, over the kernelspecs in use (`kernelIslands.warmKernels`); change with `warm.resize`. */
  warmKernels: number;
  /** Servers whose kernels outlive the registry (remote ones). None by default. */
  keepsKernelsOnDispose?: (server: string) => boolean;
  interruptTimeoutSeconds?: () => number;
  /** Idle shutdown, cap and run time limit of agent contexts; the settings' defaults when absent. */
  agentLimits?: AgentLimits;
  /**
   * Registers contexts from before (the extension's window-reload restore) once the agent lifecycle tracks them and
   * before kernelspecs start warming on use: a restored context takes its old kernel back, so activation starts no
   * Python for it.
   */
  restore?: (registry: ContextRegistry) => void;
}

/** The engine's parts. Callers use them directly; the engine adds nothing between them. */
export interface Engine extends Disposable {
  factory: SessionFactory;
  /**
   * Warm kernels per kernelspec in use, most recent first, within `warmKernels` in all. A kernelspec starts warming
   * once a context of it is added on the pool's server: building the engine starts no kernel.
   */
  warm: WarmKernels;
  registry: ContextRegistry;
  /** Idle shutdown and cap of agent contexts. */
  agents: AgentLifecycle;
  sandbox: AgentSandbox | undefined;
  /** Shuts every context's kernel and every warm kernel down (remote servers' contexts are only closed). */
  disposeAsync(): Promise<void>;
}

export function createEngine(options: EngineOptions): Engine {
  const logger = options.logger ?? nullLogger;
  const defaultKernelName = options.defaultKernelName ?? 'python3';
  const poolServer = options.poolServer ?? LOCAL_SERVER;
  const { sandbox } = options;
  const factory =
    options.sessionFactory ??
    new JupyterSessionFactory(
      options.servers,
      logger,
      undefined,
      new TransportChooser(logger, options.transport ?? (() => DEFAULT_TRANSPORT)),
      undefined,
      sandbox,
    );
  const warm = new WarmKernels({ factory, defaultKernelName, size: options.warmKernels, logger });
  const registry = new ContextRegistry({
    factory,
    pool: warm,
    defaultKernelName,
    defaultServer: options.defaultServer,
    poolServer,
    keepsKernelsOnDispose: options.keepsKernelsOnDispose,
    interruptTimeoutSeconds: options.interruptTimeoutSeconds,
    logger,
    agentSandbox: sandbox,
  });
  // Before any context exists (restored ones included): each gets a fresh idle clock, and the cap.
  const agents = new AgentLifecycle(registry, { limits: options.agentLimits ?? DEFAULT_AGENT_LIMITS, logger });
  options.restore?.(registry);
  // A kernelspec (or project environment) starts warming once a context of it is added: building the engine never
  // starts Python, and a kernelspec nobody used gets no kernels. An agent context's kernels warm under the sandboxed
  // name its start takes them by (the event names the kernelspec inside the sandbox), not as plain ones nobody takes.
  const warmOnUse = registry.onDidChangeContexts((e) => {
    if (e.type === 'added' && e.context.server === poolServer) {
      const { kernelName, sandboxed } = e.context;
      warm.use(sandboxed && sandbox ? sandbox.kernelNameFor(kernelName) : kernelName);
    }
  });
  let disposed: Promise<void> | undefined;
  const disposeAsync = (): Promise<void> => {
    disposed ??= (async () => {
      warmOnUse.dispose();
      agents.dispose();
      const results = await Promise.allSettled([registry.disposeAsync(), warm.disposeAsync()]);
      const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
      if (failed) {
        throw failed.reason;
      }
    })();
    return disposed;
  };
  return {
    factory,
    warm,
    registry,
    agents,
    sandbox,
    disposeAsync,
    dispose: () => void disposeAsync().catch((err: unknown) => logger.warn(`Engine dispose: ${String(err)}`)),
  };
}
