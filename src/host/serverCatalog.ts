import * as vscode from 'vscode';
import type { Logger } from '../common/log';
import { isPlainHttpToRemoteHost, parseServerUrl, RemoteJupyterServer } from '../jupyter/remoteServer';
import { LOCAL_SERVER, type JupyterServerProvider } from '../jupyter/types';
import type { ConfiguredServer } from './settings';

/** Where a server's token is kept in secret storage. */
export function tokenKey(serverName: string): string {
  return `kernelIslands.server.${serverName}.token`;
}

/** What the catalog reads: the configured servers and the default server's name. */
export interface ServerSettings {
  servers(): readonly ConfiguredServer[];
  defaultServer(): string;
}

/**
 * Every server contexts can run on: the local one and the configured remote ones, by name. Remote providers are
 * made on first use with their token from secret storage, and made again when their URL changes. Plain http to
 * another machine is warned about once per server.
 */
export class ServerCatalog implements vscode.Disposable {
  private readonly remotes = new Map<string, { url: string; provider: RemoteJupyterServer }>();
  private readonly warned = new Set<string>();

  constructor(
    private readonly local: JupyterServerProvider,
    private readonly settings: ServerSettings,
    private readonly secrets: vscode.SecretStorage,
    private readonly log: Logger,
  ) {}

  /** Server names in picker order: local first, then the configured ones. */
  names(): string[] {
    return [LOCAL_SERVER, ...this.settings.servers().map((s) => s.name)];
  }

  /** The default server's name, falling back to local (with a warning) when it names no configured server. */
  defaultServer(): string {
    const name = this.settings.defaultServer();
    if (this.names().includes(name)) {
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

  /** Forgets a server's provider, so the next use reads its URL and token again. */
  forget(name: string): void {
    this.remotes.get(name)?.provider.dispose();
    this.remotes.delete(name);
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
  }
}
