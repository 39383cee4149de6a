import type { Kernel, KernelSpec, ServerConnection } from '@jupyterlab/services';
import { EnvironmentChecker } from '../../python/environmentCheck';
import { jupyterServices } from '../../jupyter/jupyterServices';
import { describeFetchError } from '../../jupyter/jupyterRequest';
import { pythonOfKernelName } from '../../python/pythonEnvironment';
import { baseKernelName, sandboxedKernelName, sandboxOfKernelName } from '../../jupyter/sandboxProfile';
import { Logger, nullLogger } from '../../common/log';
import type { JupyterServerConnection, JupyterServerProvider, ServerProviderLookup } from '../../jupyter/types';
import type { AgentSandbox } from '../agentSandbox';
import { resolveKernelName } from '../languageKernels';
import { KernelStartDiedError, WebSocketKernelSession } from './webSocketKernelSession';
import { setupCode } from './setupCode';
import { startWithin } from './startDeadline';
import { realTimer } from '../timer';
import { TransportChooser } from './transportChooser';
import type { KernelSession, SessionFactory, SetupTarget, Timer } from '../types';
import { RouteMissingError } from '../zmq/launcherRoutes';
import { ZmqKernelSession } from '../zmq/zmqKernelSession';

/** How long a remote kernel's session keeps reconnecting after a network blip before it reports the server gone. */
const REMOTE_RECONNECT_MS = 60_000;

/** A kernel that has not answered this long after its start request is given up on (a healthy start takes 1–4 s). */
export const KERNEL_START_TIMEOUT_MS = 120_000;

/**
 * Starts kernels on a server (starting the local server when needed) and prepares them for contexts. Built with
 * one provider (every kernel on it) or a lookup that finds each context's server by name. Each start is a plain
 * `POST /api/kernels`, so every context gets a kernel of its own, on remote servers too.
 */
/** The kernel a start created on its server, recorded so a start that hangs past its deadline can delete it. */
interface CreatedKernel {
  id?: string;
  settings?: ServerConnection.ISettings;
}

export class JupyterSessionFactory implements SessionFactory {
  /** Kernelspecs per server; a new server (after a crash) gets new settings and so a fresh lookup. */
  private readonly specs = new WeakMap<ServerConnection.ISettings, Promise<KernelSpec.ISpecModels>>();
  /** Sessions on remote servers: their set-up skips the local working directory and file. */
  private readonly remote = new WeakSet<KernelSession>();
  private readonly lookup: ServerProviderLookup;

  constructor(
    providers: JupyterServerProvider | ServerProviderLookup,
    private readonly logger: Logger = nullLogger,
    private readonly startTimeout: { ms: number; timer: Timer } = { ms: KERNEL_START_TIMEOUT_MS, timer: realTimer },
    private readonly transport: TransportChooser = new TransportChooser(logger),
    private readonly environments: EnvironmentChecker = new EnvironmentChecker(),
    /** Registers agents' sandbox profiles with the local server before their kernels start. */
    private readonly sandbox?: AgentSandbox,
  ) {
    this.lookup = typeof providers === 'function' ? providers : () => providers;
  }

  /**
   * Starts a kernel once its server is up. The deadline covers the kernel's start only: a server's own start is
   * bounded by the server (the local one's start limit, a hub's spawn limit) and may wait for the user (Start
   * Again after the hub stopped the server), so it must not turn into "the kernel did not become ready".
   */
  async start(kernelName: string, serverName?: string): Promise<KernelSession> {
    const provider = this.lookup(serverName);
    try {
      await provider.getServer();
    } catch (err) {
      // A network error is retried by the bounded start below; anything else is the server's own failure.
      if (!(err instanceof jupyterServices().ServerConnection.NetworkError)) {
        throw describeStartError(err, kernelName, serverName ?? 'default');
      }
    }
    const seconds = Math.round(this.startTimeout.ms / 1000);
    const created: CreatedKernel = {};
    return startWithin(
      this.startWithRetry(kernelName, serverName, created),
      this.startTimeout.ms,
      this.startTimeout.timer,
      `Kernel ${kernelName} did not become ready within ${seconds} s. The machine may be overloaded, or the ` +
        'kernel hangs while starting: run again to retry, or pick another kernel. Details are in the log.',
      (late) => {
        this.logger.warn(`Kernel ${late.id} (${kernelName}) became ready after its start timed out; shutting it down.`);
        void late
          .shutdown()
          .catch((e: unknown) => this.logger.warn(`Shutting down late kernel ${late.id}: ${String(e)}`));
      },
      () => this.removeHungKernel(kernelName, created),
    );
  }

