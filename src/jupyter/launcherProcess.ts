import type { ChildProcess, SpawnOptions } from 'node:child_process';
import { existsSync } from 'node:fs';
import * as path from 'node:path';
import type { Logger } from '../common/log';
import { nodeChildProcess } from '../common/lazyNodeModules';
import { hostPlatform, type Platform } from '../common/platform';
import { processTable, type ProcessTable } from './processTree';
import { maskToken } from './token';

/** Starts a process; `child_process.spawn` in production, a wrapper in tests. */
export type SpawnFunction = (command: string, args: readonly string[], options: SpawnOptions) => ChildProcess;

/** How the launcher process ended. */
export interface LauncherExit {
  code: number | null;
  signal: NodeJS.Signals | null;
  /** Set when the process could not be started at all (e.g. ENOENT). */
  spawnError?: string;
}

interface LauncherOptions {
  python: string;
  launcherPath: string;
  port: number;
  rootDir: string;
  /** URL path prefix, e.g. `/` or `/jupyter/`. */
  baseUrl: string;
  token: string;
  graceSeconds: number;
  /** Keep IPython's history file in the server's IPython kernels; false starts them with in-memory history. */
  persistentHistory: boolean;
  env: NodeJS.ProcessEnv;
  spawn: SpawnFunction;
  logger: Logger;
  /** Where sandboxed kernels get their folders; the launcher makes (and removes) a temporary one when absent. */
  islandsDir?: string;
  /** Keep sandboxed kernels' folders when they end (`--keep-files`). */
  keepIslands?: boolean;
  /** The machine it runs on (the host's by default): on Windows no SIGTERM is sent. */
  platform?: Platform;
  /** Where its process tree is looked up and ended (the platform's by default). */
  processes?: ProcessTable;
}

/**
 * Variables that hold our credentials (`KERNEL_ISLANDS_MCP_TOKEN`, a hub or server token) or a Jupyter token:
 * every kernel inherits the launcher's environment, so they never reach it.
 */
const SECRET_ENV = /^(KERNEL_ISLANDS_.*|JUPYTER_TOKEN|JPY_API_TOKEN|JUPYTERHUB_API_TOKEN)$/i;

/** The environment without our credentials: what the server and every kernel it starts inherit. */
export function withoutSecrets(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  return Object.fromEntries(Object.entries(env).filter(([name]) => !SECRET_ENV.test(name)));
}

const STDERR_TAIL_LINES = 40;

/**
 * Finds `launcher.py`: next to the bundle in `dist/`, or next to this file when run from `src/` by tsx.
 */
export function resolveLauncherPath(dir: string = __dirname): string {
  const candidates = [path.join(dir, 'launcher.py'), path.join(dir, '..', 'dist', 'launcher.py')];
  const found = candidates.find((p) => existsSync(p));
  if (!found) {
    throw new Error(
      `Kernel Islands is missing its launcher.py (looked in ${candidates.join(', ')}). Reinstall the extension.`,
    );
  }
  return found;
}

/**
 * One run of `python launcher.py`. We hold its stdin open for its whole life: when this process dies,
 * the pipe closes and the launcher stops the server and its kernels.
 */
export class LauncherProcess {
  readonly exited: Promise<LauncherExit>;
  /** Resolves when the launcher reports that it has bound its port (never, if it fails first). */
  readonly listening: Promise<void>;
  private onListening: () => void = () => undefined;
  private readonly child: ChildProcess;
  private readonly tail: string[] = [];
  private exitInfo: LauncherExit | undefined;

