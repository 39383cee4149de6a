import type { ConfiguredHub } from './settings';

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
