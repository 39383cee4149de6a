import { createParser } from 'eventsource-parser';
import { HubError, hubApiPath, hubMessage, serverPath } from './hubApi';
import { authorizedFetch, describeFetchError, RequestTimeoutError } from './jupyterRequest';

/** One event of the hub's spawn progress stream (`…/server/progress`), as JupyterHub sends it. */
export interface HubProgressEvent {
  /** 0–100. */
  progress?: number;
  message?: string;
  ready?: boolean;
  failed?: boolean;
  /** Set on the ready event: the server's path. */
  url?: string;
}

/** One progress event as a log line: `progress 40%: Pulling image…` (the extension's log and the MCP server's stderr). */
export function progressLine(e: HubProgressEvent): string {
  return `progress ${e.progress ?? '?'}%: ${e.message ?? ''}`;
}

/** Keeps only the fields we use, from one `data:` line's JSON; undefined when it is not an object. */
export function parseProgressData(data: string): HubProgressEvent | undefined {
  let raw: unknown;
  try {
    raw = JSON.parse(data);
  } catch {
    return undefined;
  }
  if (typeof raw !== 'object' || raw === null) {
    return undefined;
  }
  const r = raw as Record<string, unknown>;
  return {
    progress: typeof r.progress === 'number' ? r.progress : undefined,
    message: typeof r.message === 'string' ? r.message : undefined,
    ready: r.ready === true ? true : undefined,
    failed: r.failed === true ? true : undefined,
    url: typeof r.url === 'string' ? r.url : undefined,
  };
}

/**
 * Follows a spawn's progress stream until the hub says ready (resolves with the server's path) or failed (rejects
 * with the hub's own message). Each event is handed to `onEvent` as it arrives. The stream is an event-stream;
 * `eventsource-parser` reads it. A stream that ends without either, or outlives `timeoutMs`, rejects too.
 */
export async function followSpawn(
  hubUrl: string,
  user: string,
  serverName: string,
  token: string,
  options: { onEvent: (e: HubProgressEvent) => void; timeoutMs: number; signal?: AbortSignal },
): Promise<string> {
  let response: Response;
  try {
    // The timeout covers the whole stream, not only its first answer.
    response = await authorizedFetch(hubUrl, hubApiPath(`${serverPath(user, serverName)}/progress`), {
      token,
      headers: { Accept: 'text/event-stream' },
      timeoutMs: options.timeoutMs,
      signal: options.signal,
    });
  } catch (err) {
    throw streamError(err, options.timeoutMs, hubUrl);
  }
  if (response.status !== 200 || !response.body) {
    const text = await response.text();
    let said: string | undefined;
    try {
      said = hubMessage(JSON.parse(text));
    } catch {
      said = undefined;
    }
    throw new HubError(
      `JupyterHub could not report the start's progress (HTTP ${response.status}${said ? `: ${said}` : ''}).`,
      response.status === 403 ? 'refused' : 'spawn-failed',
      response.status,
    );
  }
  let outcome: { ready: string } | { failed: string } | undefined;
  const parser = createParser({
    onEvent: (e) => {
      const event = parseProgressData(e.data);
      if (!event || outcome) {
        return;
      }
      options.onEvent(event);
      if (event.failed) {
        outcome = { failed: event.message ?? 'Spawn failed' };
      } else if (event.ready) {
        outcome = { ready: event.url ?? '' };
      }
    },
  });
  const decoder = new TextDecoder();
  const reader = response.body.getReader();
  try {
    while (!outcome) {
      const { done, value } = await reader.read();
      if (done) {
        break;
      }
      parser.feed(decoder.decode(value, { stream: true }));
    }
  } catch (err) {
    throw streamError(err, options.timeoutMs, hubUrl);
  } finally {
    await reader.cancel().catch(() => undefined);
  }
  if (!outcome) {
    throw new HubError('JupyterHub ended the progress stream without saying the server is ready.', 'spawn-failed');
  }
  if ('failed' in outcome) {
    throw new HubError(`JupyterHub could not start the server: ${outcome.failed}`, 'spawn-failed');
  }
  return outcome.ready;
}

function streamError(err: unknown, timeoutMs: number, hubUrl: string): HubError {
  if (err instanceof RequestTimeoutError) {
    return new HubError(
      `The server did not start within ${Math.round(timeoutMs / 1000)} s; JupyterHub is still trying, or gave up without saying why.`,
      'spawn-timeout',
    );
  }
  return new HubError(
    `Lost JupyterHub at ${hubUrl} while the server started: ${describeFetchError(err)}.`,
    'unreachable',
  );
}
