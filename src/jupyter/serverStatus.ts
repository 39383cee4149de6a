/** Result of one `GET /api/status`: an HTTP status, or why there was no answer. */
export type StatusProbe = { status: number } | { unreachable: string };

/** Joins a server base URL (with or without trailing slash) and an API path. */
export function apiUrl(baseUrl: string, apiPath: string): string {
  return `${baseUrl.replace(/\/+$/, '')}/${apiPath.replace(/^\/+/, '')}`;
}

/** One authenticated `GET` of `apiPath` (default `api/status`). Never throws. */
export async function probeServer(
  baseUrl: string,
  token: string,
  timeoutMs: number,
  apiPath = 'api/status',
): Promise<StatusProbe> {
  try {
    const response = await fetch(apiUrl(baseUrl, apiPath), {
      headers: token ? { Authorization: `token ${token}` } : {},
      signal: AbortSignal.timeout(timeoutMs),
    });
    // Drain the body so the socket is released at once.
    await response.arrayBuffer();
    return { status: response.status };
  } catch (err) {
    return { unreachable: describeFetchError(err) };
  }
}

/** Options for {@link waitUntilReady}. */
export interface ReadinessOptions {
  baseUrl: string;
  token: string;
  timeoutMs: number;
  intervalMs?: number;
  /** Resolves (with a reason) if the server process goes away while we wait. */
  gone: Promise<string>;
}

/** Thrown by {@link waitUntilReady}; `kind` tells a port clash or crash from a slow start. */
export class ServerNotReadyError extends Error {
  override readonly name = 'ServerNotReadyError';
  constructor(
    message: string,
    readonly kind: 'exited' | 'timeout' | 'refused-token',
  ) {
    super(message);
  }
}

/** Polls `GET /api/status` with the token until it answers 200. */
export async function waitUntilReady(options: ReadinessOptions): Promise<void> {
  const interval = options.intervalMs ?? 50;
  const deadline = Date.now() + options.timeoutMs;
  let goneReason: string | undefined;
  void options.gone.then((reason) => (goneReason = reason));
  let last = 'no answer yet';
  while (Date.now() < deadline) {
    if (goneReason !== undefined) {
      throw new ServerNotReadyError(`the server exited before it was ready (${goneReason})`, 'exited');
    }
    const probe = await probeServer(options.baseUrl, options.token, Math.min(2000, options.timeoutMs));
    if ('status' in probe && probe.status === 200) {
      return;
    }
    if ('status' in probe && probe.status === 403) {
      throw new ServerNotReadyError('the server refused our token (403)', 'refused-token');
    }
    last = 'status' in probe ? `HTTP ${probe.status}` : probe.unreachable;
    await Promise.race([delay(interval), options.gone]);
  }
  if (goneReason !== undefined) {
    throw new ServerNotReadyError(`the server exited before it was ready (${goneReason})`, 'exited');
  }
  throw new ServerNotReadyError(`the server was not ready within ${options.timeoutMs} ms (last: ${last})`, 'timeout');
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Node's fetch hides the socket error in `cause`; surface it ("ECONNREFUSED", "ENOTFOUND", ...). */
export function describeFetchError(err: unknown): string {
  if (err instanceof Error) {
    const cause = (err as Error & { cause?: unknown }).cause;
    const code = cause && typeof cause === 'object' ? (cause as { code?: string }).code : undefined;
    if (err.name === 'TimeoutError' || err.name === 'AbortError') {
      return 'timed out';
    }
    return code ?? (cause instanceof Error ? cause.message : err.message);
  }
  return String(err);
}
