import type * as nbformat from '@jupyterlab/nbformat';
import type { Disposable } from '../common/disposable';
import type { Event } from '../common/event';
import type { PythonEnvironment } from '../python/pythonEnvironment';
import type { CompletionResult } from './session/completion';
import type { DapEvent, DapRequest, DapResponse } from './debug/dapMessages';
import type { RunGroup } from './registry/runGroup';

export type IOutput = nbformat.IOutput;

/** What a user sees about a kernel. */
export type KernelState =
  'not-started' | 'starting' | 'idle' | 'busy' | 'restarting' | 'reconnecting' | 'dead' | 'shutdown';

type ExecutionStatus = 'ok' | 'error' | 'aborted';

/** The outcome of one `execute`. `outputs` only ever holds outputs whose parent msg_id is this request's. */
export interface ExecutionResult {
  status: ExecutionStatus;
  executionCount: number | null;
  outputs: IOutput[];
  /** Set when status is 'error' (kernel error) or 'aborted' (why the run did not complete). */
  error?: { ename: string; evalue: string; traceback: string[] };
  /** Wall time from sending the request to its reply, in milliseconds. */
  durationMs: number;
  /** The answers to `ExecuteOptions.userExpressions`, by name (set when the kernel answered any). */
  userExpressions?: Record<string, UserExpressionResult>;
}

/** A request for input from the kernel (`input()`, `getpass()`). Resolve undefined to cancel. */
export interface StdinRequest {
  prompt: string;
  password: boolean;
}

/**
 * An output event while a request runs. `clear` mirrors `clear_output` (wait=true means
 * "clear when the next output arrives"); `update` mirrors `update_display_data` for a display id.
 */
export type OutputEvent =
  | { kind: 'output'; output: IOutput }
  | { kind: 'clear'; wait: boolean }
  | { kind: 'update'; displayId: string; output: IOutput };

export interface ExecuteOptions {
  /** Called for each output of this request as it arrives (already attributed by msg_id). */
  onOutput?: (e: OutputEvent) => void;
  /** Answers `input()`; when absent the kernel is told stdin is not allowed. */
  onStdin?: (request: StdinRequest) => Promise<string | undefined>;
  /** Silent runs do not count executions nor broadcast; used for set-up code. */
  silent?: boolean;
  storeHistory?: boolean;
  /**
   * Expressions the kernel evaluates after the code, in the user's namespace, answered in the reply (not on iopub):
   * name → expression. Kernels without support (IRkernel) answer none.
   */
  userExpressions?: Record<string, string>;
}

/** One user expression's answer: a mime bundle, or the error it raised. */
export type UserExpressionResult =
  { status: 'ok'; data: Record<string, unknown> } | { status: 'error'; ename: string; evalue: string };

/** A kernel's `inspect_request` answer: a mime bundle (`text/plain`, often `text/html`) when it found the name. */
export interface InspectResult {
  found: boolean;
  data: Record<string, unknown>;
}

/** Why a session's in-kernel state is gone. */
export interface StateLostEvent {
  reason: 'kernel-died' | 'server-died' | 'restarted';
  message: string;
}

/** One kernel, wrapped. Implementations: `WebSocketKernelSession` (server websocket) and `ZmqKernelSession` (direct ZMQ). */
export interface KernelSession extends Disposable {
  /** Kernel id on its server. */
  readonly id: string;
  /** Kernelspec name, e.g. `python3`. */
  readonly kernelName: string;
  /** Kernel language from the spec (`python`, `R`, ...). */
  readonly language: string;
  readonly state: KernelState;
  readonly executionCount: number | null;
  readonly onDidChangeState: Event<KernelState>;
  /** Fires when the kernel's state is lost (crash, server death, restart). */
  readonly onDidLoseState: Event<StateLostEvent>;
  execute(code: string, options?: ExecuteOptions): Promise<ExecutionResult>;
  /**
   * Asks the kernel to complete `code` at UTF-16 offset `cursor` (`complete_request`). Not a run: no execution
   * count, no history. A busy kernel answers after its current run.
   */
  complete(code: string, cursor: number): Promise<CompletionResult>;
  /**
   * Asks the kernel about the name at UTF-16 offset `cursor` in `code` (`inspect_request`). Not a run either.
   * `detailLevel` 1 asks for more (IPython: the source). Rejects when the session ended.
   */
  inspect(code: string, cursor: number, detailLevel?: 0 | 1): Promise<InspectResult>;
  /**
   * Sends a DAP request to the kernel's debugger (`debug_request` on the control channel, so it is answered while a
   * run executes or sits paused at a breakpoint). Resolves with the `debug_reply` content: `null` or `{}` from an
   * ipykernel without debugpy. A kernel without the debug protocol (IRkernel, ipykernel < 6) never answers: callers
   * bound the wait (`kernels/debug/debuggerSupport`). Rejects when the session ended.
   */
  debugRequest(request: DapRequest): Promise<DapResponse | null>;
  /** The DAP events the kernel's debugger sends (`debug_event` on iopub). */
  readonly onDebugEvent: Event<DapEvent>;
  interrupt(): Promise<void>;
  /** Restarts the kernel; pending requests end with status 'aborted'. */
  restart(): Promise<void>;
  /** Shuts the kernel down on the server and disposes the session. */
  shutdown(): Promise<void>;
}

