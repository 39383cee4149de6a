import { makeServerSettings } from './jupyterServices';
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import { Emitter } from '../common/event';
import { nullLogger, type Logger } from '../common/log';
import { adoptServer, type AdoptableServer } from './adoptedServer';
import { chooseFreePort, type PortChooser } from './freePort';
import { defaultSpawn, isPortClash, LauncherProcess, resolveLauncherPath, type SpawnFunction } from './launcherProcess';
import { findPython, type PythonFinder } from '../python/pythonFinder';
import { describeExit, launchedHandle, type ServerHandle } from './serverHandle';
import { waitUntilReady } from './serverStatus';
import { generateToken } from './token';
import type { JupyterServerConnection, JupyterServerProvider, ServerState } from './types';

/** Options for {@link LocalJupyterServer}. Everything but `rootDir` has a production default. */
export interface LocalServerOptions {
  /** Directory the server serves (workspace folder or home). Defaults to the home directory. */
  rootDir?: string;
  /** A fixed interpreter path, or a finder run before each start. Defaults to {@link findPython}. */
  python?: string | PythonFinder;
  logger?: Logger;
  /** Environment for the server and its kernels. Defaults to `process.env`. */
  env?: NodeJS.ProcessEnv;
  spawn?: SpawnFunction;
  choosePort?: PortChooser;
  /**
   * Seconds the server outlives its owner (reload survival): our stdin pipe for a server we started, the
   * lease for an adopted one. Read at each start and claim. Default 0: it stops when we go.
   */
  graceSeconds?: number | (() => number);
  /**
   * IPython kernels of the server keep their on-disk history file (`%history -g`); read at each start. Default
   * false: they keep history in memory, as nbclient's kernels do, so parallel kernels never contend for the file.
   */
  persistentHistory?: boolean | (() => boolean);
  /**
   * The server an earlier extension host left running (after a window reload), tried once, before the
   * first start. Undefined, gone or owned by someone else: a fresh server is started instead.
   */
  adopt?: () => Promise<AdoptableServer | undefined>;
  /** Runs after a server was adopted and before anyone gets it: e.g. shut down kernels nobody claims. */
  onAdopted?: (connection: JupyterServerConnection) => Promise<void>;
  /** Told about every server we start or adopt, so that the next extension host can adopt it. */
  onDidStartServer?: (server: AdoptableServer) => void;
  /** URL path prefix of the server, e.g. `/jupyter/`. Default `/`. */
  baseUrl?: string;
  startTimeoutMs?: number;
  stopTimeoutMs?: number;
  /** Attempts when the chosen port is taken before the server binds it. */
  maxPortAttempts?: number;
  launcherPath?: string;
  /** Where sandboxed kernels get their folders (default: a temporary folder the launcher removes when it stops). */
  islandsDir?: string;
  /** Keep sandboxed kernels' folders when they end. */
  keepIslands?: boolean;
}

/** Thrown by `getServer()` when the server cannot be started. */
class ServerStartError extends Error {
  override readonly name = 'ServerStartError';
}

/** A running server (ours or adopted) and what it serves. */
interface Running {
  handle: ServerHandle;
  connection: JupyterServerConnection;
}

/**
 * The local Jupyter Server: started lazily by `getServer()`, bound to 127.0.0.1 with a random token
 * passed through the environment, and restarted by the next `getServer()` after it died.
 */
export class LocalJupyterServer implements JupyterServerProvider {
  private readonly stateEmitter = new Emitter<ServerState>();
  private readonly dieEmitter = new Emitter<{ reason: string }>();
  readonly onDidChangeState = this.stateEmitter.event;
  readonly onDidDie = this.dieEmitter.event;

  private currentState: ServerState = 'stopped';
  private running: Running | undefined;
  private starting: Promise<Running> | undefined;
  private stopping: Promise<void> | undefined;
  private disposing: Promise<void> | undefined;
  private startDurationMs: number | undefined;
  private adoptTried = false;
  private adopting: Promise<boolean> | undefined;
  private adoptedFlag = false;
  /** Identifies this extension host to adopted servers: only the host holding the lease renews it. */
  private hostIdValue: string | undefined;

  constructor(private readonly options: LocalServerOptions = {}) {}

  /** Made on first use, not at construction: loading Web Crypto would cost activation a few ms (see token.ts). */
  private get hostId(): string {
    return (this.hostIdValue ??= crypto.randomUUID());
  }

  get state(): ServerState {
    return this.currentState;
  }

  /**
   * Milliseconds from spawning the launcher to the first 200 from `/api/status` for the last start, or
   * from reading the saved server to holding its lease for an adoption.
   */
  get lastStartDurationMs(): number | undefined {
    return this.startDurationMs;
  }

