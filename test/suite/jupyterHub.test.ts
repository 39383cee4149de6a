/**
 * JupyterHub in the real extension host: a real hub (Debian's, on 127.0.0.1, started by the test) added through
 * "Add JupyterHub…" with a password, used through the API (which names hub servers like any other), stopped
 * under us through the hub's admin API, and signed in to again with a pasted token. Offers (Start Again) are
 * pressed through VS Code's `notification.acceptPrimaryAction`; which one was pressed is checked in the product log.
 */
import * as assert from 'node:assert/strict';
import { readdir, readFile, stat } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import * as vscode from 'vscode';
import type { KernelIslandsApi } from '../../types/kernel-islands';
import { TOKEN_NOTE } from '../../src/ui/servers/hubCommands';
import { HUB_USERS, HubTestServer } from '../integration/hub/hubTestServer';
import { localServerView } from './localServerProbe';
import { findContext, getApi, plainText, productLog, ScratchFolder, shutdownIfLive } from './util';
import { waitFor } from '../shared/poll';

const NAME = 'suite-hub';
const alice = HUB_USERS.ok;

function configuredHubs(): Array<Record<string, unknown>> {
  return vscode.workspace.getConfiguration('kernelIslands').get<Array<Record<string, unknown>>>('hubs') ?? [];
}

/** Files under `dir` (user data: settings, state databases, secret storage, logs) whose bytes contain `needle`. */
async function filesContaining(dir: string, needle: string): Promise<string[]> {
  const found: string[] = [];
  for (const entry of await readdir(dir, { recursive: true })) {
    const file = join(dir, entry);
    const info = await stat(file).catch(() => undefined);
    if (info?.isFile() && info.size < 50_000_000 && (await readFile(file)).includes(needle)) {
      found.push(file);
    }
  }
  return found;
}

async function logText(): Promise<string> {
  return readFile(await productLog(), 'utf8');
}

