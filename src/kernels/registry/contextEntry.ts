import type { Disposable } from '../../common/disposable';
import type { RunPipeline } from './runPipeline';
import type {
  ContextInfo,
  ContextSpec,
  ExecutionResult,
  KernelSession,
  PooledKernel,
  RunOptions,
  SetupTarget,
} from '../types';

/** One run waiting in a context's queue. `entry` is read when events fire, so a rename applies to queued runs. */
export interface QueuedRun {
  entry: ContextEntry;
  runId: number;
  code: string;
  options: RunOptions;
  resolve(result: ExecutionResult): void;
  reject(err: Error): void;
}

/** The registry's record of one context: its spec, its kernel (or the start in flight) and its run pipeline. */
export class ContextEntry {
  id: string;
  label: string;
  kernelName: string;
  /** The server the next kernel starts on; a running kernel stays where it is. */
  server: string;
  target: SetupTarget;
  session: KernelSession | undefined;
  /** The start in flight; shared by concurrent callers so a context never starts two kernels. */
  starting: Promise<KernelSession> | undefined;
  /** Set when the kernel lost its state, so the next run repeats the set-up first. */
  needsSetup = false;
  /** The set-up the kernel last received; a different target (rename, Save As) repeats the set-up. */
  applied: SetupTarget = {};
  /** Root context whose kernel this one shares, while attached. */
  attachedTo: string | undefined;
  /** For a context restored after a window reload: its kernel from before, reconnected on first use. */
  restoreKernelId: string | undefined;
  shutdownTimer: Disposable | undefined;
  /**
   * Set when the kernel died (crash or server death) and cleared by the next run or restart: the context shows
   * 'dead' until then, even though the server may already have restarted the kernel process, because what the
   * user had in it is gone.
   */
  died = false;
  /** Subscriptions to the current session's events; cleared when the session is replaced. */
  private sessionSubs: Disposable[] = [];
  /** Runs for this context's kernel, and for contexts attached to it. */
  readonly pipeline: RunPipeline;
  /** The warm kernel this context took, until its first result is back and the pool may refill. */
  private poolClaim: PooledKernel | undefined;

  /** The server the current kernel runs on (it may differ from `server` after the user chose another one). */
  sessionServer: string | undefined;

  constructor(spec: ContextSpec, defaults: { kernelName: string; server: string }, pipeline: RunPipeline) {
    this.pipeline = pipeline;
    this.id = spec.id;
    this.label = spec.label || spec.id;
    this.kernelName = spec.kernelName ?? defaults.kernelName;
    this.server = spec.server ?? defaults.server;
    this.target = { cwd: spec.cwd, file: spec.file };
  }

  addSessionSub(sub: Disposable): void {
    this.sessionSubs.push(sub);
  }

  clearSessionSubs(): void {
    for (const sub of this.sessionSubs.splice(0)) {
      sub.dispose();
    }
  }

  /** Remembers the warm kernel taken for this context, so `releasePoolClaim` can tell the pool later. */
  holdPoolClaim(claim: PooledKernel): void {
    this.poolClaim = claim;
  }

  /** Tells the pool this context no longer needs quiet (its first result is back, or it gave up). Safe twice. */
  releasePoolClaim(): void {
    this.poolClaim?.release();
    this.poolClaim = undefined;
  }

  /** Takes the newer label, kernelspec and location from a later spec for the same context. */
  update(spec: ContextSpec): void {
    if (spec.label) {
      this.label = spec.label;
    }
    // Takes effect when the next kernel starts; a running kernel keeps its kernelspec.
    if (spec.kernelName) {
      this.kernelName = spec.kernelName;
    }
    if (spec.server) {
      this.server = spec.server;
    }
    if (spec.cwd !== undefined || spec.file !== undefined) {
      this.target = { cwd: spec.cwd ?? this.target.cwd, file: spec.file ?? this.target.file };
    }
  }

  /** True when the kernel needs the set-up before the next run. */
  get setupPending(): boolean {
    return this.needsSetup || this.applied.cwd !== this.target.cwd || this.applied.file !== this.target.file;
  }

  /** A live session, or undefined when none is started or it is dead. */
  get liveSession(): KernelSession | undefined {
    const state = this.session?.state;
    return state === 'dead' || state === 'shutdown' ? undefined : this.session;
  }

  /** A snapshot; `root` is the context whose kernel this one runs on (itself unless attached). */
  info(root: ContextEntry): ContextInfo {
    const session = root.session;
    return {
      id: this.id,
      label: this.label,
      kernelName: session?.kernelName ?? root.kernelName,
      kernelId: session?.id ?? '',
      state: root.died ? 'dead' : (session?.state ?? (root.starting ? 'starting' : 'not-started')),
      executionCount: session?.executionCount ?? null,
      attachedTo: this.attachedTo,
      server: (session && root.sessionServer) ?? root.server,
    };
  }
}
