import type { Disposable } from '../../common/disposable';
import type { Event } from '../../common/event';
import { realTimer } from '../../kernels/timer';
import type { ContextChangeEvent, Timer } from '../../kernels/types';
import { displayLabel } from './kernelsViewText';

/** How long losses are gathered into one notice: a dead server ends every context's kernel at once. */
const GATHER_MS = 200;
/** Contexts named in a notice before the rest are counted. */
const MAX_NAMED = 4;

interface Loss {
  label: string;
  message: string;
  /** True when the kernel died on its own: the next run starts a fresh one. */
  crashed: boolean;
}

/**
 * Tells the user, plainly and at once, when a context's kernel lost its state on its own: the kernel died, the
 * Jupyter server stopped, or a kernel could not be found again after a window reload. A restart the user asked
 * for is not announced. Losses within {@link GATHER_MS} become one notice, so a server death is one message, not
 * one per context. `show` is `vscode.window.showWarningMessage` in the extension.
 */
export class StateLostNotice implements Disposable {
  private pending: Loss[] = [];
  private flushTimer: Disposable | undefined;
  private readonly sub: Disposable;

  constructor(
    onDidChangeContexts: Event<ContextChangeEvent>,
    private readonly show: (message: string) => void,
    private readonly timer: Timer = realTimer,
  ) {
    this.sub = onDidChangeContexts((e) => this.onChange(e));
  }

  private onChange(e: ContextChangeEvent): void {
    if (e.type !== 'state-lost' || e.reason === 'restarted') {
      return;
    }
    this.pending.push({
      label: displayLabel(e.context),
      message: e.message ?? 'The kernel lost its state.',
      crashed: e.reason === 'kernel-died' || e.reason === 'server-died',
    });
    this.flushTimer ??= this.timer.setTimeout(() => this.flush(), GATHER_MS);
  }

  private flush(): void {
    this.flushTimer = undefined;
    const losses = this.pending.splice(0);
    const byMessage = new Map<string, Loss[]>();
    for (const loss of losses) {
      byMessage.set(loss.message, [...(byMessage.get(loss.message) ?? []), loss]);
    }
    for (const group of byMessage.values()) {
      this.show(noticeText(group));
    }
  }

  dispose(): void {
    this.flushTimer?.dispose();
    this.flushTimer = undefined;
    this.pending = [];
    this.sub.dispose();
  }
}

/** One notice for contexts that lost their state for the same reason. */
function noticeText(group: readonly Loss[]): string {
  const [first] = group;
  const next = first.crashed
    ? group.length === 1
      ? ' Its next run starts a fresh kernel.'
      : ' Their next runs start fresh kernels.'
    : '';
  if (group.length === 1) {
    return `Kernel Islands: ${first.label}: ${first.message}${next}`;
  }
  const names = group.slice(0, MAX_NAMED).map((l) => l.label);
  const more = group.length > MAX_NAMED ? ` and ${group.length - MAX_NAMED} more` : '';
  return `Kernel Islands: ${first.message} Affected: ${names.join(', ')}${more}.${next}`;
}
