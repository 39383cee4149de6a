import type { ServerConnection } from '@jupyterlab/services';
import { jupyterServices } from '../../jupyter/jupyterServices';
import type { Logger } from '../../common/log';
import { contextKindOfId, isContextKind } from '../contextSpec';
import type { ContextKind, KernelSession, SessionFactory } from '../types';

/**
 * One context as persisted across a window reload: enough to give it back its own kernel. Plain JSON, so
 * the extension can keep a list of these in workspace state.
 */
export interface ContextSnapshot {
  id: string;
  /** What the context is; snapshots from before kinds existed have none, and `planRestore` derives it from the id. */
  kind: ContextKind;
  label: string;
  /**
   * The kernelspec. A project environment's kernel name records its interpreter (`ki-env-…`), so a restored
   * context keeps its environment, and so does its kernel after a crash (the server restarts the same kernelspec).
   */
  kernelName: string;
  /** The kernel this context ran on (undefined when attached or never started). */
  kernelId?: string;
  /** Set when the context shared another context's kernel on purpose before the reload. */
  attachedTo?: string;
  cwd?: string;
  file?: string;
  /** The server the kernel runs on; absent in snapshots from before servers could be chosen (the default server). */
  server?: string;
}

/** Told to a context whose kernel did not survive the reload. */
export const RESTORE_LOST_MESSAGE =
  'The kernel from before the window reload is gone: a new kernel was started and the earlier state is lost.';

/**
 * Cleans a persisted list before it is restored: drops malformed items and duplicate ids, keeps an attachment
 * only when its target is in the list, and hands each kernel id to one context only. So two contexts can
 * never end up on one kernel unless one was attached to the other before the reload.
 */
export function planRestore(items: readonly unknown[]): ContextSnapshot[] {
  const valid = items.filter(isSavedSnapshot);
  const ids = new Set<string>();
  const unique = valid.filter((s) => !ids.has(s.id) && ids.add(s.id));
  const kernels = new Set<string>();
  return unique.map((s) => {
    const attachedTo =
      s.attachedTo !== undefined && s.attachedTo !== s.id && ids.has(s.attachedTo) ? s.attachedTo : undefined;
    let kernelId = attachedTo === undefined ? s.kernelId : undefined;
    if (kernelId !== undefined && kernels.has(kernelId)) {
      kernelId = undefined;
    }
    if (kernelId !== undefined) {
      kernels.add(kernelId);
    }
    const kind = isContextKind(s.kind) ? s.kind : contextKindOfId(s.id);
    return { ...s, kind, attachedTo, kernelId };
  });
}

/** Kernel ids a restored list claims; every other kernel on an adopted server belongs to nobody. */
export function claimedKernelIds(snapshots: readonly ContextSnapshot[]): Set<string> {
  return new Set(snapshots.flatMap((s) => (s.kernelId ? [s.kernelId] : [])));
}

/**
 * Shuts down the kernels on an adopted server that no restored context claims: pooled kernels, starts that
 * were in flight during the reload, contexts closed since the snapshot. Resolves once the kernels are listed
 * (so a kernel started after that is safe) with their ids; `stopped` settles when they are shut down, which
 * nobody needs to wait for.
 */
export async function pruneUnclaimedKernels(
  settings: ServerConnection.ISettings,
  keep: ReadonlySet<string>,
  logger: Logger,
): Promise<{ unclaimed: string[]; stopped: Promise<void> }> {
  const running = await jupyterServices().KernelAPI.listRunning(settings);
  const unclaimed = running.map((k) => k.id).filter((id) => !keep.has(id));
  const stopped = Promise.all(
    unclaimed.map((id) =>
      jupyterServices()
        .KernelAPI.shutdownKernel(id, settings)
        .catch((err: unknown) => logger.warn(`Could not shut down unclaimed kernel ${id}: ${String(err)}`)),
    ),
  ).then(() => {
    if (unclaimed.length > 0) {
      logger.info(`Shut down ${unclaimed.length} kernel(s) that no context claimed after the reload.`);
    }
  });
  return { unclaimed, stopped };
}

/** Connects to a restored context's old kernel; undefined when the factory cannot or the kernel is gone. */
export async function reconnectKernel(
  factory: SessionFactory,
  kernel: { kernelId: string; kernelName: string; server?: string },
  logger: Logger,
): Promise<KernelSession | undefined> {
  const { kernelId, kernelName, server } = kernel;
  if (!factory.connect) {
    return undefined;
  }
  try {
    return await factory.connect(kernelId, kernelName, server);
  } catch (err) {
    logger.warn(`Could not reconnect to kernel ${kernelId}: ${err instanceof Error ? err.message : String(err)}`);
    return undefined;
  }
}

/** A snapshot as saved: by an older version without a kind, or (hand-edited, newer) with one we do not know. */
type SavedSnapshot = Omit<ContextSnapshot, 'kind'> & { kind?: unknown };

function isSavedSnapshot(value: unknown): value is SavedSnapshot {
  if (typeof value !== 'object' || value === null) {
    return false;
  }
  const v = value as Record<string, unknown>;
  const optionalString = (key: string) => v[key] === undefined || typeof v[key] === 'string';
  return (
    typeof v.id === 'string' &&
    v.id !== '' &&
    typeof v.label === 'string' &&
    typeof v.kernelName === 'string' &&
    ['kernelId', 'attachedTo', 'cwd', 'file', 'server'].every(optionalString)
  );
}
