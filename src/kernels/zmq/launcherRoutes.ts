import type { Disposable } from '../../common/disposable';
import { authorizedFetch, describeFetchError } from '../../jupyter/jupyterRequest';

/** Where the local server is and how to authenticate (the token is a credential: never log it). */
export interface LauncherEndpoint {
  baseUrl: string;
  token: string;
}

/** A kernel's ZMQ endpoints and HMAC key, as the launcher's `ki/kernels/{id}/connection` returns them. */
export interface ConnectionInfo {
  transport: string;
  ip: string;
  shell_port: number;
  iopub_port: number;
  stdin_port: number;
  control_port: number;
  hb_port: number;
  signature_scheme: string;
  key: string;
}

/** The launcher has no such route (a server started by an older version of the extension) or no such kernel. */
export class RouteMissingError extends Error {
  override readonly name = 'RouteMissingError';
}

/** How long the launcher may take to answer a connection info request: it reads a file, no more. */
const CONNECTION_TIMEOUT_MS = 10_000;

function routePath(kernelId: string, what: string): string {
  return `ki/kernels/${encodeURIComponent(kernelId)}/${what}`;
}

/** Fetches a kernel's connection info from the launcher (local servers only: it holds the kernel's key). */
export async function fetchConnectionInfo(endpoint: LauncherEndpoint, kernelId: string): Promise<ConnectionInfo> {
  const response = await authorizedFetch(endpoint.baseUrl, routePath(kernelId, 'connection'), {
    token: endpoint.token,
    timeoutMs: CONNECTION_TIMEOUT_MS,
  });
  if (response.status === 404) {
    throw new RouteMissingError(`The local server has no connection info for kernel ${kernelId} (HTTP 404).`);
  }
  if (!response.ok) {
    throw new Error(`The local server refused the connection info of kernel ${kernelId} (HTTP ${response.status}).`);
  }
  const info = (await response.json()) as ConnectionInfo;
  if (!Number.isInteger(info.shell_port) || !Number.isInteger(info.iopub_port) || typeof info.key !== 'string') {
    throw new Error(`The local server sent malformed connection info for kernel ${kernelId}.`);
  }
  return info;
}

/** What the launcher's event stream reports about a kernel. */
export type KernelEvent = 'open' | 'ping' | 'restart' | 'dead' | 'removed';

interface KernelEventHandlers {
  onEvent(event: KernelEvent): void;
  /** The stream ended without a final event: the server went away, or the request failed. */
  onClose(reason: string): void;
}

/**
 * Subscribes to a kernel's restart/death events (one long-lived HTTP request). The server pushes the restarter's
 * callbacks as they happen, and the TCP connection drops when the server process dies.
 */
export function watchKernelEvents(
  endpoint: LauncherEndpoint,
  kernelId: string,
  handlers: KernelEventHandlers,
): Disposable {
  let stopped = false;
  let ended = false;
  const close = (reason: string): void => {
    if (!stopped && !ended) {
      ended = true;
      handlers.onClose(reason);
    }
  };
  // A long-lived stream: no timeout. Disposing aborts it; the server's death ends it.
  const abort = new AbortController();
  void (async () => {
    const response = await authorizedFetch(endpoint.baseUrl, routePath(kernelId, 'events'), {
      token: endpoint.token,
      signal: abort.signal,
    });
    if (response.status !== 200 || !response.body) {
      await response.body?.cancel();
      close(response.status === 404 ? 'removed' : `HTTP ${response.status}`);
      return;
    }
    const decoder = new TextDecoder();
    const reader = response.body.getReader();
    let pending = '';
    for (let read = await reader.read(); !read.done; read = await reader.read()) {
      pending += decoder.decode(read.value, { stream: true });
      let newline: number;
      while ((newline = pending.indexOf('\n')) >= 0) {
        const line = pending.slice(0, newline);
        pending = pending.slice(newline + 1);
        const event = parseEvent(line);
        if (event && !stopped) {
          ended ||= event === 'dead' || event === 'removed';
          handlers.onEvent(event);
        }
      }
    }
    close('the event stream ended');
  })().catch((err: unknown) => close(describeFetchError(err)));
  return {
    dispose: () => {
      stopped = true;
      abort.abort();
    },
  };
}

const events = new Set<string>(['open', 'ping', 'restart', 'dead', 'removed']);

function parseEvent(line: string): KernelEvent | undefined {
  try {
    const event = (JSON.parse(line) as { event?: unknown }).event;
    return typeof event === 'string' && events.has(event) ? (event as KernelEvent) : undefined;
  } catch {
    // A partial or foreign line carries no event we know; the stream goes on.
    return undefined;
  }
}
