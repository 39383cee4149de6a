import type { ServerConnection } from '@jupyterlab/services';
import type { Disposable } from '../common/disposable';
import type { Event } from '../common/event';

/** The name of the Jupyter Server the extension starts itself; every other name is a configured remote server. */
export const LOCAL_SERVER = 'local';

/** Lifecycle of a server as seen by the extension. */
export type ServerState = 'stopped' | 'starting' | 'running' | 'dead';

/** A Jupyter Server that kernels can be started on: the local one we launch, or a remote one (URL + token). */
export interface JupyterServerConnection {
  readonly kind: 'local' | 'remote';
  /** Display name: "local" or the configured server name. */
  readonly name: string;
  /** Settings for @jupyterlab/services (base URL, token, ws URL). Never log these: they hold the token. */
  readonly settings: ServerConnection.ISettings;
  /** Process id of the local server (launcher), for diagnostics and tests. */
  readonly pid?: number;
}

/** Why a server went away; `lostMessage` is what its kernels' contexts are told instead of the generic words. */
export interface ServerDeath {
  reason: string;
  lostMessage?: string;
}

/**
 * Hands out a running server, starting it lazily on first use and again after it died.
 * Concurrent calls during a start share one start.
 */
export interface JupyterServerProvider extends Disposable {
  readonly state: ServerState;
  readonly onDidChangeState: Event<ServerState>;
  /** Fires when a running server went away unexpectedly (process exit, connection refused). */
  readonly onDidDie: Event<ServerDeath>;
  getServer(): Promise<JupyterServerConnection>;
  /**
   * The server if it runs, without starting it (a hub server may take minutes and a cluster node to start);
   * undefined when it is not running. Providers without it start on `getServer()` as usual.
   */
  peek?(): Promise<JupyterServerConnection | undefined>;
  /**
   * Asks now whether the running server still runs (a kernel saw a sign that it may not), firing `onDidDie` when
   * it stopped; resolves true while it runs. Providers without it notice on their own.
   */
  check?(): Promise<boolean>;
  /** Stops the server and every kernel on it. Resolves when the processes are gone. */
  stop(): Promise<void>;
}

/**
 * Finds the provider of a server by name (`undefined` means the default server). Throws an error a user can act
 * on when no server has that name.
 */
export type ServerProviderLookup = (name: string | undefined) => JupyterServerProvider;