/**
 * What a context is: a saved document (`file`, local or remote), an `untitled` buffer, a `notebook`, a context an
 * agent named (`agent:…`), or any other `named` one (API callers, scripts).
 */
export type ContextKind = 'file' | 'untitled' | 'notebook' | 'named' | 'agent';

/** Where and how a context's kernel should run. Built by `contextSpec` (kernels/contextSpec.ts) and its callers. */
export interface ContextSpec {
  /** Canonical id: a document/notebook URI string, or a free string such as `agent:chat-42`. */
  id: string;
  kind: ContextKind;
  /** Short name for people: file name, notebook name or the string id. */
  label: string;
  /**
   * Kernelspec to start; the registry's default when absent. A project environment's kernel is named after its
   * interpreter (`environmentKernelName`, `ki-env-…`): the local server runs `<python> -m ipykernel_launcher`.
   */
  kernelName?: string;
  /** Working directory for the kernel (the document's folder). */
  cwd?: string;
  /** File path, exposed as `__file__` for Python. */
  file?: string;
  /** Name of the Jupyter Server to start the kernel on (`local` or a configured remote); the default when absent. */
  server?: string;
}

/** A snapshot of one context for lists and views. */
export interface ContextInfo {
  id: string;
  kind: ContextKind;
  label: string;
  kernelName: string;
  kernelId: string;
  state: KernelState;
  executionCount: number | null;
  /** Set when this context shares another context's kernel on purpose. */
  attachedTo?: string;
  /** Name of the Jupyter Server its kernel runs on (`local` or a configured remote server); set by the registry. */
  server: string;
  /** The project environment its kernel runs in; absent for the server's own Python and other kernelspecs. */
  environment?: PythonEnvironment;
  /**
   * True when its kernel runs in an agent's sandbox (own namespaces, no network, its own work folder: see
   * `kernels/agentSandbox`). `kernelName` is then the kernelspec run inside it.
   */
  sandboxed?: boolean;
}

/** Execution lifecycle events that the UI observes (results panel, inline results). */
export type ExecutionEvent =
  | { type: 'start'; contextId: string; runId: number; code: string; source: string }
  | { type: 'output'; contextId: string; runId: number; event: OutputEvent }
  | { type: 'end'; contextId: string; runId: number; result: ExecutionResult };

/** Options for one run through the registry. */
export interface RunOptions extends Pick<ExecuteOptions, 'onOutput' | 'onStdin'> {
  /** Who asked (for the UI): 'editor', 'notebook', 'api', ... */
  source?: string;
  /** The sequence the run belongs to: one at a time in the kernel, and stop on error (see `RunGroup`). */
  group?: RunGroup;
  /**
   * Called when the kernel starts the run (with its 'start' event), before any of its outputs; never for a run that
   * ends without starting (dropped before it was sent, or aborted by its group).
   */
  onStart?(): void;
}

/** How a context changed, for views and the status bar. */
export interface ContextChangeEvent {
  type: 'added' | 'changed' | 'removed' | 'renamed' | 'state-lost';
  context: ContextInfo;
  /** For 'renamed': the id before. */
  oldId?: string;
  /** For 'state-lost': what happened, in words a user understands. */
  message?: string;
  /** For 'state-lost': why, so the UI can tell a crash from a restart the user asked for. */
  reason?: StateLostEvent['reason'] | 'not-restored';
}

