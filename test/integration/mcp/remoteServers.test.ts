import * as assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { generateToken } from '../../../src/jupyter/token';
import { DEFAULT_AGENT_LIMITS, type AgentLimits } from '../../../src/kernels/agentLifecycle';
import { mcpLoad } from '../../../bench/mcpLoad';
import { serveHttp, type McpHttpServer } from '../../../src/mcp/httpTransport';
import { createMcpEngine, type McpEngine, type McpServerTarget } from '../../../src/mcp/mcpEngine';
import { waitFor } from '../../shared/poll';
import { MemoryLogger } from '../fixtures/localServer';
import { HUB_USERS, HubTestServer } from '../hub/hubTestServer';
import { RemoteTestServer } from '../remote/remoteTestServer';
import {
  buildMcpBundle,
  call,
  defaultSandbox,
  endHttpSession,
  httpSession,
  MCP_BIN,
  run,
  sessionKernelIds,
  textOf,
  valueOf,
  writeAndReadBack,
} from './mcpClients';

type Session = Awaited<ReturnType<typeof httpSession>>;

/** `kernel-islands-mcp --http` on a remote target, as cli.ts builds it; `reported` holds what it writes to stderr. */
async function mcpOn(target: McpServerTarget, limits: AgentLimits = DEFAULT_AGENT_LIMITS) {
  const reported: string[] = [];
  const engine: McpEngine = createMcpEngine({
    target,
    rootDir: '/nonexistent-local-root',
    warmKernels: 0,
    defaultKernel: 'python3',
    limits,
    sandbox: defaultSandbox('/nonexistent-local-root'),
    logger: new MemoryLogger(),
    report: (line) => reported.push(line),
  });
  const token = generateToken();
  const http: McpHttpServer = await serveHttp(engine, { port: 0, token, logger: new MemoryLogger() });
  const open = () => httpSession(http.url, token);
  const close = async () => {
    await http.close();
    await engine.dispose();
  };
  return { engine, http, token, open, close, reported };
}

/** The kernel ids a Jupyter Server lists (its own API, with its token). */
async function kernelsAt(baseUrl: string, token: string): Promise<string[]> {
  const r = await fetch(`${baseUrl}api/kernels`, { headers: { Authorization: `token ${token}` } });
  assert.equal(r.status, 200, `GET ${baseUrl}api/kernels`);
  return ((await r.json()) as Array<{ id: string }>).map((k) => k.id);
}

/** Two sessions at once: each writes its own x in `main`, reads it back on every call, and has its own kernel. */
async function twoIsolatedSessions(open: () => Promise<Session>): Promise<{ sessions: Session[]; kernels: string[] }> {
  const sessions = await Promise.all([open(), open()]);
  const seen = await Promise.all(sessions.map((s, i) => writeAndReadBack(s.client, `remote-${i}`, 10)));
  seen.forEach((values, i) => assert.deepEqual(values, Array(10).fill(`'remote-${i}'`), `session ${i}`));
  const kernels = (await Promise.all(sessions.map((s) => sessionKernelIds(s.client)))).flat();
  assert.equal(new Set(kernels).size, 2, 'one kernel per session');
  return { sessions, kernels };
}

async function errorOf(session: Session, code: string, context = 'main'): Promise<string> {
  const result = await call(session.client, 'run_code', { code, context });
  assert.equal(result.isError, true, `expected an error, got: ${textOf(result)}`);
  return textOf(result);
}

