import { jupyterServices } from '../jupyter/jupyterServices';
import { environmentKernelName, type PythonEnvironment } from '../python/pythonEnvironment';
import { LOCAL_SERVER, type ServerProviderLookup } from '../jupyter/types';

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

/** What the picker offers on a server that is not running (a stopped hub server): its first run starts it. */
const NOT_STARTED_CHOICE = {
  name: 'python3',
  displayName: 'Python 3 (the server starts on the first run)',
  language: 'python',
};

/**
 * Lists the kernelspecs of each server (`GET /api/kernelspecs`, which gateways allow even when they refuse kernel
 * listing), all servers at once. One unreachable server does not hide the others.
 */
export function kernelSpecLister(
  serverNames: () => readonly string[],
  lookup: ServerProviderLookup,
  environments: () => readonly PythonEnvironment[] = () => [],
): () => Promise<KernelSpecListing> {
  return async () => {
    const listing: KernelSpecListing = { choices: [], unavailable: [] };
    const perServer = await Promise.all(
      serverNames().map(async (server) => {
        try {
          const provider = lookup(server);
          const connection = provider.peek ? await provider.peek() : await provider.getServer();
          if (!connection) {
            // Listing never starts a server: offer Python there, which starts it on the first run.
            return [{ server, ...NOT_STARTED_CHOICE }];
          }
          const models = await jupyterServices().KernelSpecAPI.getSpecs(connection.settings);
          const specs = Object.values(models.kernelspecs)
            .filter((spec) => spec !== undefined)
            .map((spec) => ({ server, name: spec.name, displayName: spec.display_name, language: spec.language }))
            .sort((a, b) => a.displayName.localeCompare(b.displayName));
          return server === LOCAL_SERVER ? [...environmentChoices(environments()), ...specs] : specs;
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

/**
 * The project environments found in this window, as kernels of the local server (it runs `<python> -m
 * ipykernel_launcher` for them), listed before its kernelspecs: `Python .venv (3.13)`.
 */
function environmentChoices(environments: readonly PythonEnvironment[]): KernelSpecChoice[] {
  const seen = new Set<string>();
  return environments
    .filter((env) => !seen.has(env.python) && seen.add(env.python))
    .map((env) => ({
      server: LOCAL_SERVER,
      name: environmentKernelName(env.python),
      displayName: `Python ${env.label} (${env.root})`,
      language: 'python',
    }));
}
