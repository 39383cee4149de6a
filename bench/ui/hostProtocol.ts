/**
 * What the UI bench (`bench/ui/run.ts`) asks of its host extension (`bench/ui/hostExtension`) over HTTP on
 * 127.0.0.1. Shared by both sides so they cannot drift apart; type-only apart from the names.
 */
import type { TraceMark } from '../../src/common/trace';

/** Environment variables through which the bench configures the host extension. */
export const HOST_ENV = {
  /** The loopback port the host extension listens on. */
  port: 'KI_BENCH_HOST_PORT',
  /** Every request must carry this in the `x-bench-token` header. */
  token: 'KI_BENCH_HOST_TOKEN',
} as const;

/** Requests (POST, JSON body) and what each answers. */
export interface HostRequests {
  /** Kernel Islands is active; answers once it is. */
  ready: { request: Record<string, never>; response: { vscode: string; node: string; tracing: boolean } };
  /**
   * Runs `code` `count` times one after another in `target` (a URI string or a context name) through the exported
   * API and times each call in the extension host; `expect`: text the outputs must contain. `shutdownAfter`: the
   * context is shut down after the runs (a fresh context per sample leaves no kernel behind).
   */
  execute: {
    request: { target: string; code: string; count: number; expect?: string; shutdownAfter?: boolean };
    response: { ms: number[] };
  };
  /** Runs a VS Code command, its string arguments that parse as URIs passed as `vscode.Uri`. */
  command: { request: { command: string; uriArgs?: string[] }; response: { ok: true } };
  /** Shuts the target's context down (its kernel exits). */
  shutdown: { request: { target: string }; response: { ok: true } };
  /** The live contexts (id and state). */
  contexts: { request: Record<string, never>; response: { contexts: Array<{ id: string; state: string }> } };
  /** The product's trace marks since the last call (empty when tracing is off). */
  trace: { request: Record<string, never>; response: { marks: TraceMark[] } };
}

export type HostPath = keyof HostRequests;