async function waitForLog(what: string, pattern: RegExp, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!pattern.test(await logText())) {
    assert.ok(Date.now() < deadline, `timed out waiting for the log to show ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

async function kernelsOn(hub: HubTestServer, path: string, token: string): Promise<string[]> {
  const r = await fetch(`${hub.url}user/${path}api/kernels`, { headers: { Authorization: `token ${token}` } });
  assert.equal(r.status, 200);
  return ((await r.json()) as Array<{ id: string }>).map((k) => k.id);
}

export function jupyterHubTests(): void {
  suite('JupyterHub', () => {
    let api: KernelIslandsApi;
    let hub: HubTestServer;
    const scratch = new ScratchFolder();
    const targets: Array<vscode.Uri | string> = [];

    suiteSetup(async function () {
      this.timeout(90_000);
      api = await getApi();
      hub = await HubTestServer.start();
      await hub.addUser(alice);
    });

    suiteTeardown(async function () {
      this.timeout(90_000);
      // Hub kernels outlive the window unless asked, like any remote kernel: this suite asks.
      for (const target of targets) {
        await shutdownIfLive(api, target).catch(() => undefined);
      }
      if (configuredHubs().some((h) => h.name === NAME)) {
        await vscode.commands.executeCommand('kernelIslands.removeJupyterHub', NAME);
      }
      const settings = vscode.workspace.getConfiguration('kernelIslands');
      if (String(settings.get('defaultServer') ?? '').startsWith(NAME)) {
        await settings.update('defaultServer', undefined, vscode.ConfigurationTarget.Global);
      }
      await hub?.dispose();
      await scratch.dispose();
      if (hub) {
        assert.deepEqual(await hub.processes(), [], 'no user server or kernel of the hub is left');
      }
    });

    test('a wrong password is refused with a clear message, and nothing is saved', async () => {
      await assert.rejects(
        Promise.resolve(
          vscode.commands.executeCommand('kernelIslands.addJupyterHub', {
            url: hub.url,
            user: alice,
            password: 'not-the-password',
            name: NAME,
          }),
        ),
        /did not accept the username or password.*Nothing was saved/,
      );
      assert.equal(configuredHubs().length, 0);
    });

    test('sign-in with a password makes a token with a note and an expiry; the password is stored nowhere', async function () {
      this.timeout(60_000);
      const added = await vscode.commands.executeCommand('kernelIslands.addJupyterHub', {
        url: `${hub.url}hub/home`,
        user: alice,
        password: hub.password,
        name: NAME,
        servers: ['gpu', 'cpu'],
      });
      assert.equal(added, NAME);
      assert.deepEqual(configuredHubs(), [{ name: NAME, url: hub.url, user: alice, servers: ['gpu', 'cpu'] }]);
      const made = (await hub.tokens(alice)).filter((t) => t.note === TOKEN_NOTE);
      assert.equal(made.length, 1, 'one token, under our note');
      assert.ok(made[0]?.expires_at, 'with an expiry');
      const results = process.env.KI_E2E_RESULTS;
      assert.ok(results, 'KI_E2E_RESULTS names the run folder');
      // Settings, state databases, secret storage and logs of this VS Code: the password is in none of them.
      assert.deepEqual(await filesContaining(join(dirname(results), 'user-data'), hub.password), []);
    });

    test('a run on the stopped hub server starts it with the hub progress; three files and an agent get four kernels', async function () {
      this.timeout(180_000);
      const files = await Promise.all([0, 1, 2].map((i) => scratch.file(`hub-${i}.py`, `v = ${i}\n`)));
      const agent = 'agent:suite-hub';
      const all = [...files, agent];
      targets.push(...all);
      const started = Date.now();
      const first = await api.execute(files[0] as vscode.Uri, 'import os\nv = 0\nprint(os.getcwd())', {
        server: NAME,
      });
      console.log(`      figure: hub server stopped → first result = ${Date.now() - started} ms`);
      assert.equal(plainText(first), hub.home(alice), 'the kernel runs in the user server, in the user home');
      const log = await logText();
      assert.match(log, new RegExp(`JupyterHub ${NAME}: progress \\d+%: Server requested`));
      assert.match(log, new RegExp(`JupyterHub ${NAME}: progress 100%: Server ready at /user/${alice}/`));
      await Promise.all(all.slice(1).map((t, i) => api.execute(t, `v = ${i + 1}`, { server: NAME })));
      const seen = await Promise.all(all.map((t) => api.execute(t, 'print(v)')));
      assert.deepEqual(seen.map(plainText), ['0', '1', '2', '3'], 'each context keeps its own v');
      const listed = all.map((t) => findContext(api, t));
      assert.ok(listed.every((c) => c?.server === NAME));
      const ids = new Set(listed.map((c) => c?.kernelId));
      assert.equal(ids.size, 4);
      const { token } = await hub.userToken(alice);
      const onHub = await kernelsOn(hub, `${alice}/`, token);
      assert.ok(
        [...ids].every((id) => onHub.includes(id ?? '')),
        'all four kernels are on the hub server',
      );
    });

    test('named servers: hub:alice/gpu and suite-hub/cpu are two servers, each running its own kernel', async function () {
      this.timeout(180_000);
      targets.push('agent:suite-hub-gpu', 'agent:suite-hub-cpu');
      const code = 'import os\nprint(os.environ["JUPYTERHUB_SERVER_NAME"])';
      const [gpu, cpu] = await Promise.all([
        api.execute('agent:suite-hub-gpu', code, { server: `hub:${alice}/gpu` }),
        api.execute('agent:suite-hub-cpu', code, { server: `${NAME}/cpu` }),
      ]);
      assert.deepEqual([plainText(gpu), plainText(cpu)], ['gpu', 'cpu']);
    });

    test('with the hub as kernelIslands.defaultServer the local warm pool keeps no kernels: nothing would take them', async function () {
      this.timeout(180_000);
      const local = 'agent:suite-hub-local';
      targets.push(local);
      const settings = () => vscode.workspace.getConfiguration('kernelIslands');
      // Kernels on the local server that no context holds: the warm pool's.
      const warmLocal = async (): Promise<number> => {
        const claimed = new Set(api.contexts().map((c) => c.kernelId));
        return (await localServerView()).kernelProcesses.filter((p) => !claimed.has(p.kernelId ?? '')).length;
      };
      // A local context warms the pool (as any earlier local run in the window did).
      await api.execute(local, '1', { server: 'local' });
      await waitFor('the warm pool to start a local kernel', async () => (await warmLocal()) > 0, 90_000, 250);
      try {
        await settings().update('defaultServer', NAME, vscode.ConfigurationTarget.Global);
        await waitFor('the warm local kernels to be shut down', async () => (await warmLocal()) === 0, 30_000, 250);
        const file = await scratch.file('hub-default.py', 'v = 9\n');
        targets.push(file);
        assert.equal(plainText(await api.execute(file, 'print(v := 9)')), '9');
        assert.equal(findContext(api, file)?.server, NAME, 'a file without a choice runs on the default server');
        assert.equal(await warmLocal(), 0, 'no warm kernel came back on the local server');
      } finally {
        await settings().update('defaultServer', undefined, vscode.ConfigurationTarget.Global);
      }
    });

    test('the hub stops the server: the context is told; the next run offers Start Again and runs, state lost', async function () {
      this.timeout(180_000);
      const id = 'agent:suite-hub-stop';
      targets.push(id);
      await api.execute(id, 'y = 41', { server: NAME });
      await hub.stopServer(alice);
      await waitForLog('the stop', /JupyterHub stopped the server "suite-hub" \(its idle culler or an admin\)/, 30_000);
      await waitFor('the context to show its kernel gone', () => findContext(api, id)?.state === 'dead', 30_000);
      // The state-lost notice (no button) comes 200 ms after the loss; once it is out, clear it, so the Start Again
      // question is the newest notification, the one notification.acceptPrimaryAction presses. (The kernel's own
      // start notification waits while the hub server asks: it would otherwise cover the question 0.5 s later.)
      await new Promise((resolve) => setTimeout(resolve, 1000));
      await vscode.commands.executeCommand('notifications.clearAll');
      // The context lost its kernel: its next run names its server again, as a new context would.
      const run = api.execute(id, 'print("y" in dir())', { server: NAME });
      let done = false;
      void run.finally(() => (done = true)).catch(() => undefined);
      const deadline = Date.now() + 120_000;
      while (!done && !/start again accepted/.test(await logText())) {
        assert.ok(Date.now() < deadline, 'the Start Again offer was shown and pressed');
        await vscode.commands.executeCommand('notification.acceptPrimaryAction');
        await new Promise((resolve) => setTimeout(resolve, 300));
      }
      const result = await run;
      assert.match(await logText(), /JupyterHub suite-hub: start again accepted/);
      assert.equal(plainText(result), 'False', 'a fresh kernel: the state is lost');
    });

    test('a pasted token signs in again; once revoked, a start is refused saying so', async function () {
      this.timeout(120_000);
      await assert.rejects(
        Promise.resolve(
          vscode.commands.executeCommand('kernelIslands.signInToJupyterHub', { name: NAME, token: 'f'.repeat(32) }),
        ),
        /refused the token.*Nothing was saved/,
      );
      const pasted = await hub.userToken(alice);
      assert.equal(
        await vscode.commands.executeCommand('kernelIslands.signInToJupyterHub', { name: NAME, token: pasted.token }),
        true,
      );
      targets.push('agent:suite-hub-pasted');
      const ok = await api.execute('agent:suite-hub-pasted', 'print(1 + 1)', { server: NAME });
      assert.equal(plainText(ok), '2', 'the pasted token works');
      assert.equal((await hub.admin('DELETE', `users/${alice}/tokens/${pasted.id}`)).status, 204);
      targets.push('agent:suite-hub-revoked');
      await assert.rejects(
        api.execute('agent:suite-hub-revoked', '1', { server: `${NAME}/other` }),
        /no longer accepts the token for "alice".*revoked.*Sign in again/,
      );
    });
  });
}
