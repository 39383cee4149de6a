import { KernelAPI, KernelSpec, KernelSpecAPI, ServerConnection } from '@jupyterlab/services';
import { Logger, nullLogger } from '../common/log';
import type { JupyterServerProvider } from '../jupyter/types';
import { JupyterKernelSession } from './jupyterKernelSession';
import { setupCode } from './setupCode';
import type { KernelSession, SessionFactory, SetupTarget } from './types';

/** Starts kernels on the provider's server (starting the server when needed) and prepares them for contexts. */
export class JupyterSessionFactory implements SessionFactory {
  /** Kernelspecs per server; a new server (after a crash) gets new settings and so a fresh lookup. */
  private readonly specs = new WeakMap<ServerConnection.ISettings, Promise<KernelSpec.ISpecModels>>();

  constructor(
    private readonly provider: JupyterServerProvider,
    private readonly logger: Logger = nullLogger,
  ) {}

  async start(kernelName: string): Promise<KernelSession> {
    try {
      return await this.startOnce(kernelName);
    } catch (err) {
      if (!(err instanceof ServerConnection.NetworkError)) {
        throw err;
      }
      // The server just died and the provider has not noticed yet (a closed websocket is seen first):
      // give it a moment to notice, then start on the server it hands out next.
      await this.serverChange(2000);
      return this.startOnce(kernelName);
    }
  }

  private async startOnce(kernelName: string): Promise<KernelSession> {
    const server = await this.provider.getServer();
    const language = await this.languageOf(server.settings, kernelName);
    const model = await KernelAPI.startNew({ name: kernelName }, server.settings);
    try {
      return await JupyterKernelSession.connect({
        model,
        serverSettings: server.settings,
        language,
        onServerDied: this.provider.onDidDie,
        logger: this.logger,
      });
    } catch (err) {
      await KernelAPI.shutdownKernel(model.id, server.settings).catch((e: unknown) =>
        this.logger.warn(`Could not shut down kernel ${model.id} after a failed start: ${String(e)}`),
      );
      throw err;
    }
  }

  async connect(kernelId: string, kernelName: string): Promise<KernelSession | undefined> {
    const server = await this.provider.getServer();
    const model = await KernelAPI.getKernelModel(kernelId, server.settings);
    if (!model || model.name !== kernelName) {
      return undefined;
    }
    return JupyterKernelSession.connect({
      model,
      serverSettings: server.settings,
      language: await this.languageOf(server.settings, kernelName),
      onServerDied: this.provider.onDidDie,
      logger: this.logger,
    });
  }

  async setUp(session: KernelSession, target: SetupTarget): Promise<void> {
    const code = setupCode(session.language, target);
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
  private serverChange(timeoutMs: number): Promise<void> {
    if (this.provider.state !== 'running') {
      return Promise.resolve();
    }
    return new Promise((resolve) => {
      const done = (): void => {
        clearTimeout(timer);
        sub.dispose();
        resolve();
      };
      const timer = setTimeout(done, timeoutMs);
      const sub = this.provider.onDidChangeState(done);
    });
  }

  private async languageOf(settings: ServerConnection.ISettings, kernelName: string): Promise<string> {
    let specs = this.specs.get(settings);
    if (!specs) {
      specs = KernelSpecAPI.getSpecs(settings);
      this.specs.set(settings, specs);
      // A failed lookup is not cached, so the next start asks again.
      void specs.catch(() => this.specs.delete(settings));
    }
    const models = await specs;
    const spec = models.kernelspecs[kernelName];
    if (!spec) {
      const available = Object.keys(models.kernelspecs).sort().join(', ') || 'none';
      throw new Error(`Unknown kernelspec "${kernelName}". Available kernelspecs: ${available}.`);
    }
    return spec.language;
  }
}
