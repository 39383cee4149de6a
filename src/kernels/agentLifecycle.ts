// The lifecycle of agent contexts (the LM tool's, the API's `agent:` ones, MCP sessions'): an idle shutdown and a
// cap on how many keep a kernel, so callers that never shut their contexts down cannot pile up kernels. Editor and
// notebook contexts are never touched. Plain Node: the extension and the MCP server use the same class.
import type { Disposable } from '../common/disposable';
import { Logger, nullLogger } from '../common/log';
import { realTimer } from './timer';
import type { ContextInfo, ContextSpec, ExecutionResult, IContextRegistry, RunOptions, Timer } from './types';

/** The limits, as the `kernelIslands.agents.*` settings give them. */
export interface AgentLimits {
  /** Minutes an agent context may stay idle before its kernel is shut down; 0 turns the idle shutdown off. */
  idleShutdownMinutes: number;
  /** Agent contexts that may hold a kernel at once; 0 means no cap. */
  maxContexts: number;
  /**
   * Seconds one run may take, counted from the call (so a wait behind the context's earlier runs counts); past it
   * the run is interrupted, and its kernel restarted when the interrupt does not take. 0 or absent: no limit.
   */
  runTimeoutSeconds?: number;
}

/** How long an interrupted overrun may go on before its kernel is restarted. */
export const OVERRUN_INTERRUPT_GRACE_MS = 5_000;

export const DEFAULT_AGENT_LIMITS: AgentLimits = { idleShutdownMinutes: 30, maxContexts: 8 };

/** Why the lifecycle shut an agent context down. */
type AgentShutdownCause = { kind: 'idle'; minutes: number } | { kind: 'cap'; maxContexts: number };

/** What the lifecycle knows of one agent context, for views. Times are the clock's milliseconds. */
export interface AgentActivity {
  /** When the context was created (or restored after a window reload). */
  createdAt: number;
  /** When its last run ended (or it was created); undefined while a run is queued or running. */
  idleSince: number | undefined;
}

/** A run through the lifecycle: the registry's result, and the notice a caller must be given, if any. */
interface AgentRunResult {
  result: ExecutionResult;
  /** Set when this context's earlier kernel was shut down by the lifecycle: its variables are gone. */
  notice?: string;
}

interface AgentLifecycleOptions {
  limits: AgentLimits;
  timer?: Timer;
  /** The clock, in milliseconds; `Date.now` by default. */
  now?: () => number;
  logger?: Logger;
  /** How many shut-down context ids are remembered for their notice; the oldest is forgotten first. */
  remembered?: number;
}

/** True for a context the lifecycle manages: an agent's (`agent:…`), on a kernel of its own (not attached to another's). */
function isManagedAgentContext(info: Pick<ContextInfo, 'kind' | 'attachedTo'>): boolean {
  return info.kind === 'agent' && info.attachedTo === undefined;
}

/** The sentence a caller reads on its first call after the lifecycle shut its context down. */
function agentShutdownNotice(id: string, cause: AgentShutdownCause): string {
  const why =
    cause.kind === 'idle'
      ? `after ${formatMinutes(cause.minutes)} idle (kernelIslands.agents.idleShutdownMinutes)`
      : `to stay within kernelIslands.agents.maxContexts=${cause.maxContexts}`;
  return `Context ${id} was shut down ${why}; its variables are gone; this run started a fresh kernel.`;
}

function formatMinutes(minutes: number): string {
  const rounded = Number.isInteger(minutes) ? String(minutes) : minutes.toFixed(2).replace(/\.?0+$/, '');
  return `${rounded} ${minutes === 1 ? 'minute' : 'minutes'}`;
}

const DEFAULT_REMEMBERED = 256;

interface Tracked {
  createdAt: number;
  /** Last start or end of a run, or the creation: what "least recently used" compares. */
  lastUsedAt: number;
  /** Runs started and not yet ended. Runs queue behind a started one, so 0 means none is queued either. */
  running: number;
  idleTimer: Disposable | undefined;
}

