import { makeServerSettings } from './jupyterServices';
import type { Logger } from '../common/log';
import { callLifeline, heartbeatIntervalMs, isLoopbackUrl, type LifelineAnswer, type LifelineTarget } from './lifeline';
import { isProcessAlive, processTable } from './processTree';
import type { ServerHandle } from './serverHandle';
import { probeServer } from './serverStatus';
import type { JupyterServerConnection } from './types';

/** A local server an earlier extension host started and left running (persisted across a window reload). */
export interface AdoptableServer extends LifelineTarget {
  /** Launcher process id: used to wait for the process to end after a stop. */
  pid: number;
}

/** Options for {@link AdoptedServer.claim}. */
interface ClaimOptions {
  server: AdoptableServer;
  /** This host's id: the lease belongs to it, and only it may renew or release it. */
  hostId: string;
  graceSeconds: number;
  logger: Logger;
}

/** What {@link adoptServer} needs: where to read the saved server, and what to do once it is ours. */
interface AdoptOptions extends Omit<ClaimOptions, 'server'> {
  adopt: () => Promise<AdoptableServer | undefined>;
  onAdopted?: (connection: JupyterServerConnection) => Promise<void>;
}

/**
 * Reads the saved server, claims it and runs `onAdopted` before anyone else may use it (so that pruning
 * unclaimed kernels cannot race a new start). Undefined when there is nothing to adopt.
 */
export async function adoptServer(
  options: AdoptOptions,
): Promise<{ handle: AdoptedServer; connection: JupyterServerConnection } | undefined> {
  const { logger } = options;
  const saved = await options.adopt().catch((err: unknown) => {
    logger.warn(`Could not read the saved Jupyter Server: ${String(err)}`);
    return undefined;
  });
  const handle = saved && (await AdoptedServer.claim({ ...options, server: saved }));
  if (!saved || !handle) {
    return undefined;
  }
  const wsUrl = saved.baseUrl.replace(/^http:/, 'ws:');
  const settings = makeServerSettings({
    baseUrl: saved.baseUrl,
    wsUrl,
    token: saved.token,
  });
  const connection: JupyterServerConnection = { kind: 'local', name: 'local', settings, pid: handle.pid };
  try {
    await options.onAdopted?.(connection);
  } catch (err) {
    logger.warn(`After adopting the Jupyter Server: ${err instanceof Error ? err.message : String(err)}`);
  }
  return { handle, connection };
}

/** How long a claim refused because the server is still owned is retried. */
const CLAIM_RETRY_MS = 5000;

/** Consecutive unanswered heartbeats after which the server counts as dead. */
const MAX_MISSED_HEARTBEATS = 2;

/**
 * Holds an adopted server's lease: heartbeats renew it, and when they are refused or go unanswered the
 * server is reported gone (`exited`). Created only by {@link AdoptedServer.claim}.
 */
class AdoptedServer implements ServerHandle {
  readonly exited: Promise<string>;
  private resolveExited: (why: string) => void = () => undefined;
  private timer: NodeJS.Timeout | undefined;
  private missed = 0;
  private ended = false;

  private constructor(private readonly options: ClaimOptions) {
    this.exited = new Promise((resolve) => (this.resolveExited = resolve));
    this.timer = setInterval(() => void this.beat(), heartbeatIntervalMs(options.graceSeconds));
    // The heartbeat alone must not keep a Node process (tests, bench) alive.
    this.timer.unref();
  }

