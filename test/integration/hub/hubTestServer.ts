import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { chooseFreePort } from '../../../src/jupyter/freePort';
import { findProcesses, listDescendants } from '../../../src/jupyter/processTree';

/** Debian's hub (package `jupyterhub`); its single-user server runs on Debian's python3 with jupyter_server. */
const JUPYTERHUB = '/usr/bin/jupyterhub';
const SINGLEUSER = '/usr/bin/jupyterhub-singleuser';
/** The proxy from npm (a devDependency): Debian's own proxy package cannot find its modules under this Node. */
const PROXY = path.resolve(__dirname, '../../../node_modules/.bin/configurable-http-proxy');

/** Users with behaviours the config below gives them. */
export const HUB_USERS = {
  /** Spawns fine. */
  ok: 'alice',
  /** A second user, to check no other user's servers are listed or touched. */
  other: 'bob',
  /** Its spawn fails in a pre-spawn hook with a message of ours. */
  broken: 'broken',
  /** Its server never answers: the hub gives up after its http_timeout (3 s) and says so. */
  sleepy: 'sleepy',
};
export const BROKEN_SPAWN_MESSAGE = 'no GPU nodes are free in partition gpu';

/**
 * A real JupyterHub (Debian 3.0) on loopback: dummy authenticator with one shared password, simple local-process
 * spawner (a subclass of it; user servers as our own processes, homes under this hub's temp dir), named servers allowed, and an
 * admin service token for the test's own admin calls. Every port is chosen free; state lives in a temp dir;
 * `dispose()` stops the hub, its proxy, user servers and their kernels, and checks none is left.
 */
export class HubTestServer {
  readonly password = randomBytes(12).toString('hex');
  readonly adminToken = randomBytes(24).toString('hex');
  readonly dir = realpathSync(mkdtempSync(path.join(os.tmpdir(), 'ki-hub-')));
  private child: ChildProcess | undefined;
  private log = '';

  private constructor(readonly port: number) {}

  /** The hub's public URL (the proxy), as users paste it. */
  get url(): string {
    return `http://127.0.0.1:${this.port}/`;
  }

  /** A user's home, where the simple spawner runs their servers. */
  home(user: string): string {
    return path.join(this.dir, 'home', user);
  }

  static async start(): Promise<HubTestServer> {
    const hub = new HubTestServer(await chooseFreePort());
    try {
      await hub.launch();
    } catch (err) {
      await hub.dispose();
      throw err;
    }
    return hub;
  }