  /** True when the current server was adopted from an earlier extension host rather than started by us. */
  get adopted(): boolean {
    return this.running !== undefined && this.adoptedFlag;
  }

  /**
   * Lets go of the server without stopping it: it keeps its kernels for the grace period so that the
   * next extension host can adopt it (window reload), then stops by itself. For `deactivate`.
   */
  release(): void {
    const running = this.running;
    this.running = undefined;
    if (running) {
      running.handle.release();
      this.logger.info(`Released Jupyter Server (pid ${running.handle.pid}) for ${this.graceSeconds} s.`);
    }
    this.setState('stopped');
  }

  async getServer(): Promise<JupyterServerConnection> {
    if (this.disposing) {
      throw new ServerStartError('The local Jupyter Server has been disposed.');
    }
    if (this.stopping) {
      await this.stopping;
    }
    if (this.adopting) {
      await this.adopting;
    }
    if (this.running) {
      return this.running.connection;
    }
    this.starting ??= this.start().finally(() => (this.starting = undefined));
    return (await this.starting).connection;
  }

  /** Stops the server and every kernel on it; resolves when the processes are gone. Safe to call twice. */
  stop(): Promise<void> {
    this.stopping ??= this.doStop().finally(() => (this.stopping = undefined));
    return this.stopping;
  }

  dispose(): void {
    this.disposing ??= this.stop().finally(() => {
      this.stateEmitter.dispose();
      this.dieEmitter.dispose();
    });
    void this.disposing.catch((err) => this.logger.error(err instanceof Error ? err : String(err)));
  }

  private get rootDir(): string {
    return this.options.rootDir ?? os.homedir();
  }

  private get logger(): Logger {
    return this.options.logger ?? nullLogger;
  }

  private async doStop(): Promise<void> {
    if (this.adopting) {
      await this.adopting;
    }
    if (this.starting) {
      await this.starting.catch(() => undefined);
    }
    const running = this.running;
    this.running = undefined;
    if (running) {
      const how = await running.handle.stop(this.options.stopTimeoutMs ?? 10_000);
      this.logger.info(`Jupyter Server (pid ${running.handle.pid}) stopped (${how}).`);
    }
    this.setState('stopped');
  }

  /**
   * Adopts the server the previous extension host left running, if one was saved, but never starts a new
   * one: activation must not start Python, yet the old server only waits out its grace period for us.
   */
  adoptSaved(): Promise<boolean> {
    if (this.disposing || this.running || this.starting || this.adoptTried) {
      return Promise.resolve(this.adopted);
    }
    this.adopting ??= this.tryAdopt()
      .then((running) => {
        if (running) {
          this.accept(running);
        }
        return running !== undefined;
      })
      .finally(() => (this.adopting = undefined));
    return this.adopting;
  }

  private async start(): Promise<Running> {
    this.setState('starting');
    try {
      const running = (await this.tryAdopt()) ?? (await this.startNew());
      this.accept(running);
      return running;
    } catch (err) {
      this.setState('stopped');
      throw err;
    }
  }

  private accept(running: Running): void {
    this.running = running;
    const { baseUrl, token } = running.connection.settings;
    this.options.onDidStartServer?.({ baseUrl, token, pid: running.handle.pid ?? 0 });
    this.watchForDeath(running);
    this.setState('running');
  }

  private async startNew(): Promise<Running> {
    await assertDirectory(this.rootDir);
    const python = await this.resolvePython();
    const running = await this.launchWithRetries(python);
    this.adoptedFlag = false;
    return running;
  }

  /** Claims the server of the previous extension host, once per instance, before the first start. */
  private async tryAdopt(): Promise<Running | undefined> {
    const { adopt, onAdopted } = this.options;
    if (!adopt || this.adoptTried || this.graceSeconds <= 0) {
      return undefined;
    }
    this.adoptTried = true;
    const started = Date.now();
    const adopted = await adoptServer({
      adopt,
      onAdopted,
      hostId: this.hostId,
      graceSeconds: this.graceSeconds,
      logger: this.logger,
    });
    if (adopted) {
      this.startDurationMs = Date.now() - started;
      this.adoptedFlag = true;
      this.logger.info(
        `Adopted the Jupyter Server of the previous window (pid ${adopted.handle.pid}) in ${this.startDurationMs} ms.`,
      );
    }
    return adopted;
  }

  private get graceSeconds(): number {
    const grace = this.options.graceSeconds;
    const value = typeof grace === 'function' ? grace() : (grace ?? 0);
    return Number.isFinite(value) && value > 0 ? value : 0;
  }

  private get persistentHistory(): boolean {
    const value = this.options.persistentHistory;
    return (typeof value === 'function' ? value() : value) === true;
  }

