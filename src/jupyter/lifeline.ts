import { authorizedFetch, describeFetchError } from './jupyterRequest';

/**
 * What an extension host asks of a local server's lifeline (`POST {base}ki/lifeline`, see server_lifeline.py):
 * - `claim`: become its owner after the previous owner went away (only within the grace period);
 * - `heartbeat`: the owner is still alive, keep serving for another grace period;
 * - `release`: the owner leaves; the server stops after the grace period unless another host claims it;
 * - `stop`: stop the server and its kernels now.
 */
type LifelineAction = 'claim' | 'heartbeat' | 'release' | 'stop';

/** The launcher's answer: an HTTP status (200 ok, 409 owned by someone else, 410 stopping), or no answer. */
export type LifelineAnswer = { status: number; reason: string } | { unreachable: string };

/** Where a local server listens and how to prove we may talk to it. Never log: it holds the token. */
export interface LifelineTarget {
  baseUrl: string;
  token: string;
}

/** One lifeline request. Never throws. */
export async function callLifeline(
  target: LifelineTarget,
  action: LifelineAction,
  body: { host: string; graceSeconds?: number },
  timeoutMs = 3000,
): Promise<LifelineAnswer> {
  try {
    const response = await authorizedFetch(target.baseUrl, 'ki/lifeline', {
      method: 'POST',
      token: target.token,
      body: { action, ...body },
      timeoutMs,
    });
    const text = await response.text();
    return { status: response.status, reason: readReason(text) };
  } catch (err) {
    return { unreachable: describeFetchError(err) };
  }
}

function readReason(text: string): string {
  try {
    const parsed = JSON.parse(text) as { status?: unknown };
    return typeof parsed.status === 'string' ? parsed.status : text.slice(0, 200);
  } catch {
    // Tornado's own error pages are HTML; a short excerpt is enough for the log.
    return text.slice(0, 200);
  }
}

/** Heartbeats come often enough that two can be lost before a lease of `graceSeconds` runs out. */
export function heartbeatIntervalMs(graceSeconds: number): number {
  return Math.min(5000, Math.max(250, (graceSeconds * 1000) / 3));
}

/**
 * Only a server on this machine's loopback may receive our token: the persisted URL comes from storage
 * another program could have edited.
 */
export function isLoopbackUrl(baseUrl: string): boolean {
  try {
    const url = new URL(baseUrl);
    return url.protocol === 'http:' && url.hostname === '127.0.0.1';
  } catch {
    // Not a URL at all: certainly not ours.
    return false;
  }
}
