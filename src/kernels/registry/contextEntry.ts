import type { Disposable } from '../../common/disposable';
import { environmentOfKernel } from '../../python/pythonEnvironment';
import { baseKernelName, sandboxOfKernelName } from '../../jupyter/sandboxProfile';
import type { RunPipeline } from './runPipeline';
import type { ContextInfo, ContextKind, ContextSpec, KernelSession, PooledKernel, SetupTarget, Timer } from '../types';

/**
 * The registry's record of one context: its spec, its kernel (or the start in flight) and its run pipeline.
 * Others read it; each change of state is one method here, so every transition is written in one place.
 */
export class ContextEntry {
  #id: string;
  #kind: ContextKind;
  #label: string;
  #kernelName: string;
  /** The server the next kernel starts on; a running kernel stays where it is. */
  #server: string;
  #target: SetupTarget;
  #session: KernelSession | undefined;
  /** The server the current session's kernel runs on (it may differ from `#server` after the user chose another). */
  #sessionServer: string | undefined;
  /** Subscriptions to the current session's events; cleared when the session is replaced. */
  #sessionSubs: Disposable[] = [];
  #starting: Promise<KernelSession> | undefined;
  /** Set when the kernel lost its state, so the next run repeats the set-up first. */
  #needsSetup = false;
  /** The set-up the kernel last received; a different target (rename, Save As) repeats the set-up. */
  #applied: SetupTarget = {};
  #died = false;
  #attachedTo: string | undefined;
  #restoreKernelId: string | undefined;
  #shutdownTimer: Disposable | undefined;
  /** The warm kernel this context took, until its first result is back and the pool may refill. */
  #poolClaim: PooledKernel | undefined;

  /** Runs for this context's kernel, and for contexts attached to it. */
  readonly pipeline: RunPipeline<ContextEntry>;

  constructor(
    spec: ContextSpec,
    defaults: { kernelName: string; server: string },
    pipeline: RunPipeline<ContextEntry>,
  ) {
    this.pipeline = pipeline;
    this.#id = spec.id;
    this.#kind = spec.kind;
    this.#label = spec.label || spec.id;
    this.#kernelName = spec.kernelName ?? defaults.kernelName;
    this.#server = spec.server ?? defaults.server;
    this.#target = { cwd: spec.cwd, file: spec.file };
  }

  get id(): string {
    return this.#id;
  }

  /** What the context is; kept across renames (a document renamed is still a document). */
  get kind(): ContextKind {
    return this.#kind;
  }

  get label(): string {
    return this.#label;
  }

  /** The kernelspec the next kernel starts with; a running kernel keeps its own. */
  get kernelName(): string {
    return this.#kernelName;
  }

  /** The server the next kernel starts on. */
  get server(): string {
    return this.#server;
  }

  /** Where the context's code runs (cwd, file), as the set-up gives it to the kernel. */
  get target(): Readonly<SetupTarget> {
    return this.#target;
  }

  /** The session of the context's kernel, live or ended; undefined when none was started or it was dropped. */
  get session(): KernelSession | undefined {
    return this.#session;
  }

  /** A live session, or undefined when none is started or it is dead. */
  get liveSession(): KernelSession | undefined {
    const state = this.#session?.state;
    return state === 'dead' || state === 'shutdown' ? undefined : this.#session;
  }