  /**
   * A start that hangs past its deadline (seen when a kernel died at start-up with "Address already in use" and its
   * restart never answered) has already created a kernel on the server; delete it, or it stays there, and in `ps`,
   * until the server stops. Deleting it also ends the hung wait, whose failure nobody is listening for any more.
   */
  private removeHungKernel(kernelName: string, created: CreatedKernel): void {
    if (!created.id || !created.settings) {
      return;
    }
    const id = created.id;
    this.logger.warn(`Kernel ${id} (${kernelName}) did not become ready in time; shutting it down.`);
    void jupyterServices()
      .KernelAPI.shutdownKernel(id, created.settings)
      .catch((e: unknown) => this.logger.warn(`Shutting down hung kernel ${id}: ${String(e)}`));
  }

  private async startWithRetry(
    kernelName: string,
    serverName: string | undefined,
    created: CreatedKernel,
  ): Promise<KernelSession> {
    const provider = this.lookup(serverName);
    const where = serverName ?? 'default';
    try {
      return await this.startOnce(provider, kernelName, serverName, created);
    } catch (err) {
      if (err instanceof jupyterServices().ServerConnection.NetworkError) {
        // The server just died and the provider has not noticed yet (a closed websocket is seen first):
        // give it a moment to notice, then start on the server it hands out next.
        await this.serverChange(provider, 2000);
      } else if (!(isRefusedOrNotThere(err) && provider.check && !(await provider.check()))) {
        throw describeStartError(err, kernelName, where);
      }
      // A refused token or a hub answering for a stopped server: the provider now knows the server is gone (and
      // why); the next start asks it afresh, so the failure is worded as the hub or the server said.
      return this.startOnce(provider, kernelName, serverName, created).catch((again: unknown) => {
        throw describeStartError(again, kernelName, where);
      });
    }
  }

  /** `kernelName` may be a pattern (`julia-*`): it is resolved against this server's kernelspecs. */
  private async startOnce(
    provider: JupyterServerProvider,
    wanted: string,
    serverName: string | undefined,
    created: CreatedKernel,
  ): Promise<KernelSession> {
    const sandbox = sandboxOfKernelName(wanted);
    const base = sandbox?.baseKernelName ?? wanted;
    const python = pythonOfKernelName(base);
    // A project environment's kernel: the check (is it there, has it ipykernel?) runs while the server starts.
    const [server] = await Promise.all([provider.getServer(), python && this.environments.check(python)]);
    if (python && server.kind !== 'local') {
      throw new Error(
        `A project's Python environment (${python}) runs on the local Jupyter Server only, not on "${server.name}".`,
      );
    }
    const resolved = python
      ? base
      : resolveKernelName(
          base,
          Object.keys((await this.specsOf(server.settings)).kernelspecs),
          serverName ?? 'default',
        );
    // A remote server's kernels run on another machine, isolated (or not) by that server: no local sandbox there.
    const sandboxed = sandbox !== undefined && server.kind === 'local';
    if (sandbox && !sandboxed) {
      this.logger.info(`Kernel ${resolved} on "${server.name}": that server's own isolation applies, not ours.`);
    }
    const kernelName = sandboxed ? sandboxedKernelName(resolved, sandbox.profileId) : resolved;
    if (sandboxed) {
      if (!this.sandbox) {
        throw new Error(`Kernel ${wanted} needs a sandbox, and this engine has no sandbox policy.`);
      }
      await this.sandbox.prepare(server.settings, kernelName);
    }
    const language = await this.languageOf(server.settings, resolved);
    const model = await jupyterServices().KernelAPI.startNew(startRequest(kernelName), server.settings);
    created.id = model.id;
    created.settings = server.settings;
    try {
      return await this.open(provider, server, model, language);
    } catch (err) {
      await jupyterServices()
        .KernelAPI.shutdownKernel(model.id, server.settings)
        .catch((e: unknown) =>
          this.logger.warn(`Could not shut down kernel ${model.id} after a failed start: ${String(e)}`),
        );
      throw err instanceof KernelStartDiedError ? await this.explainStartDeath(server.settings, err) : err;
    }
  }

