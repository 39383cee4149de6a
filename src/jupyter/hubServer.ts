import { Emitter } from '../common/event';
import { nullLogger, type Logger } from '../common/log';
import { HubError, startServer, userServers, type HubServerModel } from './hubApi';
import { followSpawn, progressLine, type HubProgressEvent } from './hubProgress';
import { RemoteJupyterServer, RemoteServerError } from './remoteServer';
import type { JupyterServerConnection, JupyterServerProvider, ServerDeath, ServerState } from './types';

/** A stored hub token: the secret and, when the hub said, its expiry (ISO time). */
export interface HubCredentials {
  token: string;
  expiresAt?: string;
}

/** One server of a JupyterHub user: the default one (`serverName` empty) or a named one. */
interface HubServerConfig {
  /** The name contexts use: the hub's name, or `<hub>/<server>` for a named server. */
  name: string;
  /** The hub's public base URL (`parseHubUrl`). */
  hubUrl: string;
  user: string;
  serverName: string;
  /** Reads the token when needed (from secret storage). */
  credentials: () => Promise<HubCredentials | undefined>;
  /** What the user does to get a token the hub accepts, ending a refusal's message; "Sign in again." by default. */
  renewal?: string;
}

/** What the host shows for a hub server; the engine stays free of `vscode`. */
export interface HubServerHooks {
  /** Runs a start, showing its progress; `start` hands each of the hub's progress events to `report`. */
  showStart(title: string, start: (report: (e: HubProgressEvent) => void) => Promise<void>): Promise<void>;
  /** Asked before starting again a server the hub stopped while we used it; false leaves it stopped. */
  confirmRestart(message: string): Promise<boolean>;
  /** The hub refused the token (expired, revoked): offer to sign in again, saying why. */
  refused(message: string): void;
}

/** Hooks for plain Node (tests, scripts): starts without asking, shows nothing. */
const silentHubHooks: HubServerHooks = {
  showStart: (_title, start) => start(() => undefined),
  confirmRestart: () => Promise.resolve(true),
  refused: () => undefined,
};

/**
 * Hooks for a host with no one to ask (the MCP server): each line (the start, the hub's progress, a restart, a
 * refusal) goes to `write`, and a server the hub stopped is started again on the next use.
 */
export function reportingHubHooks(write: (line: string) => void): HubServerHooks {
  let lastRefusal: string | undefined;
  return {
    showStart: (title, start) => {
      write(`${title}…`);
      return start((e) => write(`JupyterHub ${progressLine(e)}`));
    },
    confirmRestart: (message) => {
      write(`${message.replace(/ Start it again\?$/, '')} Starting it again for the next call.`);
      return Promise.resolve(true);
    },
    // Once per refusal, as the extension's offer: every call refused after it says so in its own answer.
    refused: (message) => {
      if (message !== lastRefusal) {
        lastRefusal = message;
        write(message);
      }
    },
  };
}

interface HubServerOptions {
  logger?: Logger;
  hooks?: HubServerHooks;
  /** Our own limit on a start, past the hub's own timeouts (a Kubernetes image pull can be slow). */
  startTimeoutMs?: number;
  /** How often a running server's status is asked of the hub, to notice the culler or an admin stopping it. */
  watchIntervalMs?: number;
  now?: () => number;
}

/**
 * A JupyterHub user's server as a Jupyter Server provider. `getServer()` starts it through the hub when it is not
 * running (progress from the hub's stream), then connects as to any remote server (the user server's URL and the
 * hub token), so each context still gets its own kernel there. While connected it asks the hub now and then
 * whether the server still runs: when the hub stopped it, `onDidDie` fires and `stoppedReason` says so, and the
 * next `getServer()` asks before starting it again. `stop()` only forgets the server: it belongs to the hub.
 */
export class HubJupyterServer implements JupyterServerProvider {
  private readonly stateEmitter = new Emitter<ServerState>();
  private readonly dieEmitter = new Emitter<ServerDeath>();
  readonly onDidChangeState = this.stateEmitter.event;
  readonly onDidDie = this.dieEmitter.event;

