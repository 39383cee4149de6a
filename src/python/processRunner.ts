import type { ExecFileException } from 'node:child_process';
import { nodeChildProcess } from '../common/lazyNodeModules';

/** What happened when a short-lived process ran. */
export interface ProcessResult {
  /** Exit code, or null when the process did not exit normally (signal, timeout, not found). */
  code: number | null;
  stdout: string;
  stderr: string;
  /** Set when the process could not be run or was killed: `ENOENT`, `EACCES`, `TIMEOUT`, ... */
  errorCode?: string;
}

/** Runs `command args` to completion. Injected so unit tests need no real processes. */
export type ProcessRunner = (
  command: string,
  args: readonly string[],
  options: { timeoutMs: number; env?: NodeJS.ProcessEnv },
) => Promise<ProcessResult>;

/** The real runner: `execFile` without a shell (and without a console window on Windows), killed after `timeoutMs`. Never rejects. */
export const execFileRunner: ProcessRunner = (command, args, options) =>
  new Promise((resolve) => {
    nodeChildProcess().execFile(
      command,
      [...args],
      {
        timeout: options.timeoutMs,
        env: options.env,
        killSignal: 'SIGKILL',
        maxBuffer: 1024 * 1024,
        windowsHide: true,
      },
      (error, stdout, stderr) => {
        if (!error) {
          resolve({ code: 0, stdout, stderr });
          return;
        }
        const err = error as ExecFileException & { code?: number | string };
        const timedOut = err.killed === true && err.signal === 'SIGKILL';
        resolve({
          code: typeof err.code === 'number' ? err.code : null,
          stdout,
          stderr,
          errorCode: timedOut ? 'TIMEOUT' : typeof err.code === 'string' ? err.code : undefined,
        });
      },
    );
  });
