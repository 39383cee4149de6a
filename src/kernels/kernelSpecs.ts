import { jupyterServices } from '../jupyter/jupyterServices';
import type { ServerProviderLookup } from '../jupyter/types';

/** A kernelspec as the kernel picker shows it, with the server it lives on. */
export interface KernelSpecChoice {
  /** The server's name: `local` or a configured remote server. */
  server: string;
  name: string;
  displayName: string;
  language: string;
}

/** The kernelspecs of every server; servers that could not be asked are listed apart with the reason. */
export interface KernelSpecListing {
  choices: KernelSpecChoice[];
  unavailable: Array<{ server: string; reason: string }>;
}

/** The kernelspecs of one server of a listing; throws the reason when that server could not be asked. */
export function kernelSpecsOf(listing: KernelSpecListing, server: string): KernelSpecChoice[] {
  const down = listing.unavailable.find((u) => u.server === server);
  if (down) {
    throw new Error(`the Jupyter server "${server}" did not list its kernelspecs: ${down.reason}`);
  }
  return listing.choices.filter((spec) => spec.server === server);
}

/**
 * Lists the kernelspecs of each server (`GET /api/kernelspecs`, which gateways allow even when they refuse kernel
 * listing), all servers at once. One unreachable server does not hide the others.
 */
export function kernelSpecLister(
  serverNames: () => readonly string[],
  lookup: ServerProviderLookup,
): () => Promise<KernelSpecListing> {
  return async () => {
    const listing: KernelSpecListing = { choices: [], unavailable: [] };
    const perServer = await Promise.all(
      serverNames().map(async (server) => {
        try {
          const connection = await lookup(server).getServer();
          const models = await jupyterServices().KernelSpecAPI.getSpecs(connection.settings);
          return Object.values(models.kernelspecs)
            .filter((spec) => spec !== undefined)
            .map((spec) => ({ server, name: spec.name, displayName: spec.display_name, language: spec.language }))
            .sort((a, b) => a.displayName.localeCompare(b.displayName));
        } catch (err) {
          listing.unavailable.push({ server, reason: err instanceof Error ? err.message : String(err) });
          return [];
        }
      }),
    );
    listing.choices = perServer.flat();
    return listing;
  };
}
