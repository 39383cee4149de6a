import * as vscode from 'vscode';
import { Emitter } from '../common/event';
import type { Logger } from '../common/log';
import { HubJupyterServer, type HubServerHooks } from '../jupyter/hubServer';
import { isPlainHttpToRemoteHost, parseServerUrl, RemoteJupyterServer } from '../jupyter/remoteServer';
import { LOCAL_SERVER, type JupyterServerProvider } from '../jupyter/types';
import { hubServerNames, resolveHubServer } from './hubNames';
import { readHubCredentials } from './hubServers';
import type { ConfiguredHub, ConfiguredServer } from './settings';

/** Where a server's token is kept in secret storage. */
export function tokenKey(serverName: string): string {
  return `kernelIslands.server.${serverName}.token`;
}

/** What the catalog reads: the configured servers and the default server's name. */
interface ServerSettings {
  servers(): readonly ConfiguredServer[];
  hubs(): readonly ConfiguredHub[];
  defaultServer(): string;
}

/**
 * Every server contexts can run on: the local one, the configured remote ones and the JupyterHub servers, by
 * name. Remote providers are made on first use with their token from secret storage, and made again when their URL
 * changes. Plain http to another machine is warned about once per server.
 */
export class ServerCatalog implements vscode.Disposable {
  private readonly remotes = new Map<string, { url: string; provider: RemoteJupyterServer }>();
  private readonly hubServers = new Map<string, { key: string; provider: HubJupyterServer; sub: vscode.Disposable }>();
  private readonly warned = new Set<string>();
  private readonly statusEmitter = new Emitter<string>();
  /** Fires with a server's name when its state changed (a hub server started, or the hub stopped it). */
  readonly onDidChangeServerStatus = this.statusEmitter.event;

  constructor(
    private readonly local: JupyterServerProvider,
    private readonly settings: ServerSettings,
    private readonly secrets: vscode.SecretStorage,
    private readonly log: Logger,
    private readonly hooksFor?: (hub: ConfiguredHub) => HubServerHooks,
  ) {}

  /** Server names in picker order: local first, then the configured ones, then each hub's servers. */
  names(): string[] {
    return [
      LOCAL_SERVER,
      ...this.settings.servers().map((s) => s.name),
      ...this.settings.hubs().flatMap(hubServerNames),
    ];
  }

  /** The default server's name, falling back to local (with a warning) when it names no configured server. */
  defaultServer(): string {
    const name = this.settings.defaultServer();
    if (this.names().includes(name) || resolveHubServer(this.settings.hubs(), name)) {
      return name;
    }
    this.warnOnce(
      `default:${name}`,
      `Kernel Islands: the default server "${name}" is not in kernelIslands.servers; using the local server.`,
    );
    return LOCAL_SERVER;
  }

  /** The provider for a server name; `undefined` is the local server (warm kernels live there). */
  lookup = (name: string | undefined): JupyterServerProvider => {
    if (name === undefined || name === LOCAL_SERVER) {
      return this.local;
    }
    const config = this.settings.servers().find((s) => s.name === name);
    const hub = config ? undefined : this.hubProvider(name);
    if (hub) {
      return hub;
    }
    if (!config) {
      throw new Error(
        `No Jupyter server named "${name}". Add it with "Kernel Islands: Add Jupyter Server…" or choose another server with "Kernel Islands: Select Kernel…".`,
      );
    }
    const known = this.remotes.get(name);
    if (known && known.url === config.url) {
      return known.provider;
    }
    known?.provider.dispose();
    if (isPlainHttpToRemoteHost(config.url)) {
      this.warnOnce(
        `http:${name}`,
        `Kernel Islands: the server "${name}" is reached over plain http (${parseServerUrl(config.url, name).baseUrl}): its token, your code and outputs cross the network unencrypted. Prefer https or an SSH tunnel.`,
      );
    }
    const provider = new RemoteJupyterServer(
      { name, url: config.url, token: '', tokenSource: () => Promise.resolve(this.secrets.get(tokenKey(name))) },
      { logger: this.log },
    );
    this.remotes.set(name, { url: config.url, provider });
    return provider;
  };

  /** A hub server's provider, made once per hub URL and user; undefined when the name is no hub server. */
  private hubProvider(name: string): HubJupyterServer | undefined {
    const resolved = resolveHubServer(this.settings.hubs(), name);
    if (!resolved) {
      return undefined;
    }
    const { hub, serverName, canonical } = resolved;
    const key = `${hub.url}\n${hub.user}`;
    const known = this.hubServers.get(canonical);
    if (known && known.key === key) {
      return known.provider;
    }
    this.disposeHubServer(canonical);
    if (isPlainHttpToRemoteHost(hub.url)) {
      this.warnOnce(
        `http:${hub.name}`,
        `Kernel Islands: the JupyterHub "${hub.name}" is reached over plain http (${hub.url}): its token, your code and outputs cross the network unencrypted. Prefer https.`,
      );
    }
    const provider = new HubJupyterServer(
      {
        name: canonical,
        hubUrl: hub.url,
        user: hub.user,
        serverName,
        credentials: () => readHubCredentials(this.secrets, hub.name),
      },
      { logger: this.log, hooks: this.hooksFor?.(hub) },
    );
    const sub = provider.onDidChangeState(() => this.statusEmitter.fire(canonical));
    this.hubServers.set(canonical, { key, provider, sub });
    return provider;
  }

  /** Why a server is not running when its hub stopped it (the culler, an admin); undefined otherwise. */
  stoppedReason(name: string): string | undefined {
    const resolved = resolveHubServer(this.settings.hubs(), name);
    return resolved ? this.hubServers.get(resolved.canonical)?.provider.stoppedReason : undefined;
  }

  /**
   * True while a hub server starts: its start shows its own notification (the hub's progress) or asks first (Start
   * Again), so a kernel's start notification on it waits.
   */
  showsOwnStart(name: string): boolean {
    const resolved = resolveHubServer(this.settings.hubs(), name);
    return resolved ? this.hubServers.get(resolved.canonical)?.provider.state === 'starting' : false;
  }

  /** Forgets a server's provider (for a hub: all its servers), so the next use reads its URL and token again. */
  forget(name: string): void {
    this.remotes.get(name)?.provider.dispose();
    this.remotes.delete(name);
    for (const canonical of [...this.hubServers.keys()]) {
      if (canonical === name || canonical.startsWith(`${name}/`)) {
        this.disposeHubServer(canonical);
      }
    }
  }

  private disposeHubServer(canonical: string): void {
    const known = this.hubServers.get(canonical);
    known?.sub.dispose();
    known?.provider.dispose();
    this.hubServers.delete(canonical);
  }

  /** Remote servers keep their kernels when this window goes: they belong to the user's server. */
  isRemote(name: string): boolean {
    return name !== LOCAL_SERVER;
  }

  warnOnce(key: string, message: string): void {
    if (!this.warned.has(key)) {
      this.warned.add(key);
      this.log.warn(message);
      void vscode.window.showWarningMessage(message);
    }
  }

  dispose(): void {
    for (const { provider } of this.remotes.values()) {
      provider.dispose();
    }
    this.remotes.clear();
    for (const canonical of [...this.hubServers.keys()]) {
      this.disposeHubServer(canonical);
    }
    this.statusEmitter.dispose();
  }
}
