import { serverKernelLabel } from '../../python/pythonEnvironment';
import type { AgentActivity, AgentLimits } from '../../kernels/agentLifecycle';
import { labelForId } from '../../kernels/contextSpec';
import type { ContextInfo, KernelState } from '../../kernels/types';
import { formatBytes } from './kernelMemory';

/** The name people know a context by: its label, or a short form of a URI id. */
export function displayLabel(info: Pick<ContextInfo, 'id' | 'label'>): string {
  return info.label && info.label !== info.id ? info.label : labelForId(info.id);
}

/** States whose name is not what a user should read; the status bar uses the same words. */
const stateWords: Partial<Record<KernelState, string>> = { 'not-started': 'not started', dead: 'kernel died' };

/** What the status bar and the Kernels view say of a context whose hub server the hub stopped. */
export const HUB_STOPPED_WORDS = 'server stopped by JupyterHub';

/**
 * The description of a row: `sandboxed` (an agent's kernel in its sandbox), server (when remote), project
 * environment (when it runs in one), kernelspec, state,
 * execution count and memory when known.
 */
export function describeContext(info: ContextInfo, rss: number | undefined, hubStopped = false): string {
  const parts = [
    ...(info.sandboxed ? ['sandboxed'] : []),
    serverKernelLabel(info, { omitLocal: true }),
    hubStopped ? HUB_STOPPED_WORDS : (stateWords[info.state] ?? info.state),
  ];
  if (info.executionCount !== null) {
    parts.push(`[${info.executionCount}]`);
  }
  if (rss !== undefined) {
    parts.push(formatBytes(rss));
  }
  if (info.attachedTo) {
    parts.push(`shares ${labelForId(info.attachedTo)}`);
  }
  return parts.join(' · ');
}

/** A short duration for people: `<1 min`, `12 min`, `2 h 5 min`, `3 d 4 h`. */
export function formatDuration(ms: number): string {
  const minutes = Math.floor(Math.max(0, ms) / 60_000);
  if (minutes < 1) {
    return '<1 min';
  }
  if (minutes < 60) {
    return `${minutes} min`;
  }
  const hours = Math.floor(minutes / 60);
  if (hours < 24) {
    return minutes % 60 ? `${hours} h ${minutes % 60} min` : `${hours} h`;
  }
  return hours % 24 ? `${Math.floor(hours / 24)} d ${hours % 24} h` : `${Math.floor(hours / 24)} d`;
}

/** An agent context's age and idle time (or that a run is queued or running), for its row. */
export function describeAgentActivity(activity: AgentActivity, now: number): string {
  const idle = activity.idleSince === undefined ? 'running' : `idle ${formatDuration(now - activity.idleSince)}`;
  return `age ${formatDuration(now - activity.createdAt)} · ${idle}`;
}

/** The Agents group's description: how many hold a kernel against the cap, and the idle shutdown. */
export function describeAgentGroup(count: number, limits: AgentLimits): string {
  const cap = limits.maxContexts > 0 ? `${count} of max ${limits.maxContexts}` : `${count} · no cap`;
  const idle =
    limits.idleShutdownMinutes > 0
      ? `shut down after ${formatDuration(limits.idleShutdownMinutes * 60_000)} idle`
      : 'no idle shutdown';
  return `${cap} · ${idle}`;
}
