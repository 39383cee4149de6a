import { spawn, type ChildProcess } from 'node:child_process';
import * as os from 'node:os';
import { ServerConnection } from '@jupyterlab/services';
import { chooseFreePort } from '../src/jupyter/freePort';
import { waitUntilReady } from '../src/jupyter/serverStatus';
import { generateToken } from '../src/jupyter/token';

/** A Jupyter Server started the stock way, for the "server path without TCP_NODELAY" comparison. */
export interface PlainServer {
  settings: ServerConnection.ISettings;
  stop(): Promise<void>;
}

/**
 * Starts `python -m jupyter_server` with the stock websocket (Nagle on), bound to 127.0.0.1, with the
 * rate limit off so floods are delivered. The token goes through the environment, never argv.
 */
export async function startPlainServer(python: string): Promise<PlainServer> {
  const port = await chooseFreePort();
  const token = generateToken();
  const args = [
    '-m',
    'jupyter_server',
    '--ServerApp.ip=127.0.0.1',
    `--ServerApp.port=${port}`,
    '--ServerApp.port_retries=0',
    '--ServerApp.open_browser=False',
    `--ServerApp.root_dir=${os.tmpdir()}`,
    '--ServerApp.limit_rate=False',
    '--ServerApp.allow_root=True',
  ];
  const env = { ...process.env, JUPYTER_TOKEN: token, PYDEVD_DISABLE_FILE_VALIDATION: '1' };
  const child = spawn(python, args, { env, stdio: ['ignore', 'ignore', 'pipe'], cwd: os.tmpdir() });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-4000)));
  const exited = new Promise<string>((resolve) => {
    child.once('exit', (code, signal) => resolve(`exit ${code ?? signal}`));
    child.once('error', (err) => resolve(err.message));
  });
  const baseUrl = `http://127.0.0.1:${port}/`;
  try {
    await waitUntilReady({ baseUrl, token, timeoutMs: 30_000, gone: exited });
  } catch (err) {
    await stopChild(child, exited);
    throw new Error(`Plain Jupyter Server did not start: ${String(err)}\n${stderr}`);
  }
  const settings = ServerConnection.makeSettings({ baseUrl, wsUrl: `ws://127.0.0.1:${port}/`, token });
  return { settings, stop: () => stopChild(child, exited) };
}

/** SIGTERM (the server then shuts its kernels down), SIGKILL after 10 s. */
async function stopChild(child: ChildProcess, exited: Promise<string>): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) {
    return;
  }
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
  await exited;
  clearTimeout(timer);
}