  /** The server the current kernel runs on, or the one the next kernel starts on when there is none. */
  get kernelServer(): string {
    return (this.#session && this.#sessionServer) ?? this.#server;
  }

  /** The start in flight; shared by concurrent callers so a context never starts two kernels. */
  get starting(): Promise<KernelSession> | undefined {
    return this.#starting;
  }

  /** True when the kernel needs the set-up before the next run. */
  get setupPending(): boolean {
    return this.#needsSetup || this.#applied.cwd !== this.#target.cwd || this.#applied.file !== this.#target.file;
  }

  /**
   * True from a crash or a server death until the next run or restart: the context shows 'dead' until then, even
   * though the server may already have restarted the kernel process, because what the user had in it is gone.
   */
  get died(): boolean {
    return this.#died;
  }

  /** The root context whose kernel this one shares, while attached. */
  get attachedTo(): string | undefined {
    return this.#attachedTo;
  }

  /** For a context restored after a window reload: its kernel from before, reconnected on first use. */
  get restoreKernelId(): string | undefined {
    return this.#restoreKernelId;
  }

  /** Takes the newer label, kernelspec and location from a later spec for the same context. */
  update(spec: ContextSpec): void {
    this.#kind = spec.kind;
    if (spec.label) {
      this.#label = spec.label;
    }
    // Takes effect when the next kernel starts; a running kernel keeps its kernelspec.
    if (spec.kernelName) {
      this.#kernelName = spec.kernelName;
    }
    if (spec.server) {
      this.#server = spec.server;
    }
    if (spec.cwd !== undefined || spec.file !== undefined) {
      this.#target = { cwd: spec.cwd ?? this.#target.cwd, file: spec.file ?? this.#target.file };
    }
  }

  /** The context moved to a new id (file rename, Save As); the label changes only when one is given. */
  renameTo(id: string, label?: string): void {
    this.#id = id;
    this.#label = label ?? this.#label;
  }

  /** Shares `rootId`'s kernel from now on. */
  attachTo(rootId: string): void {
    this.#attachedTo = rootId;
  }

  /** Gets its own kernel again; true when it was attached. */
  detach(): boolean {
    const was = this.#attachedTo !== undefined;
    this.#attachedTo = undefined;
    return was;
  }

  /** The context this one is attached to moved from `oldId` to `newId`: the attachment follows it. */
  followRename(oldId: string, newId: string): void {
    if (this.#attachedTo === oldId) {
      this.#attachedTo = newId;
    }
  }

  /** Restored after a window reload: its kernel from before (if any) already received the current set-up. */
  markRestored(kernelId: string | undefined): void {
    this.#restoreKernelId = kernelId;
    this.#applied = { ...this.#target };
  }

  /** The kernel from before the reload was reconnected, found gone or shut down: it is never tried again. */
  forgetRestoredKernel(): void {
    this.#restoreKernelId = undefined;
  }

  /**
   * Tracks a start so concurrent callers share it; `settled` is called once it ended either way, after `starting`
   * is cleared. Returns the shared start.
   */
  beginStart(start: Promise<KernelSession>, settled: () => void): Promise<KernelSession> {
    const shared = start.finally(() => {
      this.#starting = undefined;
      settled();
    });
    this.#starting = shared;
    return shared;
  }

  /** The context's kernel is now `session` on `server`; `subs` (to its events) end when the session is dropped. */
  adopt(session: KernelSession, server: string, subs: Disposable[]): void {
    this.unsubscribeSession();
    this.#session = session;
    this.#sessionServer = server;
    this.#sessionSubs = subs;
  }

  /** Stops listening to the session's events (before it is shut down or replaced). */
  unsubscribeSession(): void {
    for (const sub of this.#sessionSubs.splice(0)) {
      sub.dispose();
    }
  }

  /** Closes the connection to the kernel without shutting the kernel down, and forgets the session. */
  dropSession(): void {
    this.unsubscribeSession();
    this.#session?.dispose();
    this.#session = undefined;
    this.#sessionServer = undefined;
  }

  /** The kernel received the set-up for `target`: no set-up before the next run unless the target changes. */
  markSetUp(target: SetupTarget): void {
    this.#applied = { ...target };
    this.#needsSetup = false;
  }

  /**
   * The kernel lost its variables and imports: the next run repeats the set-up first. A kernel that `died` (crash,
   * server death) shows 'dead' until the next run or restart; a restart the user asked for does not.
   */
  markLost(cause: 'restarted' | 'died'): void {
    this.#needsSetup = true;
    this.#died = cause === 'died';
  }

  /** The next run or a restart: the context stops showing 'dead'. True when it was showing it. */
  clearDied(): boolean {
    const was = this.#died;
    this.#died = false;
    return was;
  }

  /** Shuts the context down after `delayMs` unless cancelled; replaces a shutdown already scheduled. */
  scheduleShutdown(timer: Timer, delayMs: number, shutdown: () => void): void {
    this.cancelScheduledShutdown();
    this.#shutdownTimer = timer.setTimeout(() => {
      this.#shutdownTimer = undefined;
      shutdown();
    }, delayMs);
  }

  cancelScheduledShutdown(): void {
    this.#shutdownTimer?.dispose();
    this.#shutdownTimer = undefined;
  }

  /** Remembers the warm kernel taken for this context, so `releasePoolClaim` can tell the pool later. */
  holdPoolClaim(claim: PooledKernel): void {
    this.#poolClaim = claim;
  }

  /** Tells the pool this context no longer needs quiet (its first result is back, or it gave up). Safe twice. */
  releasePoolClaim(): void {
    this.#poolClaim?.release();
    this.#poolClaim = undefined;
  }

  /** A snapshot; `root` is the context whose kernel this one runs on (itself unless attached). */
  info(root: ContextEntry): ContextInfo {
    const session = root.session;
    const fullName = session?.kernelName ?? root.kernelName;
    const sandboxed = sandboxOfKernelName(fullName) !== undefined;
    const kernelName = baseKernelName(fullName);
    const environment = environmentOfKernel(kernelName);
    return {
      id: this.#id,
      kind: this.#kind,
      label: this.#label,
      kernelName,
      kernelId: session?.id ?? '',
      state: root.died ? 'dead' : (session?.state ?? (root.starting ? 'starting' : 'not-started')),
      executionCount: session?.executionCount ?? null,
      attachedTo: this.#attachedTo,
      server: root.kernelServer,
      ...(environment ? { environment } : {}),
      ...(sandboxed ? { sandboxed } : {}),
    };
  }
}
