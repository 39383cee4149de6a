/**
 * The one way Kernel Islands makes an authenticated HTTP request to a Jupyter Server, its launcher routes or a
 * JupyterHub: the URL joined with {@link apiUrl}, the `Authorization` header, and a timeout that composes with the
 * caller's own abort signal. Plain `fetch`, as `@jupyterlab/services` uses.
 */

/** Joins a server base URL (with or without trailing slash) and an API path. */
export function apiUrl(baseUrl: string, apiPath: string): string {
  return `${baseUrl.replace(/\/+$/, '')}/${apiPath.replace(/^\/+/, '')}`;
}

/** How the token is presented: Jupyter Server and JupyterHub take `token <t>`; OAuth-style services `Bearer <t>`. */
type AuthScheme = 'token' | 'Bearer';

/** Options of {@link authorizedFetch}. */
export interface AuthorizedRequestOptions {
  /** Sent as `Authorization: <scheme> <token>`; no header when empty or absent. Never logged. */
  token?: string;
  /** Default `token`. */
  scheme?: AuthScheme;
  /** Default `GET`. */
  method?: string;
  /** Sent as JSON (with `Content-Type: application/json`) when given. */
  body?: unknown;
  /** More request headers, e.g. `Accept`. */
  headers?: Record<string, string>;
  /**
   * Aborts the request, including the reading of its body, after this long with a {@link RequestTimeoutError}.
   * No timeout when absent (a long-lived stream, which the caller ends through `signal`).
   */
  timeoutMs?: number;
  /** The caller's own abort signal; it composes with the timeout. */
  signal?: AbortSignal;
}

/**
 * The request (or the reading of its answer) took longer than its timeout. The message names the method and the
 * URL's path, never its query or the token. Its `name` is that of the `AbortSignal.timeout` error it replaces.
 */
export class RequestTimeoutError extends Error {
  override readonly name = 'TimeoutError';
  constructor(
    readonly method: string,
    readonly path: string,
    readonly timeoutMs: number,
  ) {
    super(`${method} ${path} got no answer within ${timeoutMs} ms`);
  }
}

/** The URL's path only: a query could carry a credential. */
function pathOf(url: string): string {
  try {
    return new URL(url).pathname;
  } catch {
    // Not a URL: fetch will say so; the error names no path.
    return '(invalid URL)';
  }
}

/**
 * One authenticated request to `path` under `baseUrl`. Resolves with the response whatever its status; rejects as
 * `fetch` does (see {@link describeFetchError}), or with a {@link RequestTimeoutError} once `timeoutMs` has passed.
 */
export function authorizedFetch(
  baseUrl: string,
  path: string,
  options: AuthorizedRequestOptions = {},
): Promise<Response> {
  const url = apiUrl(baseUrl, path);
  const method = options.method ?? 'GET';
  const headers: Record<string, string> = {
    ...(options.token ? { Authorization: `${options.scheme ?? 'token'} ${options.token}` } : {}),
    ...(options.body !== undefined ? { 'Content-Type': 'application/json' } : {}),
    ...options.headers,
  };
  const signals = options.signal ? [options.signal] : [];
  if (options.timeoutMs !== undefined) {
    const timeout = new AbortController();
    const timeoutMs = options.timeoutMs;
    // Like AbortSignal.timeout: unref'd, so a pending timeout alone does not keep Node running.
    setTimeout(() => timeout.abort(new RequestTimeoutError(method, pathOf(url), timeoutMs)), timeoutMs).unref();
    signals.push(timeout.signal);
  }
  return fetch(url, {
    method,
    headers,
    body: options.body !== undefined ? JSON.stringify(options.body) : undefined,
    signal: signals.length > 1 ? AbortSignal.any(signals) : signals[0],
  });
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