/**
 * Shuts agent contexts down when they sit idle for `idleShutdownMinutes`, and keeps at most `maxContexts` of them
 * holding a kernel: when a new one would exceed the cap, the least recently used idle ones are shut down to make
 * room. A busy one (a run queued or running) is never shut down. When every agent context is busy, the new one
 * starts anyway, over the cap: queueing it would hang an agent behind another agent's long job with no word why.
 * The count gets back to the cap when the next new agent context arrives (it makes room the same way), when the cap
 * is lowered, or by the idle shutdown; never by shutting a context down the moment its run ends, so agents working
 * in parallel never lose their variables between two of their own calls.
 *
 * It observes the registry's events, so every way agent contexts are created is covered. A context it shut down is
 * remembered (the last `remembered` ids), so the next run there through `execute` carries a notice that its
 * variables are gone.
 */
export class AgentLifecycle implements Disposable {
  private readonly tracked = new Map<string, Tracked>();
  private readonly gone = new Map<string, AgentShutdownCause>();
  private readonly subs: Disposable[];
  private readonly timer: Timer;
  private readonly now: () => number;
  private readonly logger: Logger;
  private readonly remembered: number;
  private limits: AgentLimits;

  constructor(
    private readonly registry: IContextRegistry,
    options: AgentLifecycleOptions,
  ) {
    this.limits = normalize(options.limits);
    this.timer = options.timer ?? realTimer;
    this.now = options.now ?? Date.now;
    this.logger = options.logger ?? nullLogger;
    this.remembered = Math.max(1, options.remembered ?? DEFAULT_REMEMBERED);
    this.subs = [
      registry.onDidChangeContexts((e) => {
        if (e.type === 'added' || e.type === 'changed') {
          this.review(e.context.id);
        } else if (e.type === 'removed') {
          // A new context may already live under the id (a call right after a shutdown): it stays tracked.
          if (!this.registry.get(e.context.id)) {
            this.untrack(e.context.id);
          }
        } else if (e.type === 'renamed' && e.oldId !== undefined) {
          this.renamed(e.oldId, e.context.id);
        }
      }),
      registry.onDidExecute((e) => {
        if (e.type === 'start') {
          this.started(e.contextId);
        } else if (e.type === 'end') {
          this.ended(e.contextId);
        }
      }),
    ];
    // Contexts the registry had before (restored after a reload): their idle clocks start now.
    for (const info of registry.list()) {
      if (isManagedAgentContext(info)) {
        this.track(info.id);
      }
    }
    this.enforceCap();
  }

  /** The limits in force. */
  get currentLimits(): AgentLimits {
    return { ...this.limits };
  }

  /** Applies new limits at once: idle deadlines move, and a lower cap shuts idle contexts down now. */
  setLimits(limits: AgentLimits): void {
    this.limits = normalize(limits);
    for (const [id, t] of this.tracked) {
      if (t.running === 0) {
        this.scheduleIdle(id, t);
      }
    }
    this.enforceCap();
  }

  /**
   * Runs `code` in the context through the registry. When the lifecycle shut this context down since its last
   * run, the result carries the notice that its variables are gone (this run started a fresh kernel).
   */
  async execute(spec: ContextSpec, code: string, options?: RunOptions): Promise<AgentRunResult> {
    const cause = this.registry.get(spec.id) ? undefined : this.gone.get(spec.id);
    this.gone.delete(spec.id);
    const seconds = this.limits.runTimeoutSeconds ?? 0;
    try {
      if (seconds > 0) {
        // The limit is the run's, not the kernel start's (a cold start under load may take seconds).
        await this.registry.getOrStart(spec);
      }
      const run = this.registry.execute(spec, code, options);
      let overrun: Promise<string> | undefined;
      const watchdog =
        seconds > 0
          ? this.timer.setTimeout(() => (overrun = this.stopOverrun(spec.id, seconds, run)), seconds * 1000)
          : undefined;
      let result: ExecutionResult;
      try {
        result = await run;
      } finally {
        watchdog?.dispose();
      }
      const notices = [cause && agentShutdownNotice(spec.id, cause), overrun && (await overrun)].filter(Boolean);
      return notices.length > 0 ? { result, notice: notices.join(' ') } : { result };
    } catch (err) {
      // The kernel did not start: the caller still has to hear about the loss on its next call.
      if (cause && !this.registry.get(spec.id)) {
        this.remember(spec.id, cause);
      }
      throw err;
    }
  }