  private currentState: ServerState = 'stopped';
  private inner: RemoteJupyterServer | undefined;
  private connection: JupyterServerConnection | undefined;
  private connecting: Promise<JupyterServerConnection> | undefined;
  private watchTimer: ReturnType<typeof setInterval> | undefined;
  private stopped: string | undefined;
  private disposed = false;
  private readonly hooks: HubServerHooks;
  private readonly logger: Logger;

  constructor(
    readonly config: HubServerConfig,
    private readonly options: HubServerOptions = {},
  ) {
    this.hooks = options.hooks ?? silentHubHooks;
    this.logger = options.logger ?? nullLogger;
  }

  get state(): ServerState {
    return this.currentState;
  }

  /** Why the server is not running when the hub stopped it while we used it; undefined otherwise. */
  get stoppedReason(): string | undefined {
    return this.stopped;
  }

  async getServer(): Promise<JupyterServerConnection> {
    if (this.disposed) {
      throw new HubError(`The hub server "${this.config.name}" has been disposed.`, 'unreachable');
    }
    if (this.connection) {
      return this.connection;
    }
    this.connecting ??= this.connect().finally(() => (this.connecting = undefined));
    return this.connecting;
  }

  /** The server when the hub says it runs (connecting to it), without starting it; undefined when it is stopped. */
  async peek(): Promise<JupyterServerConnection | undefined> {
    if (this.connection || this.connecting) {
      return this.getServer();
    }
    let model: HubServerModel | undefined;
    try {
      const credentials = await this.readCredentials();
      model = (await userServers(this.config.hubUrl, this.config.user, credentials.token)).get(this.config.serverName);
    } catch (err) {
      // A refused token is the token's problem here too (a kernel picker's list, the MCP server's start-up check).
      throw await this.explain(err);
    }
    return model?.ready ? this.getServer() : undefined;
  }

  /**
   * Asks the hub whether the server still runs. When it does not, or when the hub refused the token (expired,
   * revoked: the kernels cannot be reached either way), fires `onDidDie` with the reason. Network trouble is not a
   * stop: the kernels' own reconnecting handles it. Resolves true while the server runs.
   */
  async check(): Promise<boolean> {
    if (!this.connection) {
      return false;
    }
    let model: HubServerModel | undefined;
    try {
      const credentials = await this.readCredentials();
      model = (await userServers(this.config.hubUrl, this.config.user, credentials.token)).get(this.config.serverName);
    } catch (err) {
      if (!(err instanceof HubError && err.kind === 'refused')) {
        this.logger.warn(`JupyterHub server "${this.config.name}": status check failed: ${String(err)}`);
        return true;
      }
      // A refused token says nothing about the server, and nothing more can be done with it: not even reach the
      // kernels. Keeping the connection would send the next start to a server that may be stopped (the hub then
      // answers 405), so it goes, and the next start asks the hub, which refuses again in the token's words.
      const message = await this.refusedMessage(err);
      this.hooks.refused(message);
      this.lose(
        message,
        `${message} The kernel on "${this.config.name}" cannot be reached with it: its state is lost.`,
      );
      return false;
    }
    if (model?.ready || !this.connection) {
      return model?.ready ?? false;
    }
    const reason = `JupyterHub stopped the server "${this.config.name}" (its idle culler or an admin)`;
    this.stopped = reason;
    this.lose(reason, `${reason}: the kernel and its state are lost.`);
    return false;
  }

  /** The connection is gone for `reason`: its kernels' contexts are told `lostMessage`. */
  private lose(reason: string, lostMessage: string): void {
    if (!this.connection) {
      return;
    }
    this.forgetConnection();
    this.logger.warn(reason.endsWith('.') ? reason : `${reason}.`);
    this.setState('dead');
    this.dieEmitter.fire({ reason, lostMessage });
  }

  async stop(): Promise<void> {
    this.forgetConnection();
    this.setState('stopped');
  }

  dispose(): void {
    if (!this.disposed) {
      this.disposed = true;
      this.forgetConnection();
      this.stateEmitter.dispose();
      this.dieEmitter.dispose();
    }
  }

