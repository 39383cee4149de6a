import type { AbortReason } from '../session/abortReason';
import { abortedResult } from '../output/results';
import type { ExecutionEvent, ExecutionResult, KernelSession, OutputEvent, RunOptions } from '../types';
import type { RunGroup } from './runGroup';

/**
 * Runs of one kernel sent ahead of their turn. The kernel runs its shell requests one after another, so sending
 * the next run before the previous reply removes a round trip of idle kernel per run; the bound keeps a restart
 * or crash from throwing away an unbounded backlog the kernel already holds.
 */
export const DEFAULT_PIPELINE_WINDOW = 16;

/** The context a run was made for, as the pipeline sees it (the registry's `ContextEntry`). */
interface RunOwner {
  /** Read when events fire, so a rename applies to queued runs. */
  readonly id: string;
}

/** One run waiting in a context's queue. `entry` is read when events fire, so a rename applies to queued runs. */
interface QueuedRun<E extends RunOwner> {
  entry: E;
  runId: number;
  code: string;
  options: RunOptions;
  resolve(result: ExecutionResult): void;
  reject(err: Error): void;
}

/** What a pipeline needs from the registry. */
export interface PipelineHost<E extends RunOwner> {
  /** The session the run goes to: started, and set up, if needed. Rejects when that fails. */
  prepare(run: QueuedRun<E>): Promise<KernelSession>;
  fire(e: ExecutionEvent): void;
  /** Called after a run's 'end' event and the settling of its promise. */
  ended(run: QueuedRun<E>): void;
  /** A caller's output callback threw. */
  error(err: unknown): void;
}

/** One run handed to the kernel (or being prepared for it); retired strictly in order. */
interface SentRun<E extends RunOwner> {
  readonly run: QueuedRun<E>;
  /** 'start' fired: the run before it got its reply, or it was first. */
  started: boolean;
  /** Taken out of the pipeline (restart, crash, close) before it started: its late reply is ignored. */
  dropped: boolean;
  /** Outputs that arrived before its predecessor's reply was processed, delivered once the run starts. */
  held: OutputEvent[];
  outcome?: { result: ExecutionResult } | { error: Error };
}

/** Identifies the running run of a pipeline, to end it later if its kernel never answers (see `giveUp`). */
type RunningToken = object;

/**
 * A context's runs, FIFO: up to `window` of them are in the kernel at once (it executes them in order), the rest
 * wait here. Each run's 'start' fires when the kernel actually starts it (when the run before it got its reply),
 * and 'end' events fire in FIFO order. Outputs are attributed by the session (by msg_id).
 *
 * A run of a `RunGroup` is not sent while the group's run before it is in the kernel, and nothing behind it is sent
 * meanwhile (no run overtakes another). With stop on error, a grouped run that does not end ok ends the group's
 * runs still waiting here as aborted (`earlier-run-failed`), silently and without their reaching the kernel.
 */
export class RunPipeline<E extends RunOwner> {
  private readonly waiting: QueuedRun<E>[] = [];
  /** Runs sent (or being prepared), oldest first; the first one is the one the kernel is running. */
  private readonly sent: SentRun<E>[] = [];
  private pumping = false;
  private closed = false;

  constructor(
    private readonly host: PipelineHost<E>,
    private readonly window = DEFAULT_PIPELINE_WINDOW,
  ) {}

  /** Runs waiting to be sent. */
  get waitingCount(): number {
    return this.waiting.length;
  }

  /** Runs in the kernel (or being prepared for it), the running one included. */
  get inFlightCount(): number {
    return this.sent.length;
  }

  /** The run the kernel is running now, if any. */
  get running(): RunningToken | undefined {
    return this.sent[0];
  }

  push(run: QueuedRun<E>): void {
    if (this.closed) {
      run.resolve(abortedResult({ kind: 'context-closed' }, 0));
      return;
    }
    this.waiting.push(run);
    void this.pump();
  }

  /**
   * Ends every run not yet sent (of `group` only, when given) as aborted, silently (they never started). Runs in
   * the kernel are left alone.
   */
  dropWaiting(reason: AbortReason, group?: RunGroup): void {
    const dropped = group ? this.waiting.filter((run) => run.options.group === group) : this.waiting.slice();
    for (const run of dropped) {
      this.waiting.splice(this.waiting.indexOf(run), 1);
      run.resolve(abortedResult(reason, 0));
    }
    if (group) {
      void this.pump();
    }
  }

  /**
   * Ends the runs the kernel holds behind the running one as aborted, silently (they never started): a restart
   * or crash throws the kernel's queue away. The running one ends through its session, with the same reason.
   */
  dropQueuedInKernel(reason: AbortReason): void {
    for (const sent of this.sent.splice(1)) {
      sent.dropped = true;
      sent.run.resolve(abortedResult(reason, 0));
      this.stopGroupAfterFailure(sent.run);
    }
    void this.pump();
  }

