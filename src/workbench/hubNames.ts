import { LOCAL_SERVER } from '../jupyter/types';
import type { ConfiguredHub, ConfiguredServer } from './settings';

/** What is configured already, which a new server's or hub's name must not repeat. */
interface ConfiguredNames {
  servers: readonly ConfiguredServer[];
  hubs: readonly ConfiguredHub[];
}

/**
 * The one rule for the name of a new remote server or JupyterHub ("Add Jupyter Server…" and "Add JupyterHub…"
 * both ask it): not empty, no ":" (kept for `hub:` aliases and `server:kernel`) and no "/" (kept for a hub's
 * `<hub>/<server>`), not `local`, and unique across the local server, the remote servers and the hubs (so across
 * every server name a hub gives too). Undefined when the name may be used; else what is wrong, for the user.
 */
export function serverNameProblem(name: string, configured: ConfiguredNames): string | undefined {
  const trimmed = name.trim();
  if (!trimmed || /[:/]/.test(trimmed)) {
    return 'A name is needed, without ":" or "/"';
  }
  if (trimmed === LOCAL_SERVER) {
    return '"local" is the server Kernel Islands starts itself';
  }
  if (configured.servers.some((s) => s.name === trimmed)) {
    return `The remote Jupyter server "${trimmed}" has that name; remove it first or choose another name`;
  }
  // No "/": a hub's named servers (`<hub>/<server>`) cannot be met, its own name can.
  if (configured.hubs.some((h) => h.name === trimmed)) {
    return `The JupyterHub "${trimmed}" has that name; remove it first or choose another name`;
  }
  return undefined;
}

/** The server names a hub gives: its own name for the user's default server, `<hub>/<server>` for named ones. */
export function hubServerNames(hub: ConfiguredHub): string[] {
  return [hub.name, ...(hub.servers ?? []).map((s) => `${hub.name}/${s}`)];
}

/** A server name resolved to its hub: the entry, the hub's server name (`''` = default) and the canonical name. */
interface ResolvedHubServer {
  hub: ConfiguredHub;
  serverName: string;
  canonical: string;
}

/**
 * Finds the hub server a name means: `<hub>` or `<hub>/<server>` (the names the user gave), or
 * `hub:<user>` / `hub:<user>/<server>` (as the API and agents may name it). A named server that is not in the
 * hub's list yet is still found: the hub creates it on its first start.
 */
export function resolveHubServer(hubs: readonly ConfiguredHub[], name: string): ResolvedHubServer | undefined {
  const alias = /^hub:([^/]+)(?:\/(.+))?$/.exec(name);
  const [hub, serverName] = alias
    ? [hubs.find((h) => h.user === alias[1]), alias[2] ?? '']
    : (() => {
        const slash = name.indexOf('/');
        const hubName = slash < 0 ? name : name.slice(0, slash);
        return [hubs.find((h) => h.name === hubName), slash < 0 ? '' : name.slice(slash + 1)] as const;
      })();
  if (!hub || serverName.includes('/')) {
    return undefined;
  }
  return { hub, serverName, canonical: serverName ? `${hub.name}/${serverName}` : hub.name };
}
