/** The bench's side of the host extension's HTTP interface ({@link HostRequests}). */
import type { HostPath, HostRequests } from './hostProtocol';

export class BenchHost {
  constructor(
    private readonly port: number,
    private readonly token: string,
  ) {}

  /** One request; throws with the host's message when it fails. */
  async call<P extends HostPath>(path: P, request: HostRequests[P]['request']): Promise<HostRequests[P]['response']> {
    const res = await fetch(`http://127.0.0.1:${this.port}/${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-bench-token': this.token },
      body: JSON.stringify(request),
    });
    if (!res.ok) {
      throw new Error(`bench host ${path}: HTTP ${res.status}: ${await res.text()}`);
    }
    return (await res.json()) as HostRequests[P]['response'];
  }

  /** Waits until the host extension answers and Kernel Islands is active. */
  async waitReady(timeoutMs: number): Promise<HostRequests['ready']['response']> {
    const deadline = Date.now() + timeoutMs;
    let last: unknown;
    while (Date.now() < deadline) {
      try {
        return await this.call('ready', {});
      } catch (err) {
        last = err;
        await new Promise((resolve) => setTimeout(resolve, 250));
      }
    }
    throw new Error(`the bench host extension did not answer within ${timeoutMs} ms: ${String(last)}`);
  }
}