  /** Ends `token`'s run now as aborted unless its kernel already answered: a safety net after a restart. */
  giveUp(token: RunningToken | undefined, reason: AbortReason): void {
    const sent = this.sent.find((s) => s === token);
    if (sent && !sent.outcome) {
      this.settle(sent, { result: abortedResult(reason, 0) });
    }
  }

  /**
   * Refuses new runs and ends the waiting and kernel-queued ones. The running one ends through its session (its
   * shutdown aborts it); call `giveUp` with `running` after the shutdown for one whose kernel never answered.
   */
  close(reason: AbortReason): void {
    this.closed = true;
    this.dropWaiting(reason);
    this.dropQueuedInKernel(reason);
  }

  private async pump(): Promise<void> {
    if (this.pumping) {
      return;
    }
    this.pumping = true;
    try {
      while (!this.closed && this.waiting.length > 0 && this.sent.length < this.window) {
        if (this.groupInKernel(this.waiting[0])) {
          // Its group's run before it has not ended yet; the runs behind it wait too, in order.
          return;
        }
        const sent: SentRun<E> = {
          run: this.waiting.shift() as QueuedRun<E>,
          started: false,
          dropped: false,
          held: [],
        };
        this.sent.push(sent);
        this.retire();
        // One at a time: the kernel must receive the runs in FIFO order.
        await this.send(sent);
      }
    } finally {
      this.pumping = false;
    }
  }

  /** True while a run of `run`'s group is in the kernel (or being prepared for it). */
  private groupInKernel(run: QueuedRun<E>): boolean {
    const { group } = run.options;
    return group !== undefined && this.sent.some((s) => s.run.options.group === group);
  }

  /** A grouped run ended without success: with stop on error, its group's waiting runs end unsent. */
  private stopGroupAfterFailure(run: QueuedRun<E>): void {
    if (run.options.group?.stopOnError) {
      this.dropWaiting({ kind: 'earlier-run-failed' }, run.options.group);
    }
  }

  private async send(sent: SentRun<E>): Promise<void> {
    let session: KernelSession;
    try {
      session = await this.host.prepare(sent.run);
    } catch (err) {
      this.settle(sent, { error: err instanceof Error ? err : new Error(String(err)) });
      return;
    }
    if (sent.dropped || sent.outcome) {
      return;
    }
    const { code, options } = sent.run;
    session.execute(code, { onStdin: options.onStdin, onOutput: (e) => this.output(sent, e) }).then(
      (result) => this.settle(sent, { result }),
      (err: unknown) => this.settle(sent, { error: err instanceof Error ? err : new Error(String(err)) }),
    );
  }

  private output(sent: SentRun<E>, e: OutputEvent): void {
    if (sent.dropped || sent.outcome) {
      return;
    }
    if (sent.started) {
      this.deliver(sent, e);
    } else {
      sent.held.push(e);
    }
  }

  /** The UI hears first, so a throwing caller callback cannot hide output from it. */
  private deliver(sent: SentRun<E>, e: OutputEvent): void {
    const { entry, runId, options } = sent.run;
    this.host.fire({ type: 'output', contextId: entry.id, runId, event: e });
    try {
      options.onOutput?.(e);
    } catch (err) {
      this.host.error(err);
    }
  }

  private settle(sent: SentRun<E>, outcome: NonNullable<SentRun<E>['outcome']>): void {
    if (sent.dropped || sent.outcome) {
      return;
    }
    sent.outcome = outcome;
    this.retire();
    void this.pump();
  }

  /** Starts the head, and ends the runs at the front that have their outcome, in order. */
  private retire(): void {
    for (let head = this.sent[0]; head; head = this.sent[0]) {
      if (!head.started) {
        this.begin(head);
      }
      if (!head.outcome) {
        return;
      }
      this.sent.shift();
      this.end(head, head.outcome);
    }
  }

  private begin(sent: SentRun<E>): void {
    sent.started = true;
    const { entry, runId, code, options } = sent.run;
    this.host.fire({ type: 'start', contextId: entry.id, runId, code, source: options.source ?? 'api' });
    try {
      options.onStart?.();
    } catch (err) {
      this.host.error(err);
    }
    for (const e of sent.held.splice(0)) {
      this.deliver(sent, e);
    }
  }

  private end(sent: SentRun<E>, outcome: NonNullable<SentRun<E>['outcome']>): void {
    const { run } = sent;
    if ('error' in outcome) {
      const result = abortedResult({ kind: 'run-failed', message: outcome.error.message }, 0);
      this.host.fire({ type: 'end', contextId: run.entry.id, runId: run.runId, result });
      run.reject(outcome.error);
    } else {
      this.host.fire({ type: 'end', contextId: run.entry.id, runId: run.runId, result: outcome.result });
      run.resolve(outcome.result);
    }
    if ('error' in outcome || outcome.result.status !== 'ok') {
      this.stopGroupAfterFailure(run);
    }
    this.host.ended(run);
  }
}