  private async launch(): Promise<void> {
    const [hubPort, proxyApiPort] = [await chooseFreePort(), await chooseFreePort()];
    const config = path.join(this.dir, 'jupyterhub_config.py');
    writeFileSync(config, hubConfig(this.dir, this.port, hubPort, proxyApiPort));
    const child = spawn(JUPYTERHUB, ['-f', config], {
      cwd: this.dir,
      env: { ...process.env, KI_HUB_PASSWORD: this.password, KI_HUB_ADMIN_TOKEN: this.adminToken },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    child.stderr?.on('data', (d: Buffer) => (this.log = (this.log + d.toString()).slice(-8000)));
    this.child = child;
    const deadline = Date.now() + 60_000;
    while (Date.now() < deadline) {
      if (child.exitCode !== null) {
        throw new Error(`JupyterHub exited (${child.exitCode}): ${this.log}`);
      }
      try {
        const r = await fetch(`${this.url}hub/api/`);
        if (r.status === 200) {
          return;
        }
      } catch {
        // Not listening yet.
      }
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    throw new Error(`JupyterHub did not answer within 60 s: ${this.log}`);
  }

  /** The hub's recent log, for failure messages. */
  logTail(): string {
    return this.log;
  }

  /** One admin call (the test's own: creating users, stopping servers, revoking tokens). */
  async admin(method: string, apiPath: string, body?: unknown): Promise<{ status: number; body: unknown }> {
    const r = await fetch(`${this.url}hub/api/${apiPath}`, {
      method,
      headers: { Authorization: `token ${this.adminToken}`, 'Content-Type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await r.text();
    return { status: r.status, body: text ? (JSON.parse(text) as unknown) : undefined };
  }

  /** Makes sure a user exists. */
  async addUser(user: string): Promise<void> {
    const { status } = await this.admin('POST', `users/${user}`);
    if (status !== 201 && status !== 409) {
      throw new Error(`Creating hub user ${user}: HTTP ${status}`);
    }
  }

  /** Stops a user's server as an admin or the idle culler would, and waits until the hub says it is gone. */
  async stopServer(user: string, serverName = ''): Promise<void> {
    const where = serverName ? `users/${user}/servers/${serverName}` : `users/${user}/server`;
    const { status } = await this.admin('DELETE', where);
    if (status !== 202 && status !== 204) {
      throw new Error(`Stopping ${where}: HTTP ${status}`);
    }
    for (let i = 0; i < 100; i++) {
      const model = (await this.admin('GET', `users/${user}`)).body as { servers: Record<string, unknown> };
      if (!model.servers[serverName]) {
        return;
      }
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    throw new Error(`${where} did not stop`);
  }

  /** A token for a user, made by the admin (as a user would in the hub's token page). */
  async userToken(user: string, options: { expiresInSeconds?: number } = {}): Promise<{ token: string; id: string }> {
    const { status, body } = await this.admin('POST', `users/${user}/tokens`, {
      note: 'test',
      ...(options.expiresInSeconds ? { expires_in: options.expiresInSeconds } : {}),
    });
    if (status !== 201 && status !== 200) {
      throw new Error(`Token for ${user}: HTTP ${status}`);
    }
    const made = body as { token: string; id: string };
    return { token: made.token, id: made.id };
  }

  /** The user's tokens as the hub lists them (notes, expiry, scopes). */
  async tokens(
    user: string,
  ): Promise<Array<{ id: string; note: string; expires_at: string | null; scopes: string[] }>> {
    const { body } = await this.admin('GET', `users/${user}/tokens`);
    return (body as { api_tokens: Array<{ id: string; note: string; expires_at: string | null; scopes: string[] }> })
      .api_tokens;
  }

  /** Processes of this hub: its user servers and their kernels (their arguments name this hub's folder). */
  processes(): Promise<number[]> {
    return findProcesses((argv) => argv.some((a) => a.includes(this.dir)));
  }

  /** Stops the hub (which stops user servers and the proxy), kills anything of it left, removes its folder. */
  async dispose(): Promise<void> {
    const child = this.child;
    this.child = undefined;
    const family = child?.pid ? await listDescendants(child.pid) : [];
    if (child && child.exitCode === null && child.signalCode === null) {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
      await exited;
      clearTimeout(timer);
    }
    for (const pid of [...family, ...(await this.processes())]) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // Gone already: the hub stopped it.
      }
    }
    rmSync(this.dir, { recursive: true, force: true });
  }
}

function hubConfig(dir: string, port: number, hubPort: number, proxyApiPort: number): string {
  const runAsRoot = process.getuid?.() === 0;
  return `
import os
d = ${JSON.stringify(dir)}
c.JupyterHub.ip = '127.0.0.1'
c.JupyterHub.port = ${port}
c.JupyterHub.hub_ip = '127.0.0.1'
c.JupyterHub.hub_port = ${hubPort}
c.ConfigurableHTTPProxy.api_url = 'http://127.0.0.1:${proxyApiPort}'
c.ConfigurableHTTPProxy.command = [${JSON.stringify(PROXY)}]
c.JupyterHub.db_url = 'sqlite:///' + d + '/jupyterhub.sqlite'
c.JupyterHub.cookie_secret_file = d + '/cookie_secret'
c.JupyterHub.pid_file = d + '/hub.pid'
c.JupyterHub.cleanup_servers = True
c.JupyterHub.allow_named_servers = True
# A spawn always answers 202 at once, so every start goes through the progress stream.
c.JupyterHub.tornado_settings = {'slow_spawn_timeout': 0}
c.JupyterHub.authenticator_class = 'dummy'
c.DummyAuthenticator.password = os.environ['KI_HUB_PASSWORD']
c.SimpleLocalProcessSpawner.home_dir_template = d + '/home/{username}'
c.Spawner.notebook_dir = d + '/home/{username}'
c.Spawner.cmd = [${JSON.stringify(SINGLEUSER)}]
c.Spawner.args = ${runAsRoot ? "['--allow-root']" : '[]'}
c.Spawner.http_timeout = 60
c.JupyterHub.services = [{'name': 'ki-test-admin', 'api_token': os.environ['KI_HUB_ADMIN_TOKEN']}]
c.JupyterHub.load_roles = [{
    'name': 'ki-test-admin',
    'scopes': ['admin:users', 'admin:servers', 'tokens', 'list:users', 'read:users'],
    'services': ['ki-test-admin'],
}]

import asyncio
from jupyterhub.spawner import SimpleLocalProcessSpawner

class TestSpawner(SimpleLocalProcessSpawner):
    """The simple spawner; for one user it fails as a batch or Kubernetes spawner does, with a message for users."""
    async def start(self):
        if self.user.name == ${JSON.stringify(HUB_USERS.broken)}:
            await asyncio.sleep(0.5)
            error = RuntimeError('spawner failed')
            error.jupyterhub_message = ${JSON.stringify(BROKEN_SPAWN_MESSAGE)}
            raise error
        return await super().start()

c.JupyterHub.spawner_class = TestSpawner

def pre_spawn(spawner):
    if spawner.user.name == ${JSON.stringify(HUB_USERS.sleepy)}:
        spawner.cmd = ['/bin/sleep', '600', d]
        spawner.args = []
        spawner.http_timeout = 3
c.Spawner.pre_spawn_hook = pre_spawn
`;
}
