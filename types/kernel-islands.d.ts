/**
 * Public API of the Kernel Islands extension (`kernelislands.kernel-islands`), version 1.
 *
 * ```ts
 * const ext = vscode.extensions.getExtension<KernelIslandsApi>('kernelislands.kernel-islands');
 * const api = await ext!.activate();
 * const r = await api.execute('agent:chat-42', 'x = 41\nx + 1');
 * ```
 *
 * Every target names one context, and every context has its own kernel: two callers that name different
 * contexts never share state; callers that name the same context share it and their runs are serialized (FIFO).
 * Different contexts run in parallel.
 *
 * Stability: members are only added within `apiVersion` 1; a breaking change raises `apiVersion`.
 */
import type * as vscode from 'vscode';

/** An nbformat v4 output (`stream`, `display_data`, `execute_result` or `error`). */
export type NbOutput =
  | { output_type: 'stream'; name: 'stdout' | 'stderr'; text: string }
  | {
      output_type: 'display_data';
      data: Record<string, unknown>;
      metadata: Record<string, unknown>;
      transient?: unknown;
    }
  | {
      output_type: 'execute_result';
      execution_count: number | null;
      data: Record<string, unknown>;
      metadata: Record<string, unknown>;
    }
  | { output_type: 'error'; ename: string; evalue: string; traceback: string[] };

/** Where a context's kernel starts; used only when the call starts the context's kernel. */
export interface ExecuteOptions {
  /** Kernelspec, e.g. `python3` or `ir`; the `kernelIslands.defaultKernel` setting when absent. */
  kernelName?: string;
  /** `local` or the name of a server in `kernelIslands.servers`; `kernelIslands.defaultServer` when absent. */
  server?: string;
  /**
   * A Python interpreter, e.g. `/work/proj-a/.venv/bin/python` (added within apiVersion 1): a new context's kernel
   * runs in that environment (`<python> -m ipykernel_launcher`, on the local server, which needs nothing installed
   * there but ipykernel). Like `kernelName`, it applies when the context's kernel starts. Rejects, starting nothing
   * elsewhere, when that Python is missing or has no ipykernel; the message gives the fix.
   */
  python?: string;
}

export interface ExecuteResult {
  /** 'error' when the code raised; 'aborted' when it never completed (kernel restarted, died, or was shut down). */
  status: 'ok' | 'error' | 'aborted';
  /** The kernel's execution count for this run, or null when it did not run. */
  executionCount: number | null;
  /** Outputs of this run only, in order (attributed by the request's msg_id). */
  outputs: NbOutput[];
  /**
   * Set on the first run in an `agent:` context after Kernel Islands shut its kernel down (idle longer than
   * `kernelIslands.agents.idleShutdownMinutes`, or to stay within `kernelIslands.agents.maxContexts`): its variables
   * are gone and this run started a fresh kernel. The sentence says which, e.g. "Context agent:x was shut down after
   * 30 minutes idle (kernelIslands.agents.idleShutdownMinutes); its variables are gone; this run started a fresh
   * kernel."
   */
  notice?: string;
}

/**
 * What a context is: a saved document (`file`, local or remote), an `untitled` buffer, a `notebook`, an agent's
 * context (a string id starting `agent:`), or any other `named` context (a string id).
 */
export type ContextKind = 'file' | 'untitled' | 'notebook' | 'named' | 'agent';

export interface ContextSummary {
  /** The context id: a document or notebook URI string, or the free string the caller chose. */
  id: string;
  /** What the context is (added within apiVersion 1). */
  readonly kind: ContextKind;
  /** Kernelspec name, e.g. `python3`. */
  kernelName: string;
  /** The kernel's id on its Jupyter Server. */
  kernelId: string;
  /** 'starting' | 'idle' | 'busy' | 'restarting' | 'reconnecting' | 'dead' | ... */
  state: string;
  /** The server the kernel runs on: `local` or a configured remote server's name. */
  server: string;
  /**
   * The project's Python environment the kernel runs in (added within apiVersion 1): a venv, conda env or the
   * interpreter the folder's `kernelIslands.pythonPath` or the Python extension names. Absent when the kernel is
   * the server's own Python or another kernelspec.
   */
  environment?: PythonEnvironmentSummary;
  /**
   * True when the kernel runs in an agent's sandbox (added within apiVersion 1): its own process and network
   * namespaces, no network unless `kernelIslands.agents.network` allows it, the workspace read-only, a private
   * work folder, a minimal environment. Agent contexts (kind `agent`: `agent:…` ones, the `kernelIslands_runCode`
   * tool's, MCP sessions') are sandboxed unless `kernelIslands.agents.sandbox` is off; `kernelName` is then the
   * kernelspec run inside the sandbox. False for every other context.
   */
  readonly sandboxed: boolean;
}

/** A Python environment as `contexts()` reports it. */
export interface PythonEnvironmentSummary {
  /** Its interpreter, e.g. `/work/proj-a/.venv/bin/python`. */
  python: string;
  /** Its folder, e.g. `/work/proj-a/.venv`. */
  root: string;
  /** As the status bar shows it, e.g. `.venv (3.13)`. */
  label: string;
  /** The Python version the environment records, e.g. `3.13.1`, when it records one. */
  version?: string;
}

/**
 * A context target: a document or notebook URI (its own kernel, shared with that editor), or any string such as
 * `'agent:chat-42'`, which names a free-standing context. A string that is a document's or notebook's URI
 * (`file:…`, `untitled:…`, `vscode-remote:…`) names that document's context, as its `vscode.Uri` does.
 */
export type ContextTarget = vscode.Uri | string;

export interface KernelIslandsApi {
  /** 1 for this shape of the API. */
  readonly apiVersion: 1;
  /**
   * Runs `code` in the target's kernel, starting the kernel if needed, after runs queued before it. Resolves with
   * status 'error' when the code raised; rejects only when the kernel could not be started (unknown kernelspec,
   * unreachable server), with a message that says what to do.
   */
  execute(target: ContextTarget, code: string, options?: ExecuteOptions): Promise<ExecuteResult>;
  /** Every live context. */
  contexts(): ContextSummary[];
  /**
   * Interrupts the running code (KeyboardInterrupt in Python) and resolves once the kernel stopped. Rejects when the
   * kernel is still busy after `kernelIslands.interruptTimeoutSeconds` (code that ignores SIGINT): only `restart`
   * stops it then.
   */
  interrupt(target: ContextTarget): Promise<void>;
  /** Restarts the kernel: its state is cleared; queued runs end as 'aborted'. */
  restart(target: ContextTarget): Promise<void>;
  /** Shuts the kernel down and forgets the context. */
  shutdown(target: ContextTarget): Promise<void>;
}
