import type { LauncherExit, LauncherProcess } from './launcherProcess';

/**
 * Our hold on a running local server: either the launcher process we started (we hold its stdin) or a
 * server an earlier extension host started and we adopted (we renew its lease over HTTP).
 */
export interface ServerHandle {
  readonly pid: number | undefined;
  /** Resolves with a description once the server is gone, whoever ended it. */
  readonly exited: Promise<string>;
  /** Stops the server and its kernels now; resolves with how it ended once it is gone. */
  stop(timeoutMs: number): Promise<string>;
  /**
   * Lets go without stopping: the server keeps its kernels for its grace period, so the next extension
   * host (after a window reload) can adopt it; with no taker it stops by itself.
   */
  release(): void;
  /** The server's last log lines (token masked), for error messages; empty for adopted servers. */
  stderrTail(): string;
}

/** The handle of a server we launched ourselves. */
export function launchedHandle(launcher: LauncherProcess): ServerHandle {
  return {
    pid: launcher.pid,
    exited: launcher.exited.then(describeExit),
    stop: async (timeoutMs) => describeExit(await launcher.stop(timeoutMs)),
    release: () => launcher.release(),
    stderrTail: () => launcher.stderrTail(),
  };
}

/** "exit code 0", "signal SIGKILL" or why the interpreter did not run. */
export function describeExit(exit: LauncherExit): string {
  if (exit.spawnError) {
    return `could not run the interpreter: ${exit.spawnError}`;
  }
  return exit.signal ? `signal ${exit.signal}` : `exit code ${exit.code}`;
}
