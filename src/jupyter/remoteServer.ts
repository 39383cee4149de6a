import { makeServerSettings } from './jupyterServices';
import { Emitter } from '../common/event';
import { nullLogger, type Logger } from '../common/log';
import { probeServer, type StatusProbe } from './serverStatus';
import type { JupyterServerConnection, JupyterServerProvider, ServerState } from './types';

/** A remote Jupyter Server (or gateway) as the user configured it. */
interface RemoteServerConfig {
  name: string;
  /** Base URL including any base path, e.g. `https://host:8888/jupyter/`. A `?token=` in it is used if `token` is empty. */
  url: string;
  token: string;
  /** Reads the token when first connecting (from secret storage); used when `token` is empty. */
  tokenSource?: () => Promise<string | undefined>;
}

type RemoteServerErrorKind = 'invalid-url' | 'unreachable' | 'wrong-token' | 'not-jupyter';

/** Why a remote server could not be used, with a message a user can act on. */
export class RemoteServerError extends Error {
  override readonly name = 'RemoteServerError';
  constructor(
    message: string,
    readonly kind: RemoteServerErrorKind,
  ) {
    super(message);
  }
}

/**
 * A Jupyter Server we did not start. `getServer()` checks it answers with the token before handing out
 * settings; `stop()` only forgets it (the server and its kernels belong to someone else).
 */
export class RemoteJupyterServer implements JupyterServerProvider {
  private readonly stateEmitter = new Emitter<ServerState>();
  private readonly dieEmitter = new Emitter<{ reason: string }>();
  readonly onDidChangeState = this.stateEmitter.event;
  readonly onDidDie = this.dieEmitter.event;

  private currentState: ServerState = 'stopped';
  private connection: JupyterServerConnection | undefined;
  private connecting: Promise<JupyterServerConnection> | undefined;
  private readonly baseUrl: string;
  private token: string;
  private disposed = false;

  constructor(
    private readonly config: RemoteServerConfig,
    private readonly options: { logger?: Logger; timeoutMs?: number } = {},
  ) {
    const parsed = parseServerUrl(config.url, config.name);
    this.baseUrl = parsed.baseUrl;
    this.token = config.token || parsed.queryToken;
  }

  get state(): ServerState {
    return this.currentState;
  }

  async getServer(): Promise<JupyterServerConnection> {
    if (this.disposed) {
      throw new RemoteServerError(`The remote server "${this.config.name}" has been disposed.`, 'unreachable');
    }
    if (this.connection) {
      return this.connection;
    }
    this.connecting ??= this.connect().finally(() => (this.connecting = undefined));
    return this.connecting;
  }

  /** Re-checks a connected server; fires `onDidDie` if it stopped answering. */
  async check(): Promise<boolean> {
    if (!this.connection) {
      return false;
    }
    const error = await this.validate();
    if (error && this.connection) {
      this.connection = undefined;
      this.setState('dead');
      this.dieEmitter.fire({ reason: error.message });
    }
    return !error;
  }

  async stop(): Promise<void> {
    this.connection = undefined;
    this.setState('stopped');
  }

  dispose(): void {
    if (!this.disposed) {
      this.disposed = true;
      this.connection = undefined;
      this.stateEmitter.dispose();
      this.dieEmitter.dispose();
    }
  }

  private async connect(): Promise<JupyterServerConnection> {
    this.setState('starting');
    if (!this.token && this.config.tokenSource) {
      this.token = (await this.config.tokenSource()) ?? '';
    }
    const error = await this.validate();
    if (error) {
      this.setState('stopped');
      throw error;
    }
    const wsUrl = websocketUrl(this.baseUrl);
    const settings = makeServerSettings({
      baseUrl: this.baseUrl,
      wsUrl,
      token: this.token,
    });
    this.connection = { kind: 'remote', name: this.config.name, settings };
    (this.options.logger ?? nullLogger).info(
      `Connected to remote Jupyter Server "${this.config.name}" at ${this.baseUrl}.`,
    );
    this.setState('running');
    return this.connection;
  }

  /** `/api/status` first; Kernel Gateway has no such route, so a 404 falls back to `/api/kernelspecs`. */
  private async validate(): Promise<RemoteServerError | undefined> {
    const timeoutMs = this.options.timeoutMs ?? 10_000;
    let probe = await probeServer(this.baseUrl, this.token, timeoutMs);
    if ('status' in probe && probe.status === 404) {
      probe = await probeServer(this.baseUrl, this.token, timeoutMs, 'api/kernelspecs');
    }
    return describeProbe(probe, this.config.name, this.baseUrl);
  }

  private setState(state: ServerState): void {
    if (this.currentState !== state && !this.disposed) {
      this.currentState = state;
      this.stateEmitter.fire(state);
    }
  }
}

function describeProbe(probe: StatusProbe, name: string, baseUrl: string): RemoteServerError | undefined {
  const where = `"${name}" (${baseUrl})`;
  if ('unreachable' in probe) {
    return new RemoteServerError(
      `Cannot reach the Jupyter Server ${where}: ${probe.unreachable}. Check the URL, that the server is running, and your network or tunnel.`,
      'unreachable',
    );
  }
  if (probe.status === 200) {
    return undefined;
  }
  if (probe.status === 401 || probe.status === 403) {
    return new RemoteServerError(
      `The Jupyter Server ${where} refused the token (HTTP ${probe.status}). Copy the token from the server's log or \`jupyter server list\` and update it.`,
      'wrong-token',
    );
  }
  return new RemoteServerError(
    `${where} answered HTTP ${probe.status}: it does not look like a Jupyter Server at that URL. Check the base path (for example /jupyter/).`,
    'not-jupyter',
  );
}

/** Normalizes the URL to `scheme://host[:port]/base/` and pulls a pasted `?token=` out of it. */
export function parseServerUrl(url: string, name: string): { baseUrl: string; queryToken: string } {
  let parsed: URL;
  try {
    parsed = new URL(url.trim());
  } catch {
    // URL's own message repeats the input, which may hold a token; ours does not.
    throw new RemoteServerError(`The URL of the remote server "${name}" is not a valid URL.`, 'invalid-url');
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
    throw new RemoteServerError(
      `The URL of the remote server "${name}" must start with http:// or https://.`,
      'invalid-url',
    );
  }
  const queryToken = parsed.searchParams.get('token') ?? '';
  // A URL copied from the browser often ends in /lab or /tree; the API lives at the base path.
  const basePath = parsed.pathname.replace(/\/(lab|tree)(\/.*)?$/, '/').replace(/\/*$/, '/');
  return { baseUrl: `${parsed.protocol}//${parsed.host}${basePath}`, queryToken };
}

/**
 * True for a plain-http URL to a host other than this machine: the token and all code and outputs would cross the
 * network unencrypted. Loopback (a tunnel's local end) is fine.
 */
export function isPlainHttpToRemoteHost(url: string): boolean {
  let parsed: URL;
  try {
    parsed = new URL(url.trim());
  } catch {
    // Not a URL at all: parseServerUrl reports that; nothing to warn about here.
    return false;
  }
  if (parsed.protocol !== 'http:') {
    return false;
  }
  const host = parsed.hostname.replace(/^\[|\]$/g, '');
  return !(host === 'localhost' || host === '::1' || /^127\./.test(host) || host.endsWith('.localhost'));
}

/** The websocket URL of a server follows its http URL: `http` → `ws`, `https` → `wss`, same host and base path. */
export function websocketUrl(baseUrl: string): string {
  return baseUrl.replace(/^http(s?):/i, 'ws$1:');
}