  private async resolvePython(): Promise<string> {
    const python = this.options.python ?? (() => findPython({ env: this.options.env }));
    if (typeof python === 'string') {
      return python;
    }
    const found = await python();
    this.logger.info(
      `Using Python ${found.versions.python} at ${found.path} (${found.source}; jupyter_server ${found.versions.jupyterServer}, ipykernel ${found.versions.ipykernel}).`,
    );
    return found.path;
  }

  private async launchWithRetries(python: string): Promise<Running> {
    const attempts = this.options.maxPortAttempts ?? 3;
    for (let attempt = 1; ; attempt++) {
      const port = await (this.options.choosePort ?? chooseFreePort)();
      try {
        return await this.launch(python, port);
      } catch (err) {
        const clash = err instanceof LaunchFailure && isPortClash(err.stderrTail);
        if (!clash || attempt >= attempts) {
          throw toStartError(err, python);
        }
        this.logger.warn(`Port ${port} was taken before the server could bind it; retrying with another port.`);
      }
    }
  }

  private async launch(python: string, port: number): Promise<Running> {
    const baseUrl = normalizeBasePath(this.options.baseUrl);
    const token = generateToken();
    const started = Date.now();
    const launcher = new LauncherProcess({
      python,
      launcherPath: this.options.launcherPath ?? resolveLauncherPath(),
      port,
      rootDir: this.rootDir,
      baseUrl,
      token,
      graceSeconds: this.graceSeconds,
      persistentHistory: this.persistentHistory,
      env: this.options.env ?? process.env,
      spawn: this.options.spawn ?? defaultSpawn,
      logger: this.logger,
      islandsDir: this.options.islandsDir,
      keepIslands: this.options.keepIslands,
    });
    const httpUrl = `http://127.0.0.1:${port}${baseUrl}`;
    try {
      const gone = launcher.exited.then(describeExit);
      await waitUntilReady({
        baseUrl: httpUrl,
        token,
        timeoutMs: this.options.startTimeoutMs ?? 30_000,
        gone,
        listening: launcher.listening,
      });
    } catch (err) {
      await launcher.stop(this.options.stopTimeoutMs ?? 10_000);
      throw new LaunchFailure(err instanceof Error ? err.message : String(err), launcher.stderrTail());
    }
    this.startDurationMs = Date.now() - started;
    this.logger.info(`Jupyter Server ready on 127.0.0.1:${port} (pid ${launcher.pid}) in ${this.startDurationMs} ms.`);
    const settings = makeServerSettings({
      baseUrl: httpUrl,
      wsUrl: `ws://127.0.0.1:${port}${baseUrl}`,
      token,
    });
    return {
      handle: launchedHandle(launcher),
      connection: { kind: 'local', name: 'local', settings, pid: launcher.pid },
    };
  }

  private watchForDeath(running: Running): void {
    void running.handle.exited.then((how) => {
      // Exits we caused (stop) have already cleared `running`.
      if (this.running !== running) {
        return;
      }
      this.running = undefined;
      const reason = `Jupyter Server (pid ${running.handle.pid}) exited unexpectedly (${how}).`;
      this.logger.error(`${reason}\n${running.handle.stderrTail()}`);
      this.setState('dead');
      this.dieEmitter.fire({ reason });
    });
  }

  private setState(state: ServerState): void {
    if (this.currentState !== state) {
      this.currentState = state;
      this.stateEmitter.fire(state);
    }
  }
}

/** A failed launch, carrying the server's last output so the error can show it. */
class LaunchFailure extends Error {
  constructor(
    message: string,
    readonly stderrTail: string,
  ) {
    super(message);
  }
}

function toStartError(err: unknown, python: string): ServerStartError {
  if (err instanceof LaunchFailure) {
    const tail = err.stderrTail ? `\nLast server output:\n${err.stderrTail}` : '';
    return new ServerStartError(`Could not start Jupyter Server with ${python}: ${err.message}.${tail}`);
  }
  return new ServerStartError(
    `Could not start Jupyter Server with ${python}: ${err instanceof Error ? err.message : String(err)}`,
  );
}

async function assertDirectory(dir: string): Promise<void> {
  const isDir = await fs.stat(dir).then(
    (st) => st.isDirectory(),
    () => false,
  );
  if (!isDir) {
    throw new ServerStartError(`Cannot start Jupyter Server: the folder to serve, ${dir}, does not exist.`);
  }
}

function normalizeBasePath(base: string | undefined): string {
  const trimmed = (base ?? '/').replace(/^\/+|\/+$/g, '');
  return trimmed ? `/${trimmed}/` : '/';
}
