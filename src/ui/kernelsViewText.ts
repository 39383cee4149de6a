import { labelForId } from '../kernels/contextSpec';
import type { ContextInfo, KernelState } from '../kernels/types';
import { formatBytes } from './kernelMemory';

/** The name people know a context by: its label, or a short form of a URI id. */
export function displayLabel(info: Pick<ContextInfo, 'id' | 'label'>): string {
  return info.label && info.label !== info.id ? info.label : labelForId(info.id);
}

/** States whose name is not what a user should read; the status bar uses the same words. */
const stateWords: Partial<Record<KernelState, string>> = { 'not-started': 'not started', dead: 'kernel died' };

/** The description of a row: server (when remote), kernelspec, state, execution count and memory when known. */
export function describeContext(info: ContextInfo, rss: number | undefined): string {
  const kernel = info.server && info.server !== 'local' ? `${info.server} · ${info.kernelName}` : info.kernelName;
  const parts = [kernel, stateWords[info.state] ?? info.state];
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
