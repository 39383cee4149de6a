/**
 * An editor's kernel and MCP sessions, on real kernels through the SDK client: no session reaches it by any name
 * it can send; the user's share (what "Share This File's Kernel with MCP Session…" calls) lets exactly the named
 * session in, under a name of its own; stopping the share, the session's end or the agent cap never touch the
 * user's kernel; when the user's context goes, the share ends with it.
 */
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { contextSpec } from '../../../src/kernels/contextSpec';
import type { McpSessionInfo } from '../../../src/mcp/httpTransport';
import { findKernelPid, stillRunning } from '../../shared/kernelProcesses';
import { tempFolder, textOf as kernelText } from '../kernels/helpers';
import { call, endHttpSession, httpSession, run, sessionKernelIds, textOf, useMcpHttp, valueOf } from './mcpClients';

const FILE = path.join(tempFolder('share'), 'analysis.py');
const FILE_ID = `file://${FILE}`;
const fileSpec = contextSpec({ id: FILE_ID, kind: 'file', filePath: FILE });

/** Names a session might try to reach the file's kernel by. */
const GUESSES = ['main', 'analysis.py', FILE_ID, FILE];

describe("MCP sessions and the user's own kernels (sharing on purpose only)", function () {
  this.timeout(180_000);
  // A cap of 2 agent contexts: the session's own contexts compete for it, the shared kernel never does.
  const mcp = useMcpHttp({ idleShutdownMinutes: 30, maxContexts: 2 });
  type Session = Awaited<ReturnType<typeof httpSession>>;

  const userRuns = async (code: string) => kernelText(await mcp.engine.registry.execute(fileSpec, code));
  const userKernel = () => mcp.engine.registry.get(FILE_ID)?.kernelId;

  /** Connects a session and returns it with the server's record of it (the one the share command lists). */
  async function open(): Promise<{ session: Session; info: McpSessionInfo }> {
    const before = new Set(mcp.http.sessions().map((s) => s.id));
    const session = await httpSession(mcp.http.url, mcp.token);
    const info = mcp.http.sessions().find((s) => !before.has(s.id));
    assert.ok(info, 'the server lists the new session');
    return { session, info };
  }

  async function secretIn(session: Session, context: string): Promise<string> {
    const result = await call(session.client, 'run_code', { code: 'secret', context });
    return result.isError ? `error: ${textOf(result)}` : (valueOf(textOf(result)) ?? textOf(result));
  }

  after(async function () {
    this.timeout(30_000);
    await mcp.engine?.registry.shutdown(FILE_ID);
  });

  it('no session reaches the editor kernel by any name; a share lets in only the session it names', async () => {
    await userRuns('secret = 42');
    const a = await open();
    const b = await open();
    try {
      for (const guess of GUESSES) {
        for (const s of [a, b]) {
          assert.match(await secretIn(s.session, guess), /NameError/, `"${guess}" reached the user's kernel`);
        }
      }
      const listed = textOf(await call(a.session.client, 'list_contexts'));
      assert.doesNotMatch(listed, /shared by the user/);
      assert.ok(!listed.includes(userKernel() ?? '<none>'), "the session's contexts never list the user's kernel");

      await run(a.session.client, 'mine = 1', 'analysis.py');
      const name = a.info.island.share(FILE_ID, 'analysis.py');
      assert.equal(name, 'analysis.py-2', 'the session already had a context of that name: the share gets another');
      assert.equal(await secretIn(a.session, name), '42', 'the named session reads the user variable');
      await run(a.session.client, 'secret = 43', name);
      assert.match(await userRuns('print(secret)'), /^43/, 'and the user sees what it changed');
      assert.match(await secretIn(b.session, name), /NameError/, 'the other session still cannot');
      assert.match(
        textOf(await call(a.session.client, 'list_contexts')),
        new RegExp(`${name}: .*shared by the user: the kernel of ${FILE_ID.replace(/[.]/g, '\\.')}`),
      );
      assert.deepEqual(a.info.island.shares(), [{ name, targetId: FILE_ID }]);
      assert.equal(a.info.island.share(FILE_ID, 'other'), name, 'sharing again keeps the one share');

      // The agent cap (2) counts the session's own contexts; the shared kernel is never one to evict.
      const kernel = userKernel();
      for (const own of ['one', 'two', 'three']) {
        await run(a.session.client, `own = "${own}"`, own);
      }
      assert.equal(userKernel(), kernel);
      assert.equal(await secretIn(a.session, name), '43', 'still shared after the cap evicted its own contexts');

      await a.info.island.unshare(name);
      assert.deepEqual(a.info.island.shares(), []);
      assert.doesNotMatch(textOf(await call(a.session.client, 'list_contexts')), /shared by the user/);
      assert.match(await secretIn(a.session, name), /NameError/, 'after the share ends the name is its own kernel');
      assert.equal(userKernel(), kernel, 'stopping the share leaves the user kernel');
      assert.match(await userRuns('print(secret)'), /^43/, '...with its variables');
    } finally {
      await endHttpSession(a.session);
      await endHttpSession(b.session);
    }
  });

  it("a session's end and its shutdown tool leave the shared kernel running with its state", async () => {
    await userRuns('secret = 7');
    const kernel = userKernel();
    assert.ok(kernel);
    const pid = await findKernelPid(kernel);
    const a = await open();
    const name = a.info.island.share(FILE_ID, 'analysis.py');
    assert.equal(await secretIn(a.session, name), '7');
    assert.match(textOf(await call(a.session.client, 'shutdown', { context: name })), /Shut down/);
    assert.equal(userKernel(), kernel, "the agent's shutdown only forgot its name for the kernel");
    const again = a.info.island.share(FILE_ID, 'analysis.py');
    assert.equal(await secretIn(a.session, again), '7');
    await endHttpSession(a.session);
    assert.equal(mcp.engine.registry.get(`agent:mcp-${a.info.id}:${again}`), undefined, 'the share went with it');
    assert.equal(userKernel(), kernel);
    assert.deepEqual(await stillRunning([pid]), [pid], 'the kernel process runs');
    assert.match(await userRuns('print(secret)'), /^7/);
  });

  it("when the user's context goes (its editor closed), the share ends and its name never gets that kernel", async () => {
    await userRuns('secret = 9');
    const a = await open();
    try {
      const name = a.info.island.share(FILE_ID, 'analysis.py');
      assert.equal(await secretIn(a.session, name), '9');
      const kernel = userKernel();
      assert.ok(kernel);
      await mcp.engine.registry.shutdown(FILE_ID);
      assert.deepEqual(a.info.island.shares(), []);
      assert.doesNotMatch(textOf(await call(a.session.client, 'list_contexts')), /shared by the user/);
      assert.match(await secretIn(a.session, name), /NameError/, 'the name now starts a kernel of its own');
      assert.ok(!(await sessionKernelIds(a.session.client)).includes(kernel));
      assert.throws(() => a.info.island.share(FILE_ID, 'analysis.py'), /No context/, 'nothing left to share');
    } finally {
      await endHttpSession(a.session);
    }
  });
});