  /** Adds the kernelspec's command to a start-up death, since running it by hand shows why it exits. */
  private async explainStartDeath(settings: ServerConnection.ISettings, err: KernelStartDiedError): Promise<Error> {
    const base = baseKernelName(err.kernelName);
    const spec = (await this.specs.get(settings))?.kernelspecs[base];
    const python = pythonOfKernelName(base);
    const argv = python ? `${python} -m ipykernel_launcher` : spec?.argv?.join(' ');
    return new Error(
      `Kernel ${err.kernelName} died while starting: its process exited before it answered, and the server gave ` +
        'up restarting it. ' +
        (argv ? `Run its command in a terminal to see why: ${argv}. ` : '') +
        'Or pick another kernel (`jupyter kernelspec list`).',
    );
  }

  async connect(kernelId: string, kernelName: string, serverName?: string): Promise<KernelSession | undefined> {
    const provider = this.lookup(serverName);
    const server = await provider.getServer();
    const model = await jupyterServices().KernelAPI.getKernelModel(kernelId, server.settings);
    if (!model || model.name !== kernelName) {
      return undefined;
    }
    return this.open(provider, server, model, await this.languageOf(server.settings, baseKernelName(kernelName)));
  }

  /**
   * Local kernels talk ZMQ directly when the transport chooser allows it; the rest use the server's websocket.
   * Remote kernels ride out network blips (reconnecting with backoff); local ones die with their server.
   */
  private async open(
    provider: JupyterServerProvider,
    server: JupyterServerConnection,
    model: Kernel.IModel,
    language: string,
  ): Promise<KernelSession> {
    const isRemote = server.kind === 'remote';
    const choice = this.transport.choose(server);
    if (choice.kind === 'zmq') {
      try {
        const session = await ZmqKernelSession.connect({
          model,
          serverSettings: server.settings,
          language,
          zeromq: choice.zeromq,
          onServerDied: provider.onDidDie,
          logger: this.logger,
        });
        this.logger.info(`Kernel ${model.id} (${model.name}): direct ZMQ transport.`);
        return session;
      } catch (err) {
        if (!(err instanceof RouteMissingError)) {
          throw err;
        }
        this.transport.reportMissingRoutes(err.message);
      }
    } else if (!isRemote) {
      this.logger.info(`Kernel ${model.id} (${model.name}): server websocket transport (${choice.why}).`);
    }
    const session = await WebSocketKernelSession.connect({
      model,
      serverSettings: server.settings,
      language,
      // A remote provider fires only when it knows the server stopped (a hub's culler), never on a network blip.
      onServerDied: provider.onDidDie,
      checkServer: () =>
        void provider.check?.().catch((e: unknown) => this.logger.warn(`Checking the server: ${String(e)}`)),
      reconnectForMs: isRemote ? REMOTE_RECONNECT_MS : undefined,
      logger: this.logger,
    });
    if (isRemote) {
      this.remote.add(session);
    }
    return session;
  }