  private async connect(): Promise<JupyterServerConnection> {
    const wasDead = this.currentState === 'dead';
    this.setState('starting');
    try {
      const credentials = await this.readCredentials();
      const model = await this.ensureRunning(credentials);
      this.stopped = undefined;
      const url = new URL(model.url, this.config.hubUrl).toString();
      const inner = new RemoteJupyterServer(
        { name: this.config.name, url, token: credentials.token },
        { logger: this.logger },
      );
      this.inner = inner;
      const connection = await inner.getServer();
      this.connection = connection;
      this.watch();
      this.setState('running');
      return connection;
    } catch (err) {
      this.forgetConnection();
      this.setState(wasDead || this.stopped ? 'dead' : 'stopped');
      throw await this.explain(err);
    }
  }

  /** Starts the server unless it runs; after a stop by the hub, only if the user agrees. */
  private async ensureRunning(credentials: HubCredentials): Promise<HubServerModel> {
    const { hubUrl, user, serverName, name } = this.config;
    const model = (await userServers(hubUrl, user, credentials.token)).get(serverName);
    if (model?.ready) {
      return model;
    }
    if (this.stopped && !(await this.hooks.confirmRestart(`${this.stopped}. Start it again?`))) {
      throw new HubError(`${this.stopped}; it was not started again.`, 'stopped');
    }
    const started = Date.now();
    await this.hooks.showStart(`Starting ${name} on JupyterHub`, async (report) => {
      const answer =
        model?.pending === 'spawn' ? 'pending' : await startServer(hubUrl, user, serverName, credentials.token);
      if (answer === 'pending') {
        await followSpawn(hubUrl, user, serverName, credentials.token, {
          onEvent: report,
          timeoutMs: this.options.startTimeoutMs ?? 600_000,
        });
      }
    });
    const after = (await userServers(hubUrl, user, credentials.token)).get(serverName);
    if (!after?.ready) {
      throw new HubError(`JupyterHub reports the server "${name}" as not ready after its start.`, 'spawn-failed');
    }
    this.logger.info(`JupyterHub started "${name}" in ${Date.now() - started} ms.`);
    return after;
  }

  private async readCredentials(): Promise<HubCredentials> {
    const credentials = await this.config.credentials();
    if (!credentials?.token) {
      throw new HubError(
        `Not signed in to the JupyterHub of "${this.config.name}". Sign in with "Kernel Islands: Add JupyterHub…".`,
        'signed-out',
      );
    }
    return credentials;
  }

  /** A refused token says why (expired at…, or revoked) and triggers the sign-in offer. */
  private async explain(err: unknown): Promise<unknown> {
    const refused =
      (err instanceof HubError && err.kind === 'refused') ||
      (err instanceof RemoteServerError && err.kind === 'wrong-token');
    if (!refused) {
      return err;
    }
    const message = await this.refusedMessage(err as Error);
    this.hooks.refused(message);
    return new HubError(message, 'refused');
  }

  private async refusedMessage(err: Error): Promise<string> {
    const credentials = await this.config.credentials().catch(() => undefined);
    const expiresAt = credentials?.expiresAt ? Date.parse(credentials.expiresAt) : NaN;
    const now = (this.options.now ?? Date.now)();
    const who = `"${this.config.user}" on ${this.config.hubUrl}`;
    const renewal = this.config.renewal ?? 'Sign in again.';
    if (!Number.isNaN(expiresAt) && expiresAt <= now) {
      return `Your JupyterHub token for ${who} expired at ${new Date(expiresAt).toISOString()}. ${renewal}`;
    }
    return `JupyterHub no longer accepts the token for ${who}: it was revoked or lost its rights (${err.message}). ${renewal}`;
  }

  private watch(): void {
    if (this.watchTimer) {
      return;
    }
    this.watchTimer = setInterval(() => void this.check(), this.options.watchIntervalMs ?? 10_000);
    this.watchTimer.unref?.();
  }

  private forgetConnection(): void {
    if (this.watchTimer) {
      clearInterval(this.watchTimer);
      this.watchTimer = undefined;
    }
    this.connection = undefined;
    this.inner?.dispose();
    this.inner = undefined;
  }

  private setState(state: ServerState): void {
    if (this.currentState !== state && !this.disposed) {
      this.currentState = state;
      this.stateEmitter.fire(state);
    }
  }
}
