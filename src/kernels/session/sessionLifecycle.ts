import type { Disposable } from '../../common/disposable';
import { Emitter, Event } from '../../common/event';
import { lossAbortReason, type AbortReason } from './abortReason';
import { runRequest, type RequestContext } from './executeRequest';
import { lossMessages } from './lossMessages';
import { abortedResult } from '../output/results';
import type { ExecuteOptions, ExecutionResult, KernelState, StateLostEvent } from '../types';

/** The sticky end states of a session: once reached, the session never leaves them. */
type FinalState = 'dead' | 'shutdown';

/** Which kernel a lifecycle belongs to, for error messages. */
interface SessionIdentity {
  readonly id: string;
  readonly kernelName: string;
}

/** What the owning session provides: who it is, how to read its state, how to end it. */
interface SessionLifecycleOwner {
  /** Names the kernel in errors. */
  readonly kernel: SessionIdentity;
  /** The session's state as it would report it now. */
  currentState(): KernelState;
  /** Ends the owning session; called once the kernel is gone for good, and after a shutdown. */
  disposeSession(): void;
  /** Logs a problem that changes nothing for the user (e.g. a shutdown the server no longer answers). */
  warn(message: string): void;
}

/** The parts of a run's {@link RequestContext} that only the transport knows. */
type TransportContext = Omit<RequestContext, 'abortReason' | 'onExecutionCount'>;

/**
 * The bookkeeping every {@link KernelSession} transport shares: the state and state-lost events, the sticky end
 * state, why pending runs were cancelled, and the last execution count. The transport decides *when* a kernel
 * restarted, died or ended; this class decides what that means for listeners and for runs, so both transports
 * tell users the same thing in the same order.
 *
 * @remarks Owned by one session, by composition. The session passes how to read its current state (which only
 * it knows, e.g. 'reconnecting') and how to dispose itself (a kernel that is gone for good ends its session).
 */
export class SessionLifecycle implements Disposable {
  private readonly stateEmitter = new Emitter<KernelState>();
  private readonly lossEmitter = new Emitter<StateLostEvent>();
  private endState: FinalState | undefined;
  private lastState: KernelState = 'starting';
  private disposed = false;
  private shutdownPromise: Promise<void> | undefined;

  /** Why pending runs were cancelled; runs read it when their requests end early. */
  abortReason: AbortReason = { kind: 'connection-closed' };
  /** The last execution count the kernel reported; `null` after a restart or death. */
  executionCount: number | null = null;

  /** Fires when the session's state changes, once per change. */
  readonly onDidChangeState: Event<KernelState> = this.stateEmitter.event;
  /** Fires when the kernel's variables and imports are lost (restart, death, server death). */
  readonly onDidLoseState: Event<StateLostEvent> = this.lossEmitter.event;

  constructor(private readonly owner: SessionLifecycleOwner) {}

  /** 'dead' or 'shutdown' once the session ended, else `undefined`. */
  get final(): FinalState | undefined {
    return this.endState;
  }

  /** Fires `onDidChangeState` if the state differs from the last one fired. */
  fireStateIfChanged(): void {
    const state = this.owner.currentState();
    if (state !== this.lastState) {
      this.lastState = state;
      this.stateEmitter.fire(state);
    }
  }

  /** Throws a message naming the kernel if the session ended, so lifecycle calls on it fail clearly. */
  throwIfGone(): void {
    if (this.endState) {
      throw new Error(
        `Kernel ${this.owner.kernel.kernelName} (${this.owner.kernel.id}) is ${this.describeEnd(this.endState)}.`,
      );
    }
  }

  /**
   * Runs `code` through the transport, aborting with this session's reason and noting the execution count; an
   * ended session answers at once with an aborted result and sends nothing.
   */
  execute(transport: TransportContext, code: string, options: ExecuteOptions): Promise<ExecutionResult> {
    if (this.endState) {
      return Promise.resolve(abortedResult({ kind: 'kernel-ended', end: this.endState }, 0));
    }
    const context: RequestContext = {
      ...transport,
      abortReason: () => this.abortReason,
      onExecutionCount: (n) => {
        this.executionCount = n;
      },
    };
    return runRequest(context, code, options);
  }

  /**
   * The kernel lost its state but lives on (a restart asked for, or the server restarting a dead kernel): pending
   * runs are aborted for that reason, and `onDidLoseState` fires before the transport sends anything else.
   */
  loseState(reason: 'restarted' | 'kernel-died'): void {
    this.abortReason = lossAbortReason(reason);
    this.executionCount = null;
    this.lossEmitter.fire({ reason, message: reason === 'restarted' ? lossMessages.restarted : lossMessages.died });
  }

  /** The kernel is gone for good: the session becomes 'dead', fires `onDidLoseState` once, and disposes itself. */
  markGone(message: string, reason: 'kernel-died' | 'server-died'): void {
    if (this.endState) {
      return;
    }
    this.endState = 'dead';
    this.abortReason = lossAbortReason(reason);
    this.executionCount = null;
    this.lossEmitter.fire({ reason, message });
    this.owner.disposeSession();
  }

  /** Marks the session shut down with `abortReason` unless it already ended; true if it did so now. */
  end(abortReason: AbortReason): boolean {
    if (this.endState) {
      return false;
    }
    this.endState = 'shutdown';
    this.abortReason = abortReason;
    return true;
  }

  /**
   * Shuts the session down once (later calls get the same promise): marks it shut down, lets `stopKernel` end
   * the kernel on its server (a failure is logged: the server may be gone, which ends the kernel too), then
   * disposes the session. A session that already ended is only disposed.
   */
  shutdown(stopKernel: () => Promise<void>): Promise<void> {
    this.shutdownPromise ??= this.doShutdown(stopKernel);
    return this.shutdownPromise;
  }

  /** Fires the last state change (the end state) and drops all listeners. Safe to call twice. */
  dispose(): void {
    if (this.disposed) {
      return;
    }
    this.disposed = true;
    this.fireStateIfChanged();
    this.stateEmitter.dispose();
    this.lossEmitter.dispose();
  }

  private async doShutdown(stopKernel: () => Promise<void>): Promise<void> {
    if (this.end({ kind: 'kernel-shut-down' })) {
      try {
        await stopKernel();
      } catch (err) {
        // The server may be gone already, which also ends the kernel; nothing is left to clean up.
        this.owner.warn(`Could not shut down kernel ${this.owner.kernel.id}: ${String(err)}`);
      }
    }
    this.owner.disposeSession();
  }

  private describeEnd(state: FinalState): string {
    return state === 'dead' ? 'dead' : 'shut down';
  }
}