/**
 * Maps context ids to kernel sessions. Get-or-start is deduplicated per context; each context has a FIFO
 * queue; different contexts run in parallel. Implemented by `ContextRegistry`.
 */
export interface IContextRegistry extends Disposable {
  readonly onDidChangeContexts: Event<ContextChangeEvent>;
  readonly onDidExecute: Event<ExecutionEvent>;
  /** Runs `code` in the context's kernel (starting it if needed), after the runs queued before it. */
  execute(spec: ContextSpec, code: string, options?: RunOptions): Promise<ExecutionResult>;
  /** Returns the context's session, starting it if needed (deduplicated). */
  getOrStart(spec: ContextSpec): Promise<KernelSession>;
  /**
   * Completions from the context's kernel for `code` at UTF-16 offset `cursor`; undefined when the context has no
   * live kernel (completing never starts one). Not a run: it bypasses the FIFO and counts nothing.
   */
  complete(id: string, code: string, cursor: number): Promise<CompletionResult | undefined>;
  get(id: string): ContextInfo | undefined;
  /**
   * The context's kernel when it is running, idle and has no run queued: for looks that must neither start a
   * kernel nor wait behind the user's runs (variables, hovers). Undefined otherwise.
   */
  idleSession(id: string): KernelSession | undefined;
  list(): ContextInfo[];
  interrupt(id: string): Promise<void>;
  /**
   * Ends the runs of `group` that wait in the context's queue as aborted (`runs-stopped`), without their reaching
   * the kernel; the group's run in the kernel is left alone (`interrupt` stops it).
   */
  stopWaiting(id: string, group: RunGroup): void;
  /** Restarts the context's kernel; queued runs end as 'aborted' with "aborted: kernel restarted". */
  restart(id: string): Promise<void>;
  /** Shuts the context's kernel down and forgets the context. */
  shutdown(id: string): Promise<void>;
  /**
   * Disposes the context after `delayMs` unless `cancelScheduledShutdown` is called first (e.g. reopen), or `keep`
   * (asked when the time comes) says it is wanted after all.
   */
  scheduleShutdown(id: string, delayMs: number, keep?: () => boolean): void;
  cancelScheduledShutdown(id: string): void;
  /** Moves a context to a new id (file rename, Save As), keeping its kernel. */
  rename(oldId: string, newId: string, label?: string): void;
  /** Makes `id` share `targetId`'s kernel on purpose, until `detach(id)`. */
  attach(id: string, targetId: string): void;
  detach(id: string): void;
}

/** Where a context's code runs: its working directory and, for files, the file (`__file__` in Python). */
export interface SetupTarget {
  cwd?: string;
  file?: string;
}

/** Starts kernel sessions and prepares them for a context. Implemented by `JupyterSessionFactory`. */
export interface SessionFactory {
  /**
   * Starts a ready session of a kernelspec on the named server (the default server when absent); rejects with the
   * available kernelspecs when the name is unknown.
   */
  start(kernelName: string, server?: string): Promise<KernelSession>;
  /** Runs the silent set-up (cwd, `__file__`); the same for cold and pooled kernels. */
  setUp(session: KernelSession, target: SetupTarget): Promise<void>;
  /**
   * Connects to a kernel that is already running (after a window reload); undefined when the server no
   * longer has it. Optional: without it, restored contexts start fresh kernels.
   */
  connect?(kernelId: string, kernelName: string, server?: string): Promise<KernelSession | undefined>;
}

/** A warm kernel handed to a context: one that was ready, or a start already in flight. */
export interface PooledKernel {
  /** Resolves with the session (at once when it was ready); rejects when a handed-over start fails. */
  readonly session: Promise<KernelSession>;
  /**
   * Tells the pool the taker's first result is back (or it gave up), so the pool may start a replacement now
   * without slowing that first result. Safe to call twice.
   */
  release(): void;
}

/** Hands out warm sessions. Implemented by `KernelPool`. */
export interface SessionSource {
  /** An unused kernel of `kernelName`, ready or still starting; undefined when none is warm or warming. */
  take(kernelName: string): PooledKernel | undefined;
}

/** Schedules callbacks; passed in so unit tests control time. */
export interface Timer {
  setTimeout(callback: () => void, ms: number): Disposable;
}
