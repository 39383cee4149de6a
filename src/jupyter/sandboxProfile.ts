// Sandboxed kernels on the local server: their kernel names (which the launcher resolves, see kernel_sandbox.py),
// the profile a sandbox is built from, and its registration with a running server.
import * as path from 'node:path';
import type { ServerConnection } from '@jupyterlab/services';
import { jupyterServices } from './jupyterServices';
import { nodeCrypto } from '../common/lazyNodeModules';
import { apiUrl } from './jupyterRequest';

/** What an agent's sandbox lets its kernel see and use. Fixed for the kernels started with it. */
export interface SandboxProfile {
  /** Folders the kernel may read (the project), each at its own path. Everything else of the host is hidden. */
  readOnly: string[];
  /** Network access (loopback included); off, the kernel has no network at all. */
  network: boolean;
  /** Address-space limit of the kernel's processes in MB; 0 for none. */
  memoryMb: number;
  /** Variables the user named for agents (`--env NAME`, `kernelIslands.agents.env`), with their values. */
  env: Record<string, string>;
}

/**
 * Variables never passed into an agent's kernel, even when named (`--env`, `kernelIslands.agents.env`): ours, and
 * anything called a token. With a Jupyter or MCP token an agent with network access could start kernels outside
 * its sandbox, and the list of names may come from a file the agent (or a repository's author) wrote.
 */
export function isWithheldEnvName(name: string): boolean {
  return /^KERNEL_ISLANDS_|TOKEN/i.test(name);
}

const SANDBOX_NAME = /^ki-sbx-([0-9a-f]{12})-(.+)$/;

/** A profile's id: the same profile always gets the same id, so a restarted server is given it again unchanged. */
export function sandboxProfileId(profile: SandboxProfile): string {
  const canonical = JSON.stringify({
    read_only: [...profile.readOnly].map((p) => path.normalize(p)).sort(),
    network: profile.network,
    memory_mb: profile.memoryMb,
    env: Object.fromEntries(Object.entries(profile.env).sort(([a], [b]) => a.localeCompare(b))),
  });
  return nodeCrypto().createHash('sha256').update(canonical).digest('hex').slice(0, 12);
}

/** The kernel name that runs `baseKernelName`'s kernel in the sandbox of profile `profileId`. */
export function sandboxedKernelName(baseKernelName: string, profileId: string): string {
  return `ki-sbx-${profileId}-${baseKernelName}`;
}

/** The profile and base kernel of a sandboxed kernel's name; undefined for every other name. */
export function sandboxOfKernelName(
  kernelName: string | undefined,
): { profileId: string; baseKernelName: string } | undefined {
  const match = SANDBOX_NAME.exec(kernelName ?? '');
  return match ? { profileId: match[1], baseKernelName: match[2] } : undefined;
}

/** The kernelspec a (possibly sandboxed) kernel name runs. */
export function baseKernelName(kernelName: string): string {
  return sandboxOfKernelName(kernelName)?.baseKernelName ?? kernelName;
}

/** No sandbox can be made on this machine (or server); the message says why and how to run without one. */
export class SandboxUnavailableError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SandboxUnavailableError';
  }
}

/**
 * Registers `profile` with the local server and returns the folder its kernels' islands live in (`PUT ki/sandboxes/<id>`). The launcher answers 409 with the reason
 * where no sandbox works (not Linux, no bubblewrap, user namespaces disabled): that becomes a
 * {@link SandboxUnavailableError} naming `offSwitch`, the setting or flag that runs agents unsandboxed.
 */
export async function registerSandboxProfile(
  settings: ServerConnection.ISettings,
  profile: SandboxProfile,
  offSwitch: string,
): Promise<{ islandsDir: string }> {
  const { ServerConnection: Connection } = jupyterServices();
  const id = sandboxProfileId(profile);
  const body = JSON.stringify({
    read_only: profile.readOnly,
    network: profile.network,
    memory_mb: profile.memoryMb,
    env: profile.env,
  });
  const url = apiUrl(settings.baseUrl, `ki/sandboxes/${id}`);
  const response = await Connection.makeRequest(url, { method: 'PUT', body }, settings);
  if (response.ok) {
    const answer = (await response.json()) as { islands?: unknown };
    return { islandsDir: typeof answer.islands === 'string' ? answer.islands : '' };
  }
  const reason = await response
    .json()
    .then((j: { reason?: unknown }) => (typeof j.reason === 'string' ? j.reason : undefined))
    .catch(() => undefined);
  if (response.status === 409) {
    throw new SandboxUnavailableError(
      `Agent contexts run in a sandbox, and none can be made here: ${reason ?? 'unknown reason'}. ` +
        `Nothing was started. To run agents' code without a sandbox (it can then read your files, other ` +
        `kernels and local services), set ${offSwitch}.`,
    );
  }
  if (response.status === 404) {
    throw new SandboxUnavailableError(
      `This Jupyter Server cannot start sandboxed kernels (it has no ki/sandboxes route): agent contexts ` +
        `need Kernel Islands' own local server. To run them unsandboxed, set ${offSwitch}.`,
    );
  }
  throw new Error(`The Jupyter Server refused the sandbox profile (HTTP ${response.status}): ${reason ?? ''}`);
}
