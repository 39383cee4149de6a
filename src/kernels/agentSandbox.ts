// The sandbox of agent contexts (MCP sessions, the LM tool, `agent:` API contexts): which kernel name an agent's
// kernel starts under, the profile the local server builds its sandbox from, and where its work folder is.
// Plain Node: the extension and the MCP server use the same class.
import * as path from 'node:path';
import type { ServerConnection } from '@jupyterlab/services';
import {
  baseKernelName,
  registerSandboxProfile,
  sandboxedKernelName,
  sandboxOfKernelName,
  sandboxProfileId,
  type SandboxProfile,
} from '../jupyter/sandboxProfile';

/** How agents' kernels are sandboxed, as the settings (or the MCP server's flags) give it. */
export interface AgentSandboxOptions {
  /** False: agents' kernels run like the user's own (the user switched the sandbox off). */
  enabled: boolean;
  profile: SandboxProfile;
  /** The setting or flag that switches the sandbox off, named in the message where no sandbox can be made. */
  offSwitch: string;
}

/** The default memory limit of an agent's kernel, in MB. */
export const DEFAULT_AGENT_MEMORY_MB = 4096;

/**
 * Agents' sandbox policy, shared by the registry (which names every agent context's kernel through
 * {@link kernelNameFor}) and the session factory (which registers the profile with the server before the start).
 * Changing the options affects kernels started afterwards; a running kernel keeps the sandbox it started in.
 */
export class AgentSandbox {
  private options: AgentSandboxOptions;
  private readonly profiles = new Map<string, SandboxProfile>();
  /** Profiles registered per server (a new server after a crash has new settings, so it is told again). */
  private readonly registered = new WeakMap<ServerConnection.ISettings, Map<string, Promise<void>>>();
  private islands: string | undefined;

  constructor(options: AgentSandboxOptions) {
    this.options = options;
  }

  get enabled(): boolean {
    return this.options.enabled;
  }

  get profile(): SandboxProfile {
    return this.options.profile;
  }

  /** New settings: kernels started from now on use them. */
  configure(options: AgentSandboxOptions): void {
    this.options = options;
  }

  /** The kernel name an agent context's kernel of `kernelName` starts under: sandboxed unless switched off. */
  kernelNameFor(kernelName: string): string {
    const base = baseKernelName(kernelName);
    return this.options.enabled ? sandboxedKernelName(base, this.remember(this.options.profile)) : base;
  }

  /** Tells the server about the sandbox of `kernelName` before its kernel starts; once per server and profile. */
  prepare(settings: ServerConnection.ISettings, kernelName: string): Promise<void> {
    const sandbox = sandboxOfKernelName(kernelName);
    if (!sandbox) {
      return Promise.resolve();
    }
    const profile = this.profiles.get(sandbox.profileId);
    if (!profile) {
      return Promise.reject(new Error(`Unknown sandbox profile ${sandbox.profileId} for kernel ${kernelName}.`));
    }
    let perServer = this.registered.get(settings);
    if (!perServer) {
      perServer = new Map();
      this.registered.set(settings, perServer);
    }
    let done = perServer.get(sandbox.profileId);
    if (!done) {
      done = registerSandboxProfile(settings, profile, this.options.offSwitch).then(({ islandsDir }) => {
        this.islands = islandsDir || this.islands;
      });
      perServer.set(sandbox.profileId, done);
      // A refusal is not cached: the next start asks again (bubblewrap may have been installed meanwhile).
      done.catch(() => perServer.delete(sandbox.profileId));
    }
    return done;
  }

  /** The host path of a sandboxed kernel's work folder (its cwd and HOME); undefined before the server said where. */
  workFolder(kernelId: string): string | undefined {
    return this.islands && kernelId ? path.join(this.islands, kernelId, 'home') : undefined;
  }

  /** Keeps the profile for the starts that name it (hashed on first use, not at activation); returns its id. */
  private remember(profile: SandboxProfile): string {
    const id = sandboxProfileId(profile);
    this.profiles.set(id, profile);
    return id;
  }
}