  async setUp(session: KernelSession, target: SetupTarget): Promise<void> {
    // A remote kernel runs on another machine: the local folder and file do not exist there.
    if (this.remote.has(session)) {
      return;
    }
    // A sandboxed kernel starts in its own work folder and sees no other (the project is read-only, at its path).
    const sandboxed = sandboxOfKernelName(session.kernelName) !== undefined;
    const code = setupCode(session.language, sandboxed ? {} : target);
    if (code === undefined) {
      return;
    }
    const result = await session.execute(code, { silent: true, storeHistory: false });
    if (result.status !== 'ok') {
      const why = result.error ? `${result.error.ename}: ${result.error.evalue}` : result.status;
      throw new Error(`Could not prepare the kernel (working directory ${target.cwd ?? 'unchanged'}): ${why}`);
    }
  }

  /** Resolves when the provider's server changes state (dies, restarts), or after `timeoutMs`. */
  private serverChange(provider: JupyterServerProvider, timeoutMs: number): Promise<void> {
    if (provider.state !== 'running') {
      return Promise.resolve();
    }
    return new Promise((resolve) => {
      const done = (): void => {
        clearTimeout(timer);
        sub.dispose();
        resolve();
      };
      const timer = setTimeout(done, timeoutMs);
      const sub = provider.onDidChangeState(done);
    });
  }

  /** The server's kernelspecs, asked once per server. */
  private specsOf(settings: ServerConnection.ISettings): Promise<KernelSpec.ISpecModels> {
    let specs = this.specs.get(settings);
    if (!specs) {
      specs = jupyterServices().KernelSpecAPI.getSpecs(settings);
      this.specs.set(settings, specs);
      // A failed lookup is not cached, so the next start asks again.
      void specs.catch(() => this.specs.delete(settings));
    }
    return specs;
  }

  private async languageOf(settings: ServerConnection.ISettings, kernelName: string): Promise<string> {
    if (pythonOfKernelName(kernelName) !== undefined) {
      // The launcher resolves environment kernels itself; the server does not list them.
      return 'python';
    }
    const models = await this.specsOf(settings);
    const spec = models.kernelspecs[kernelName];
    if (!spec) {
      const available = Object.keys(models.kernelspecs).sort().join(', ') || 'none';
      throw new Error(`Unknown kernelspec "${kernelName}". Available kernelspecs: ${available}.`);
    }
    return spec.language;
  }
}

/**
 * The body of `POST /api/kernels`. `path` is the kernel's working directory relative to the server's root; without
 * it a server starts the kernel in its own process's working directory. The empty path is the root directory,
 * which is where the README says a remote kernel starts (a local kernel's set-up then enters the file's folder).
 */
function startRequest(kernelName: string): Kernel.IKernelOptions {
  const body = { name: kernelName, path: '' };
  return body;
}

/**
 * An answer that may mean the server is not the one we connected to any more: the token refused (401, 403), or a
 * JupyterHub answering for a user server that stopped (424 for reads, 405 for a kernel start).
 */
function isRefusedOrNotThere(err: unknown): boolean {
  return (
    err instanceof jupyterServices().ServerConnection.ResponseError &&
    [401, 403, 405, 424].includes(err.response.status) &&
    !/limit/i.test(err.message)
  );
}

/**
 * A gateway at its kernel cap answers 403 "resource limit"; a plain 403 on start means the token lost its rights;
 * a server that does not answer is named, with what was not done. All get words a user can act on; anything else
 * passes through unchanged.
 */
function describeStartError(err: unknown, kernelName: string, serverName: string): unknown {
  const where = `The Jupyter server "${serverName}"`;
  if (err instanceof jupyterServices().ServerConnection.NetworkError) {
    return new Error(
      `${where} does not answer (${describeFetchError(err)}): no ${kernelName} kernel was started there. ` +
        'Run again once the server is back.',
    );
  }
  if (!(err instanceof jupyterServices().ServerConnection.ResponseError) || err.response.status !== 403) {
    return err;
  }
  if (/limit/i.test(err.message)) {
    return new Error(
      `${where} refused to start another ${kernelName} kernel: it reached its resource limit (HTTP 403). ` +
        'Shut down kernels you no longer need (Kernels view) or ask the server admin to raise the limit.',
    );
  }
  return new Error(
    `${where} refused to start a ${kernelName} kernel (HTTP 403: ${err.message}). Check the token still has access.`,
  );
}
