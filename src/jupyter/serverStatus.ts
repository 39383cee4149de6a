import { authorizedFetch, describeFetchError } from './jupyterRequest';

/** Result of one `GET /api/status`: an HTTP status, or why there was no answer. */
export type StatusProbe = { status: number } | { unreachable: string };

/** One authenticated `GET` of `apiPath` (default `api/status`). Never throws. */
export async function probeServer(
  baseUrl: string,
  token: string,
  timeoutMs: number,
  apiPath = 'api/status',
): Promise<StatusProbe> {
  try {
    const response = await authorizedFetch(baseUrl, apiPath, { token, timeoutMs });
    // Drain the body so the socket is released at once.
    await response.arrayBuffer();
    return { status: response.status };
  } catch (err) {
    return { unreachable: describeFetchError(err) };
  }
}

/** Options for {@link waitUntilReady}. */
interface ReadinessOptions {
  baseUrl: string;
  token: string;
  timeoutMs: number;
  intervalMs?: number;
  /** Resolves (with a reason) if the server process goes away while we wait. */
  gone: Promise<string>;
  /**
   * Resolves when our own process reports it has bound the port. Until then the token is not sent:
   * whoever else holds the port (a lost race) must not receive it.
   */
  listening?: Promise<void>;
}

/** Thrown by {@link waitUntilReady}; `kind` tells a port clash or crash from a slow start. */
class ServerNotReadyError extends Error {
  override readonly name = 'ServerNotReadyError';
  constructor(
    message: string,
    readonly kind: 'exited' | 'timeout' | 'refused-token',
  ) {
    super(message);
  }
}

/** Waits for `listening`, then polls `GET /api/status` with the token until it answers 200. */
export async function waitUntilReady(options: ReadinessOptions): Promise<void> {
  const interval = options.intervalMs ?? 50;
  const deadline = Date.now() + options.timeoutMs;
  const gone = options.gone.then((reason) => ({ reason }));
  const exited = (reason: string) =>
    new ServerNotReadyError(`the server exited before it was ready (${reason})`, 'exited');
  const timedOut = (last: string) =>
    new ServerNotReadyError(`the server was not ready within ${options.timeoutMs} ms (last: ${last})`, 'timeout');

  const bound = await Promise.race([
    (options.listening ?? Promise.resolve()).then(() => 'listening' as const),
    gone,
    delay(options.timeoutMs).then(() => 'timeout' as const),
  ]);
  if (bound === 'timeout') {
    throw timedOut('the server never reported its port as bound');
  }
  if (typeof bound === 'object') {
    throw exited(bound.reason);
  }
  let last = 'no answer yet';
  while (Date.now() < deadline) {
    const probe = await Promise.race([
      probeServer(options.baseUrl, options.token, Math.min(2000, options.timeoutMs)),
      gone,
    ]);
    if ('reason' in probe) {
      throw exited(probe.reason);
    }
    if ('status' in probe && probe.status === 200) {
      return;
    }
    if ('status' in probe && probe.status === 403) {
      throw new ServerNotReadyError('the server refused our token (403)', 'refused-token');
    }
    last = 'status' in probe ? `HTTP ${probe.status}` : probe.unreachable;
    const waited = await Promise.race([delay(interval), gone]);
    if (waited) {
      throw exited(waited.reason);
    }
  }
  throw timedOut(last);
}

/** A timer that does not keep Node alive on its own. */
function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms).unref());
}