describe('kernel-islands-mcp --server: MCP sessions on a real second Jupyter Server', function () {
  this.timeout(120_000);
  let server: RemoteTestServer;
  let mcp: Awaited<ReturnType<typeof mcpOn>>;

  before(async function () {
    this.timeout(60_000);
    server = await RemoteTestServer.start();
    mcp = await mcpOn({ kind: 'remote', url: server.baseUrl, token: server.token });
  });
  after(async function () {
    this.timeout(60_000);
    await mcp?.close();
    await server?.dispose();
  });

  it('gives two sessions their own kernels there, state isolated, named in the tools; ending them deletes the kernels', async () => {
    const { sessions, kernels } = await twoIsolatedSessions(mcp.open);
    try {
      const listed = await kernelsAt(server.baseUrl, server.token);
      assert.ok(
        kernels.every((id) => listed.includes(id)),
        `${kernels.join()} run on the remote server: ${listed.join()}`,
      );
      const contexts = textOf(await call(sessions[0].client, 'list_contexts'));
      assert.match(
        contexts,
        new RegExp(`on server ${server.baseUrl}.*isolated by that server, not by a local sandbox`),
      );
      const specs = textOf(await call(sessions[0].client, 'list_kernelspecs'));
      assert.match(specs, /^Every context runs on the remote Jupyter Server .*: isolation is that server's/);
      assert.match(specs, new RegExp(`python3: .* on server ${server.baseUrl}`));
      assert.match(
        textOf(await call(sessions[0].client, 'list_files', { context: 'main' })),
        /runs on .*another machine: its files are that server's/,
      );
      assert.match(
        await run(sessions[0].client, 'import os; print(os.getcwd())'),
        new RegExp(server.rootDir),
        "the kernel runs in the remote server's root, not in a local folder",
      );
    } finally {
      await Promise.all(sessions.map(endHttpSession));
    }
    await waitFor('both session kernels to be deleted on the remote server', async () => {
      const now = await kernelsAt(server.baseUrl, server.token);
      return kernels.some((id) => now.includes(id)) ? undefined : true;
    });
  });

  it('a server restart mid-session: calls while it is down name it, the next call after says the state is lost, and it recovers', async () => {
    const session = await mcp.open();
    try {
      await run(session.client, 'kept = 1', 'main');
      await server.stop();
      const down = await errorOf(session, 'print(1)', 'fresh');
      assert.match(
        down,
        new RegExp(`Jupyter server "${server.baseUrl}" does not answer.*no python3 kernel was started`),
      );
      await server.launch();
      const after = await run(session.client, 'print("kept" in dir())', 'main');
      assert.match(
        after,
        new RegExp(
          `Context main \\(on server ${server.baseUrl}\\): The kernel was shut down on the server: its state is lost`,
        ),
      );
      assert.match(after, /False/, 'a fresh kernel: the variables are gone');
      assert.equal(valueOf(await run(session.client, '6 * 7', 'fresh')), '42', 'a new context starts again');
    } finally {
      await endHttpSession(session);
    }
  });

  it('a refused token: each call says the server refused it, and the MCP server keeps serving', async () => {
    const wrong = await mcpOn({ kind: 'remote', url: server.baseUrl, token: 'f'.repeat(48) });
    const session = await wrong.open();
    try {
      assert.match(await errorOf(session, '1'), new RegExp(`"${server.baseUrl}".*refused the token \\(HTTP 403\\)`));
      assert.match(await errorOf(session, '2'), /refused the token/, 'the next call says so again');
      assert.match(textOf(await call(session.client, 'list_contexts')), /No contexts yet/);
    } finally {
      await endHttpSession(session);
      await wrong.close();
    }
  });

  it("the load bench's correctness check at N = 4: every call reads back its own session's value and count; no kernel is left", async () => {
    const load = await mcpLoad({ url: mcp.http.url, token: mcp.token, n: 4, callsPerClient: 5 }, async () => {
      assert.equal((await kernelsAt(server.baseUrl, server.token)).length, 4, 'one kernel per session while they run');
    });
    assert.deepEqual(load.crossTalk, []);
    assert.equal(load.latenciesMs.length, 20);
    await waitFor('every session kernel to be deleted', async () =>
      (await kernelsAt(server.baseUrl, server.token)).length === 0 ? true : undefined,
    );
  });

  it('the max-contexts limit applies there: the least recently used context goes, its kernel deleted on the server', async () => {
    const capped = await mcpOn(
      { kind: 'remote', url: server.baseUrl, token: server.token },
      {
        idleShutdownMinutes: 30,
        maxContexts: 1,
      },
    );
    const session = await capped.open();
    try {
      await run(session.client, 'a = 1', 'a');
      const [first] = await sessionKernelIds(session.client);
      await run(session.client, 'b = 2', 'b');
      await waitFor('the evicted kernel to be deleted on the server', async () =>
        (await kernelsAt(server.baseUrl, server.token)).includes(first) ? undefined : true,
      );
      assert.match(await run(session.client, 'print("a" in dir())', 'a'), /variables are gone[\s\S]*False/);
    } finally {
      await endHttpSession(session);
      await capped.close();
    }
  });

  describe('the command', () => {
    before(function () {
      this.timeout(60_000);
      buildMcpBundle();
    });

    it('refuses --server without its token in the environment, and a token in the URL', () => {
      const env = { ...process.env };
      delete env.KERNEL_ISLANDS_SERVER_TOKEN;
      const missing = spawnSync(process.execPath, [MCP_BIN, '--server', server.baseUrl], { encoding: 'utf8', env });
      assert.equal(missing.status, 1);
      assert.match(missing.stderr, /--server needs its token in the environment variable KERNEL_ISLANDS_SERVER_TOKEN/);
      const inUrl = spawnSync(process.execPath, [MCP_BIN, '--server', `${server.baseUrl}?token=${server.token}`], {
        encoding: 'utf8',
        env,
      });
      assert.equal(inUrl.status, 1);
      assert.match(inUrl.stderr, /carries a token.*KERNEL_ISLANDS_SERVER_TOKEN/);
      assert.equal(inUrl.stderr.includes(server.token), false, 'the token is not echoed');
    });

    it('says at start where contexts run and whose isolation applies, and runs there', async () => {
      const env = {
        ...process.env,
        KERNEL_ISLANDS_SERVER_TOKEN: server.token,
        KERNEL_ISLANDS_MCP_TOKEN: generateToken(),
      };
      const child = spawn(process.execPath, [MCP_BIN, '--http', '--server', server.baseUrl], {
        env,
        stdio: ['ignore', 'ignore', 'pipe'],
      });
      let stderr = '';
      child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
      const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
      try {
        const url = await waitFor('the URL on stderr', () => /Streamable HTTP on (\S+)/.exec(stderr)?.[1]);
        assert.match(stderr, /contexts run on the remote Jupyter Server .*isolation is that server's.*deleted there/);
        await waitFor('the start-up check of the server', () => stderr.includes(`${server.baseUrl} answers`));
        const session = await httpSession(url, env.KERNEL_ISLANDS_MCP_TOKEN);
        const [kernel] = await (async () => {
          assert.equal(valueOf(await run(session.client, '6 * 7')), '42');
          return sessionKernelIds(session.client);
        })();
        assert.ok((await kernelsAt(server.baseUrl, server.token)).includes(kernel), 'the kernel runs on the server');
        await endHttpSession(session);
        child.kill('SIGTERM');
        assert.equal(await exited, 0);
        assert.equal((await kernelsAt(server.baseUrl, server.token)).includes(kernel), false);
        assert.equal(stderr.includes(server.token), false, 'the server token is never printed');
      } finally {
        child.kill('SIGKILL');
      }
    });
  });
});

describe('kernel-islands-mcp --hub: MCP sessions on a real JupyterHub user server', function () {
  this.timeout(120_000);
  const alice = HUB_USERS.ok;
  const serverName = 'mcp';
  let hub: HubTestServer;
  let userToken: { token: string; id: string };
  let mcp: Awaited<ReturnType<typeof mcpOn>>;
  const serverUrl = () => `${hub.url}user/${alice}/${serverName}/`;
  const target = (token: string): McpServerTarget => ({
    kind: 'hub',
    url: `${hub.url}hub/home`,
    user: alice,
    serverName,
    token,
    renewal: 'Set KERNEL_ISLANDS_HUB_TOKEN to a new token and start kernel-islands-mcp again.',
  });

  before(async function () {
    this.timeout(90_000);
    hub = await HubTestServer.start();
    await hub.addUser(alice);
    userToken = await hub.userToken(alice);
    mcp = await mcpOn(target(userToken.token));
  });
  after(async function () {
    this.timeout(60_000);
    await mcp?.close();
    const dir = hub?.dir;
    await hub?.dispose();
    if (dir) {
      assert.deepEqual(await hub.processes(), [], 'no hub, user server or kernel process outlives the tests');
    }
  });

  it('starts the server through the hub on first use (progress reported), two sessions get their own kernels there, deleted at their end', async () => {
    const first = await mcp.open();
    assert.match(textOf(await call(first.client, 'list_kernelspecs')), /server starts on the first run/);
    assert.deepEqual(mcp.reported, [], 'listing starts no server');
    await endHttpSession(first);
    const { sessions, kernels } = await twoIsolatedSessions(mcp.open);
    try {
      assert.ok(
        mcp.reported.some((l) => l === `Starting hub:${alice}/${serverName} on JupyterHub…`),
        mcp.reported.join('\n'),
      );
      assert.ok(
        mcp.reported.some((l) => /^JupyterHub progress 100%: Server ready at \/user\/alice\/mcp\//.test(l)),
        mcp.reported.join('\n'),
      );
      const listed = await kernelsAt(serverUrl(), userToken.token);
      assert.ok(
        kernels.every((id) => listed.includes(id)),
        `${kernels.join()} in ${listed.join()}`,
      );
      assert.match(
        textOf(await call(sessions[1].client, 'list_contexts')),
        new RegExp(`on server hub:${alice}/${serverName}, .*isolated by that server`),
      );
      assert.match(
        await run(sessions[1].client, 'import os; print(os.environ["JUPYTERHUB_SERVER_NAME"])'),
        new RegExp(serverName),
      );
    } finally {
      await Promise.all(sessions.map(endHttpSession));
    }
    await waitFor('both session kernels to be deleted on the hub server', async () => {
      const now = await kernelsAt(serverUrl(), userToken.token);
      return kernels.some((id) => now.includes(id)) ? undefined : true;
    });
  });

  it('the hub stops the server mid-session: the next call says why the state is lost, and the server is started again', async () => {
    const session = await mcp.open();
    try {
      await run(session.client, 'kept = 1', 'main');
      const starts = mcp.reported.filter((l) => /^Starting /.test(l)).length;
      await hub.stopServer(alice, serverName);
      const after = await run(session.client, 'print("kept" in dir())', 'main');
      assert.match(after, new RegExp(`JupyterHub stopped the server "hub:${alice}/${serverName}".*state are lost`));
      assert.match(after, /False/);
      assert.equal(
        mcp.reported.filter((l) => /^Starting /.test(l)).length,
        starts + 1,
        'started again through the hub',
      );
    } finally {
      await endHttpSession(session);
    }
  });

  it('a revoked token and a stopped server: each call says the token was revoked (never "405"), and the MCP server keeps serving', async () => {
    const session = await mcp.open();
    try {
      await run(session.client, 'v = 1', 'main');
      assert.equal((await hub.admin('DELETE', `users/${alice}/tokens/${userToken.id}`)).status, 204);
      await hub.stopServer(alice, serverName);
      for (const context of ['main', 'other']) {
        const message = await errorOf(session, 'print(1)', context);
        assert.doesNotMatch(message, /405|Method Not Allowed/);
        assert.match(
          message,
          /JupyterHub no longer accepts the token for "alice".*revoked.*Set KERNEL_ISLANDS_HUB_TOKEN to a new token/,
        );
      }
      assert.ok(
        mcp.reported.some((l) => /no longer accepts the token/.test(l)),
        'the refusal is on stderr too',
      );
      assert.match(textOf(await call(session.client, 'list_contexts')), /main: /);
    } finally {
      await endHttpSession(session);
    }
  });
  it('the command on --hub: says where contexts run, logs the hub progress on stderr, runs there, and deletes its kernels at its end', async () => {
    buildMcpBundle();
    const { token } = await hub.userToken(alice);
    const env = { ...process.env, KERNEL_ISLANDS_HUB_TOKEN: token, KERNEL_ISLANDS_MCP_TOKEN: generateToken() };
    const args = [MCP_BIN, '--http', '--hub', hub.url, '--hub-user', alice, '--hub-server', 'cli'];
    const child = spawn(process.execPath, args, { env, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    try {
      const url = await waitFor('the URL on stderr', () => /Streamable HTTP on (\S+)/.exec(stderr)?.[1]);
      assert.match(
        stderr,
        new RegExp(`contexts run on the JupyterHub server hub:${alice}/cli at ${hub.url}: isolation is the hub's`),
      );
      await waitFor('the start-up check', () =>
        stderr.includes(`hub:${alice}/cli is not running: the hub starts it on the first run`),
      );
      const session = await httpSession(url, env.KERNEL_ISLANDS_MCP_TOKEN);
      assert.equal(valueOf(await run(session.client, '6 * 7')), '42');
      assert.match(stderr, new RegExp(`Starting hub:${alice}/cli on JupyterHub…`));
      assert.match(stderr, /JupyterHub progress 100%: Server ready at \/user\/alice\/cli\//);
      const [kernel] = await sessionKernelIds(session.client);
      const cliUrl = `${hub.url}user/${alice}/cli/`;
      assert.ok((await kernelsAt(cliUrl, token)).includes(kernel));
      await endHttpSession(session);
      child.kill('SIGTERM');
      assert.equal(await exited, 0);
      assert.deepEqual(await kernelsAt(cliUrl, token), [], 'no kernel of ours is left on the hub server');
      assert.equal(stderr.includes(token), false, 'the hub token is never printed');
    } finally {
      child.kill('SIGKILL');
      await hub.stopServer(alice, 'cli').catch(() => undefined);
    }
  });
});
