/**
 * Driving code-server: installing vsix files into the run's extensions dir and starting/stopping the server on
 * a free loopback port. code-server is a real VS Code (server, web workbench, Node extension host).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, openSync } from 'node:fs';
import { createServer } from 'node:net';
import type { RunDir } from './runDir';

/** Runs a short code-server CLI command (install) and fails with its output when it exits non-zero. */
function runCli(codeServer: string, args: string[], env: NodeJS.ProcessEnv): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(codeServer, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr.on('data', (d: Buffer) => (output += d.toString()));
    child.on('error', reject);
    child.on('exit', (code) =>
      code === 0 ? resolve(output) : reject(new Error(`code-server ${args.join(' ')} exited ${code}:\n${output}`)),
    );
  });
}

/** Installs each vsix into the run's extensions dir (a copied folder would be ignored by code-server). */
export async function installExtensions(
  codeServer: string,
  run: RunDir,
  vsixFiles: string[],
  env: NodeJS.ProcessEnv,
): Promise<void> {
  const args = ['--user-data-dir', run.userDataDir, '--extensions-dir', run.extensionsDir, '--config', run.configFile];
  for (const vsix of vsixFiles) {
    args.push('--install-extension', vsix);
  }
  const output = await runCli(codeServer, [...args, '--force'], env);
  const listed = await runCli(codeServer, [...args.slice(0, 6), '--list-extensions'], env);
  if (listed.trim().split('\n').length < vsixFiles.length) {
    throw new Error(`expected ${vsixFiles.length} installed extensions, got:\n${listed}\ninstall said:\n${output}`);
  }
}

/** Asks the OS for a free loopback port (bind :0, read, close); a lost race shows up as a start failure. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() =>
        typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port')),
      );
    });
  });
}

/** A started code-server. */
export interface RunningCodeServer {
  url: string;
  pid: number;
  /** SIGTERM to the server, SIGKILL to its process group after `graceMs`; resolves when the server exited. */
  stop(graceMs?: number): Promise<void>;
}

/** Options for {@link startCodeServer}. */
export interface StartOptions {
  codeServer: string;
  run: RunDir;
  env: NodeJS.ProcessEnv;
  logFile: string;
  readyTimeoutMs?: number;
  /** Keep workspace trust on (the trust test): the folder then opens in Restricted Mode. Off by default. */
  workspaceTrust?: boolean;
}

export async function startCodeServer(options: StartOptions): Promise<RunningCodeServer> {
  const { run } = options;
  const port = await freePort();
  const args = [
    '--auth',
    'none',
    '--bind-addr',
    `127.0.0.1:${port}`,
    '--config',
    run.configFile,
    '--user-data-dir',
    run.userDataDir,
    '--extensions-dir',
    run.extensionsDir,
    '--disable-telemetry',
    '--disable-update-check',
    ...(options.workspaceTrust ? [] : ['--disable-workspace-trust']),
    '--disable-getting-started-override',
    '--ignore-last-opened',
    run.workspace,
  ];
  const log = openSync(options.logFile, 'a');
  // detached: its own process group, so stop() reaches the extension host and whatever it spawned.
  const child = spawn(options.codeServer, args, { env: options.env, detached: true, stdio: ['ignore', log, log] });
  closeSync(log);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const url = `http://127.0.0.1:${port}/`;
  try {
    await waitForHttp(new URL('healthz', url).href, options.readyTimeoutMs ?? 30_000, () =>
      child.exitCode !== null
        ? `code-server exited with ${child.exitCode} before it was ready (see code-server.log)`
        : undefined,
    );
  } catch (err) {
    await stopGroup(child, exited, 2_000);
    throw err;
  }
  return { url, pid: child.pid ?? -1, stop: (graceMs = 10_000) => stopGroup(child, exited, graceMs) };
}

/**
 * Polls `url` every 250 ms until it answers 2xx; throws after `timeoutMs` with the last answer, or at once when
 * `gone()` says the server's process ended (its words go in the error).
 */
export async function waitForHttp(url: string, timeoutMs: number, gone?: () => string | undefined): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let lastError = 'no answer yet';
  while (Date.now() < deadline) {
    const why = gone?.();
    if (why) {
      throw new Error(why);
    }
    try {
      const res = await fetch(url);
      if (res.ok) {
        return;
      }
      lastError = `HTTP ${res.status}`;
    } catch (err) {
      lastError = String(err);
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`${url} did not answer within ${timeoutMs} ms: ${lastError}`);
}

/**
 * Stops code-server as a user would (SIGTERM to the server process only), so its extension host and whatever
 * the extension started must end by themselves; the caller checks that. SIGKILL to the whole group after
 * `graceMs` is the safety net.
 */
async function stopGroup(child: ChildProcess, exited: Promise<void>, graceMs: number): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null || child.pid === undefined) {
    return;
  }
  child.kill('SIGTERM');
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<'timeout'>((resolve) => (timer = setTimeout(() => resolve('timeout'), graceMs)));
  const outcome = await Promise.race([exited, timedOut]);
  clearTimeout(timer);
  if (outcome === 'timeout') {
    killGroup(child.pid, 'SIGKILL');
    await exited;
  }
}

function killGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ESRCH') {
      throw err;
    }
  }
}