  /**
   * Claims a persisted server. Resolves undefined (with the reason logged) when it is gone, refuses our
   * token, or still belongs to a live host; the caller then starts a fresh server.
   */
  static async claim(options: ClaimOptions): Promise<AdoptedServer | undefined> {
    const { server, logger } = options;
    if (!isLoopbackUrl(server.baseUrl)) {
      logger.warn('Not adopting the saved Jupyter Server: its address is not on 127.0.0.1.');
      return undefined;
    }
    const probe = await probeServer(server.baseUrl, server.token, 2000);
    if (!('status' in probe) || probe.status !== 200) {
      const why = 'status' in probe ? `HTTP ${probe.status}` : probe.unreachable;
      logger.info(`The Jupyter Server of the previous window is gone (${why}); starting a new one.`);
      return undefined;
    }
    const answer = await claimWhenFree(options);
    if (!('status' in answer) || answer.status !== 200) {
      const why = 'status' in answer ? `HTTP ${answer.status}: ${answer.reason}` : answer.unreachable;
      logger.warn(`Could not adopt the Jupyter Server of the previous window (${why}); starting a new one.`);
      return undefined;
    }
    return new AdoptedServer(options);
  }

  get pid(): number {
    return this.options.server.pid;
  }

  stderrTail(): string {
    return '';
  }

  release(): void {
    if (this.end('released')) {
      void callLifeline(this.options.server, 'release', { host: this.options.hostId }).then((answer) => {
        if (!('status' in answer) || answer.status !== 200) {
          this.options.logger.warn('Could not release the Jupyter Server; it stops after its grace period.');
        }
      });
    }
  }

  async stop(timeoutMs: number): Promise<string> {
    if (!this.end('stopped')) {
      return this.exited;
    }
    await callLifeline(this.options.server, 'stop', { host: this.options.hostId });
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline && (await isProcessAlive(this.pid))) {
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    if (await isOurLauncher(this.pid)) {
      this.options.logger.warn(`Jupyter Server (pid ${this.pid}) did not stop within ${timeoutMs} ms; killing it.`);
      await killTree(this.pid, this.options.logger);
    }
    return 'stopped on request';
  }

  private async beat(): Promise<void> {
    if (this.ended) {
      return;
    }
    const answer = await callLifeline(this.options.server, 'heartbeat', {
      host: this.options.hostId,
      graceSeconds: this.options.graceSeconds,
    });
    if ('status' in answer && answer.status === 200) {
      this.missed = 0;
    } else if ('status' in answer) {
      // 409: another window claimed it; 410: it is stopping. Either way it is not ours to use any more.
      this.end(`lease refused (HTTP ${answer.status}: ${answer.reason})`);
    } else if (++this.missed >= MAX_MISSED_HEARTBEATS) {
      this.end(`no answer to heartbeats (${answer.unreachable})`);
    }
  }

  /** Stops the heartbeat and settles `exited`; false when it had already ended. */
  private end(why: string): boolean {
    if (this.ended) {
      return false;
    }
    this.ended = true;
    clearInterval(this.timer);
    this.resolveExited(why);
    return true;
  }
}

/**
 * The old window's extension host may still be shutting down (it holds the server until it exits), so a claim
 * refused as "owned" is retried for a few seconds before we give up and start a fresh server.
 */
async function claimWhenFree(options: ClaimOptions): Promise<LifelineAnswer> {
  const deadline = Date.now() + CLAIM_RETRY_MS;
  for (;;) {
    const answer = await callLifeline(options.server, 'claim', {
      host: options.hostId,
      graceSeconds: options.graceSeconds,
    });
    if (!('status' in answer) || answer.status !== 409 || Date.now() > deadline) {
      return answer;
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

/** True when `pid` still runs launcher.py (a pid can be reused by an unrelated process after it exits). */
async function isOurLauncher(pid: number): Promise<boolean> {
  if (!(await isProcessAlive(pid))) {
    return false;
  }
  const found = (await processTable().lookup([pid])).get(pid);
  return found?.commandLine.includes('launcher.py') ?? false;
}

/** Ends the launcher and its kernels the platform's way (`jupyter/processTree`: SIGKILL, or `taskkill /T /F`). */
async function killTree(pid: number, logger: Logger): Promise<void> {
  for (const failure of await processTable().killTree(pid)) {
    logger.warn(`Could not kill ${failure}`);
  }
}