  /**
   * A run went past the time limit: interrupt it, and restart its kernel when it is still running
   * {@link OVERRUN_INTERRUPT_GRACE_MS} later (code that swallows KeyboardInterrupt, a C loop). Says which happened.
   */
  private async stopOverrun(id: string, seconds: number, run: Promise<unknown>): Promise<string> {
    const limit = `the run time limit of ${seconds} s`;
    this.logger.warn(`Context ${id}: a run passed ${limit}; interrupting it.`);
    void this.registry.interrupt(id).catch((e: unknown) => this.logger.warn(`Interrupting ${id}: ${String(e)}`));
    let grace: Disposable | undefined;
    const ended = await Promise.race([
      run.then(
        () => true,
        () => true,
      ),
      new Promise<boolean>(
        (resolve) => (grace = this.timer.setTimeout(() => resolve(false), OVERRUN_INTERRUPT_GRACE_MS)),
      ),
    ]);
    grace?.dispose();
    if (ended) {
      return `The run was stopped at ${limit}: it was interrupted, and the context keeps its variables.`;
    }
    this.logger.warn(`Context ${id}: the interrupt did not take; restarting its kernel.`);
    await this.registry.restart(id).catch((e: unknown) => this.logger.warn(`Restarting ${id}: ${String(e)}`));
    return (
      `The run was stopped at ${limit}: it ignored the interrupt for ${OVERRUN_INTERRUPT_GRACE_MS / 1000} s, ` +
      'so its kernel was restarted and its variables are gone.'
    );
  }

  /** Why the lifecycle shut this context down, while it is remembered and not yet used again. */
  shutdownCause(id: string): AgentShutdownCause | undefined {
    return this.gone.get(id);
  }

  /** The context's age and idle time; undefined for contexts the lifecycle does not manage. */
  activity(id: string): AgentActivity | undefined {
    const t = this.tracked.get(id);
    return t && { createdAt: t.createdAt, idleSince: t.running === 0 ? t.lastUsedAt : undefined };
  }

  /** The ids of the agent contexts holding (or about to hold) a kernel. */
  managedIds(): string[] {
    return [...this.tracked.keys()];
  }

  dispose(): void {
    for (const sub of this.subs.splice(0)) {
      sub.dispose();
    }
    for (const t of this.tracked.values()) {
      t.idleTimer?.dispose();
    }
    this.tracked.clear();
  }

  /** A context was added or changed: it starts or stops being managed (attached contexts hold no kernel). */
  private review(id: string): void {
    const info = this.registry.get(id);
    const managed = info !== undefined && isManagedAgentContext(info);
    if (!managed) {
      this.untrack(id);
      return;
    }
    if (this.tracked.has(id)) {
      return;
    }
    // A new context under a remembered id: a later call there must not be told of a loss it did not have.
    this.gone.delete(id);
    this.track(id);
    // After the current task: `attach` adds a context and attaches it right after, and then it holds no kernel.
    queueMicrotask(() => {
      if (this.tracked.has(id)) {
        this.enforceCap(id);
      }
    });
  }

  private track(id: string): void {
    if (this.tracked.has(id)) {
      return;
    }
    const at = this.now();
    const t: Tracked = { createdAt: at, lastUsedAt: at, running: 0, idleTimer: undefined };
    this.tracked.set(id, t);
    this.scheduleIdle(id, t);
  }

  private untrack(id: string): void {
    this.tracked.get(id)?.idleTimer?.dispose();
    this.tracked.delete(id);
  }

  private renamed(oldId: string, newId: string): void {
    const t = this.tracked.get(oldId);
    this.tracked.delete(oldId);
    const info = this.registry.get(newId);
    if (t && info && isManagedAgentContext(info)) {
      this.tracked.set(newId, t);
      if (t.running === 0) {
        this.scheduleIdle(newId, t);
      }
    } else {
      t?.idleTimer?.dispose();
    }
  }

