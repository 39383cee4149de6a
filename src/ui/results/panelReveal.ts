import type { Disposable } from '../../common/disposable';
import type { Timer } from '../../kernels/types';

/** How long a new results panel waits (see {@link PanelReveal}). */
interface PanelRevealDelays {
  /** After a run of the context ended: time for the workbench to paint the run's inline result first. */
  settleMs: number;
  /** After a run started, at the latest (a long run): its streamed output soon shows in the panel. */
  maxWaitMs: number;
}

const defaultRevealDelays: PanelRevealDelays = { settleMs: 50, maxWaitMs: 200 };

/**
 * When a context's new results panel appears after an editor run started in it. Creating a webview keeps the
 * workbench's renderer busy for hundreds of milliseconds, and a decoration set meanwhile waits behind it
 * (`npm run bench:ui` U2: the host had set the inline result ~60 ms after the key press, the renderer drew it at
 * ~430 ms). So the new panel comes after the run's inline result: `settleMs` after a run of the context ended (the
 * editor sets the inline result as the run ends), or `maxWaitMs` after the run started if it is still going. Nothing
 * is lost by the wait: a panel shows every run of its context once its page is ready. A context that already has
 * its panel is not delayed (the caller reveals it at once).
 */
export class PanelReveal implements Disposable {
  private readonly pending = new Map<string, Disposable>();

  constructor(
    private readonly show: (contextId: string) => void,
    private readonly timer: Timer,
    private readonly delays: PanelRevealDelays = defaultRevealDelays,
  ) {}

  /** A run that brings the panel into view started in a context without a panel. */
  started(contextId: string): void {
    if (!this.pending.has(contextId)) {
      this.schedule(contextId, this.delays.maxWaitMs);
    }
  }

  /** A run of the context ended: a panel waiting for it comes `settleMs` later. */
  ended(contextId: string): void {
    if (this.pending.has(contextId)) {
      this.schedule(contextId, this.delays.settleMs);
    }
  }

  /** The context's panel is shown by other means, or the context went: nothing waits for it any more. */
  cancel(contextId: string): void {
    this.pending.get(contextId)?.dispose();
    this.pending.delete(contextId);
  }

  /** The context was renamed: its waiting panel comes under the new id. */
  move(oldId: string, newId: string): void {
    if (this.pending.has(oldId)) {
      this.cancel(oldId);
      this.schedule(newId, this.delays.settleMs);
    }
  }

  private schedule(contextId: string, ms: number): void {
    this.pending.get(contextId)?.dispose();
    this.pending.set(
      contextId,
      this.timer.setTimeout(() => {
        this.pending.delete(contextId);
        this.show(contextId);
      }, ms),
    );
  }

  dispose(): void {
    for (const timer of this.pending.values()) {
      timer.dispose();
    }
    this.pending.clear();
  }
}
