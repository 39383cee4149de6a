import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { chooseFreePort } from '../../../src/jupyter/freePort';
import { findProcesses } from '../../../src/jupyter/processTree';
import { TEST_PYTHON } from '../fixtures/localServer';
import { GATEWAY_CONFIG_PY } from './gatewayConfig';
import { createNetworkNamespace, type NetworkNamespace } from './netns';

/** Gateway-like behaviours switched on by `gatewayConfig.py`. */
export interface GatewayBehaviour {
  refuseKernelList?: boolean;
  kernelLimit?: number;
  /** A Python kernelspec of this name that only this server has (the local server does not). */
  ownKernelspec?: string;
}

/**
 * A Jupyter Server that plays a remote server: in a network namespace of its own when the machine allows it
 * (a different address, reached over a veth pair), else on loopback. Its own token and base_url.
 */
export class RemoteTestServer {
  readonly token = randomBytes(24).toString('hex');
  readonly baseUrl: string;
  /** Why the server runs on loopback instead of in its own namespace; undefined when it has its own. */
  readonly loopbackReason: string | undefined;
  private process: ChildProcess | undefined;
  private readonly dir = realpathSync(mkdtempSync(path.join(os.tmpdir(), 'ki-remote-')));

  private constructor(
    private readonly ns: NetworkNamespace | undefined,
    private readonly address: string,
    private readonly port: number,
    private readonly behaviour: GatewayBehaviour,
    loopbackReason: string | undefined,
  ) {
    this.baseUrl = `http://${address}:${port}/gw/`;
    this.loopbackReason = loopbackReason;
  }

  static async start(behaviour: GatewayBehaviour = {}): Promise<RemoteTestServer> {
    const ns = createNetworkNamespace();
    const server =
      typeof ns === 'string'
        ? new RemoteTestServer(undefined, '127.0.0.1', await chooseFreePort(), behaviour, ns)
        : new RemoteTestServer(ns, ns.nsAddress, 20000 + Math.floor(Math.random() * 20000), behaviour, undefined);
    try {
      await server.launch();
    } catch (err) {
      await server.dispose();
      throw err;
    }
    return server;
  }

  /** The server's root directory (`ServerApp.root_dir`); the server process runs in our working directory. */
  get rootDir(): string {
    return this.dir;
  }

  /** The address as a URL host: the namespace's 10.x address, or 127.0.0.1. */
  get host(): string {
    return `${this.address}:${this.port}`;
  }

  /** Starts the server process (again, after `stop`) on the same address, port, token and base_url. */
  async launch(): Promise<void> {
    const config = path.join(this.dir, 'gateway_config.py');
    writeFileSync(config, GATEWAY_CONFIG_PY);
    if (this.behaviour.ownKernelspec) {
      const specDir = path.join(this.dir, 'data', 'kernels', this.behaviour.ownKernelspec);
      mkdirSync(specDir, { recursive: true });
      const argv = [TEST_PYTHON, '-m', 'ipykernel_launcher', '-f', '{connection_file}'];
      const spec = { argv, display_name: `${this.behaviour.ownKernelspec} (remote only)`, language: 'python' };
      writeFileSync(path.join(specDir, 'kernel.json'), JSON.stringify(spec));
    }
    const args = [
      '-m',
      'jupyter_server',
      `--ServerApp.ip=${this.address}`,
      `--ServerApp.port=${this.port}`,
      '--ServerApp.port_retries=0',
      '--ServerApp.base_url=/gw/',
      '--ServerApp.allow_root=True',
      '--ServerApp.open_browser=False',
      `--ServerApp.root_dir=${this.dir}`,
      `--config=${config}`,
    ];
    const command = this.ns ? ['ip', ['netns', 'exec', this.ns.name, TEST_PYTHON, ...args]] : [TEST_PYTHON, args];
    const env = {
      ...process.env,
      JUPYTER_TOKEN: this.token,
      JUPYTER_RUNTIME_DIR: path.join(this.dir, 'runtime'),
      JUPYTER_CONFIG_DIR: path.join(this.dir, 'config'),
      JUPYTER_DATA_DIR: path.join(this.dir, 'data'),
      KI_REFUSE_KERNEL_LIST: this.behaviour.refuseKernelList ? '1' : '0',
      KI_KERNEL_LIMIT: String(this.behaviour.kernelLimit ?? 0),
    };
    const child = spawn(command[0] as string, command[1] as string[], { env, stdio: ['ignore', 'ignore', 'pipe'] });
    let log = '';
    child.stderr?.on('data', (d: Buffer) => (log = (log + d.toString()).slice(-4000)));
    this.process = child;
    await this.waitReady(child, () => log);
  }

  private async waitReady(child: ChildProcess, log: () => string): Promise<void> {
    const deadline = Date.now() + 30_000;
    while (Date.now() < deadline) {
      if (child.exitCode !== null) {
        throw new Error(`The remote test server exited (${child.exitCode}): ${log()}`);
      }
      try {
        const r = await fetch(`${this.baseUrl}api/status`, { headers: { Authorization: `token ${this.token}` } });
        if (r.status === 200) {
          return;
        }
      } catch {
        // Not listening yet: poll again below.
      }
      await new Promise((resolve) => setTimeout(resolve, 150));
    }
    throw new Error(`The remote test server did not answer within 30 s: ${log()}`);
  }

  /**
   * Stops the server and any kernel it left behind. `crash` kills it at once (a machine or process crash: kernels
   * get no shutdown message); otherwise it shuts down gracefully and ends its kernels itself.
   */
  async stop(options: { crash?: boolean } = {}): Promise<void> {
    const child = this.process;
    this.process = undefined;
    if (child && child.exitCode === null && child.signalCode === null) {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill(options.crash ? 'SIGKILL' : 'SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(timer);
    }
    await killKernelsUnder(path.join(this.dir, 'runtime'));
  }

  async dispose(): Promise<void> {
    await this.stop();
    this.ns?.remove();
    rmSync(this.dir, { recursive: true, force: true });
  }
}

/** Kernels get `-f <runtime dir>/kernel-<id>.json`; any still running after their server stopped is killed. */
async function killKernelsUnder(runtimeDir: string): Promise<void> {
  for (const pid of await findProcesses((argv) => argv.some((arg) => arg.includes(runtimeDir)))) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // It exited since the scan.
    }
  }
}