  private started(id: string): void {
    const t = this.tracked.get(id);
    if (!t) {
      return;
    }
    t.running++;
    t.lastUsedAt = this.now();
    t.idleTimer?.dispose();
    t.idleTimer = undefined;
  }

  private ended(id: string): void {
    const t = this.tracked.get(id);
    if (!t) {
      return;
    }
    t.running = Math.max(0, t.running - 1);
    t.lastUsedAt = this.now();
    if (t.running === 0) {
      this.scheduleIdle(id, t);
    }
  }

  /** (Re)arms the idle shutdown for the deadline `lastUsedAt + idle minutes` (at once when it is past). */
  private scheduleIdle(id: string, t: Tracked): void {
    t.idleTimer?.dispose();
    t.idleTimer = undefined;
    const minutes = this.limits.idleShutdownMinutes;
    if (minutes <= 0) {
      return;
    }
    const delay = Math.max(0, t.lastUsedAt + minutes * 60_000 - this.now());
    t.idleTimer = this.timer.setTimeout(() => {
      t.idleTimer = undefined;
      if (this.tracked.get(id) !== t) {
        return;
      }
      if (this.isBusy(id, t)) {
        // Its kernel is still working (a start or restart): look again a full idle period later.
        t.lastUsedAt = this.now();
        this.scheduleIdle(id, t);
        return;
      }
      this.shutDown(id, { kind: 'idle', minutes });
    }, delay);
  }

  /** Shuts the least recently used idle contexts down while more than the cap hold a kernel; `spare` is never one. */
  private enforceCap(spare?: string): void {
    const cap = this.limits.maxContexts;
    if (cap <= 0) {
      return;
    }
    let over = this.tracked.size - cap;
    if (over <= 0) {
      return;
    }
    const idle = [...this.tracked]
      .filter(([id, t]) => id !== spare && !this.isBusy(id, t))
      .sort(([, a], [, b]) => a.lastUsedAt - b.lastUsedAt);
    for (const [id] of idle) {
      if (over-- <= 0) {
        break;
      }
      this.shutDown(id, { kind: 'cap', maxContexts: cap });
    }
    if (this.tracked.size > cap) {
      this.logger.info(
        `${this.tracked.size} agent contexts hold a kernel (kernelIslands.agents.maxContexts=${cap}): the others are busy, and a busy one is never shut down; the next new agent context makes room among the idle ones.`,
      );
    }
  }

  /** A run queued or running, or a kernel working on something (a start, a restart): never shut down then. */
  private isBusy(id: string, t: Tracked): boolean {
    const state = this.registry.get(id)?.state;
    return t.running > 0 || state === 'busy' || state === 'starting' || state === 'restarting';
  }

  private shutDown(id: string, cause: AgentShutdownCause): void {
    this.untrack(id);
    this.remember(id, cause);
    this.logger.info(agentShutdownNotice(id, cause).replace(/; this run started a fresh kernel\.$/, '.'));
    void this.registry.shutdown(id).catch((err: unknown) => {
      this.logger.warn(`Shutting agent context ${id} down: ${String(err)}`);
    });
  }

  private remember(id: string, cause: AgentShutdownCause): void {
    this.gone.delete(id);
    this.gone.set(id, cause);
    for (const oldest of this.gone.keys()) {
      if (this.gone.size <= this.remembered) {
        break;
      }
      this.gone.delete(oldest);
    }
  }
}

function normalize(limits: AgentLimits): AgentLimits {
  const finite = (n: number, fallback: number) => (Number.isFinite(n) && n >= 0 ? n : fallback);
  return {
    idleShutdownMinutes: finite(limits.idleShutdownMinutes, DEFAULT_AGENT_LIMITS.idleShutdownMinutes),
    maxContexts: Math.floor(finite(limits.maxContexts, DEFAULT_AGENT_LIMITS.maxContexts)),
    runTimeoutSeconds: finite(limits.runTimeoutSeconds ?? 0, 0),
  };
}