  constructor(private readonly options: LauncherOptions) {
    const args = [
      options.launcherPath,
      '--port',
      String(options.port),
      '--root-dir',
      options.rootDir,
      '--base-url',
      options.baseUrl,
      ...(options.islandsDir ? ['--islands-dir', options.islandsDir] : []),
    ];
    const env = {
      ...withoutSecrets(options.env),
      ...(options.keepIslands ? { KI_KEEP_ISLANDS: '1' } : {}),
      JUPYTER_TOKEN: options.token,
      KI_GRACE_SECONDS: String(options.graceSeconds),
      KI_IPYTHON_HISTORY: options.persistentHistory ? 'file' : 'memory',
      PYTHONUNBUFFERED: '1',
    };
    this.child = options.spawn(options.python, args, { env, stdio: ['pipe', 'pipe', 'pipe'], cwd: options.rootDir });
    this.exited = new Promise((resolve) => {
      this.child.once('error', (err: NodeJS.ErrnoException) => {
        this.finish({ code: null, signal: null, spawnError: err.code ?? err.message }, resolve);
      });
      this.child.once('exit', (code, signal) => this.finish({ code, signal }, resolve));
    });
    // A write to a dead child's stdin emits EPIPE; the exit handler already reports the death.
    this.child.stdin?.on('error', (err) => options.logger.warn(`Jupyter launcher stdin: ${err.message}`));
    this.listening = new Promise((resolve) => (this.onListening = resolve));
    this.collect(this.child.stdout, (line) => this.readEvent(line));
    this.collect(this.child.stderr, (line) => this.addLine(line));
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  get hasExited(): boolean {
    return this.exitInfo !== undefined;
  }

  /** The last lines the server wrote, with the token masked. */
  stderrTail(): string {
    return this.tail.join('\n');
  }

  /**
   * Closes our end of its stdin without a signal: the launcher keeps serving for its grace period so that
   * a later extension host can adopt it, and stops by itself if none does (grace 0: it stops at once).
   */
  release(): void {
    this.child.stdin?.end();
  }

  /**
   * Asks the launcher to stop (stdin EOF, and SIGTERM off Windows: it shuts its kernels down), then ends the
   * launcher and whatever it left behind if it has not exited within `timeoutMs`. On Windows Node's SIGTERM would
   * end the launcher at once, leaving its kernels: there stdin EOF alone asks, and `taskkill /T /F` ends the tree.
   */
  async stop(timeoutMs: number): Promise<LauncherExit> {
    if (this.exitInfo) {
      return this.exitInfo;
    }
    this.child.stdin?.end();
    if ((this.options.platform ?? hostPlatform()).os !== 'win32') {
      this.child.kill('SIGTERM');
    }
    const timer = new Promise<'timeout'>((resolve) => setTimeout(() => resolve('timeout'), timeoutMs).unref());
    if ((await Promise.race([this.exited, timer])) === 'timeout') {
      this.options.logger.warn(
        `Jupyter Server (pid ${this.pid}) did not stop within ${timeoutMs} ms; killing it and its kernels.`,
      );
      await this.killTree();
    }
    return this.exited;
  }

  private async killTree(): Promise<void> {
    const pid = this.child.pid;
    const processes = this.options.processes ?? processTable(this.options.platform);
    for (const failure of pid === undefined ? [] : await processes.killTree(pid)) {
      this.options.logger.warn(`Could not kill ${failure}`);
    }
    // The launcher itself, whatever the table could do (a second kill of an ended process does nothing).
    this.child.kill('SIGKILL');
  }

  private finish(info: LauncherExit, resolve: (info: LauncherExit) => void): void {
    if (!this.exitInfo) {
      this.exitInfo = info;
      resolve(info);
    }
  }

  private collect(stream: NodeJS.ReadableStream | null, onLine: (line: string) => void): void {
    if (!stream) {
      return;
    }
    let pending = '';
    stream.setEncoding('utf8');
    stream.on('data', (chunk: string) => {
      const lines = (pending + chunk).split(/\r?\n/);
      pending = lines.pop() ?? '';
      lines.forEach(onLine);
    });
    stream.on('end', () => pending && onLine(pending));
  }

  /** stdout carries the launcher's JSON events; anything else there is treated as log output. */
  private readEvent(line: string): void {
    let event: { event?: unknown } | undefined;
    try {
      event = line.startsWith('{') ? (JSON.parse(line) as { event?: unknown }) : undefined;
    } catch {
      // A log line that happens to start with "{": log it below like any other.
      event = undefined;
    }
    if (event?.event === 'listening') {
      this.onListening();
    } else {
      this.addLine(line);
    }
  }

  private addLine(raw: string): void {
    if (!raw.trim()) {
      return;
    }
    const line = maskToken(raw, this.options.token);
    this.tail.push(line);
    if (this.tail.length > STDERR_TAIL_LINES) {
      this.tail.shift();
    }
    this.options.logger.info(`[jupyter] ${line}`);
  }
}

/** True when the launcher failed because its port was taken between our choosing and its binding. */
export function isPortClash(stderrTail: string): boolean {
  return /address already in use|port \d+ is already in use|no available port/i.test(stderrTail);
}

/** `child_process.spawn`, without a console window on Windows. */
export const defaultSpawn: SpawnFunction = (command, args, options) =>
  nodeChildProcess().spawn(command, [...args], { windowsHide: true, ...options });
