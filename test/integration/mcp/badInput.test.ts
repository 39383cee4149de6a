import * as assert from 'node:assert/strict';
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { isProcessAlive } from '../../../src/jupyter/processTree';
import { findKernelPid } from '../../shared/kernelProcesses';
import { waitFor } from '../../shared/poll';
import { call, endHttpSession, httpSession, run, sessionKernelIds, textOf, useMcpHttp, valueOf } from './mcpClients';

describe('MCP bad input: a clear MCP error, and other sessions unaffected', function () {
  this.timeout(120_000);
  const mcp = useMcpHttp();
  let agent: Awaited<ReturnType<typeof httpSession>>;
  let bystander: Awaited<ReturnType<typeof httpSession>>;

  before(async function () {
    this.timeout(60_000);
    agent = await httpSession(mcp.http.url, mcp.token);
    bystander = await httpSession(mcp.http.url, mcp.token);
    await run(bystander.client, 'x = 42', 'main');
  });
  after(async () => {
    await Promise.allSettled([endHttpSession(agent), endHttpSession(bystander)]);
  });
  afterEach(async () => {
    assert.equal(valueOf(await run(bystander.client, 'x', 'main')), '42', 'the other session keeps its state');
  });

  /** Calls a tool that must fail, and returns its error text. */
  async function toolError(client: Client, name: string, args: Record<string, unknown>): Promise<string> {
    const result = await call(client, name, args);
    assert.equal(result.isError, true, `expected an error result, got: ${textOf(result)}`);
    return textOf(result);
  }

  it('an unknown tool', async () => {
    assert.match(await toolError(agent.client, 'run_python', { code: '1' }), /Tool run_python not found/);
  });

  it('`code` missing, not a string, or empty', async () => {
    assert.match(await toolError(agent.client, 'run_code', {}), /Invalid arguments for tool run_code.*code/s);
    assert.match(await toolError(agent.client, 'run_code', { code: 5 }), /expected string.*code/s);
    assert.match(await toolError(agent.client, 'run_code', { code: '  ' }), /`code` is empty/);
  });

  it('an unknown kernelspec names the ones there are, and the context name stays free', async () => {
    const message = await toolError(agent.client, 'run_code', { code: '1', context: 'k', kernel: 'no-such-kernel' });
    assert.match(message, /Unknown kernelspec "no-such-kernel"\. Available kernelspecs: .*python3/);
    assert.equal(valueOf(await run(agent.client, '1 + 1', 'k')), '2');
  });

  it('10 MB of output comes back cut to its start and end, with a note', async () => {
    const text = await run(
      agent.client,
      "import sys\n_ = sys.stdout.write(('0123456789' * 10 + '\\n') * 100_000)",
      'flood',
    );
    assert.ok(text.length < 9_000, `${text.length} characters`);
    assert.match(text, /\[\d+ characters left out\]/);
    assert.match(text, /^Context: flood/);
    assert.match(text, /0123456789\n?$/);
  });

  it('an infinite loop is stopped by interrupt from a second request; the context keeps its variables', async () => {
    await run(agent.client, 'kept = "yes"', 'loop');
    const looping = call(agent.client, 'run_code', { code: 'while True:\n    pass', context: 'loop' });
    await waitFor(
      'the loop to run',
      async () => (/loop: .*busy/.test(textOf(await call(agent.client, 'list_contexts'))) ? true : undefined),
      30_000,
    );
    const interrupted = await call(agent.client, 'interrupt', { context: 'loop' });
    assert.equal(interrupted.isError, undefined, textOf(interrupted));
    const result = textOf(await looping);
    assert.match(result, /Status: error/);
    assert.match(result, /KeyboardInterrupt/);
    assert.equal(valueOf(await run(agent.client, 'kept', 'loop')), "'yes'");
  });

  it('kill -9 of the session kernel: the next call says its variables are gone', async () => {
    await run(agent.client, 'doomed = 1', 'victim');
    const ids = await sessionKernelIds(agent.client);
    const listing = textOf(await call(agent.client, 'list_contexts'));
    const id = /victim: kernel python3 \(id ([0-9a-f-]{36})\)/.exec(listing)?.[1];
    assert.ok(id && ids.includes(id), listing);
    const pid = await findKernelPid(id);
    assert.ok(pid !== undefined && (await isProcessAlive(pid)), `the kernel process of ${id} runs`);
    process.kill(pid, 'SIGKILL');
    // The server restarts a dead kernel under the same id; the new process is the sign the death was seen.
    await waitFor(
      'the kernel to be restarted',
      async () => {
        const now = await findKernelPid(id);
        return now !== undefined && now !== pid && (await isProcessAlive(now)) ? now : undefined;
      },
      30_000,
    );
    const text = await run(agent.client, 'doomed', 'victim');
    assert.match(text, /^Note: Context victim: .*Its variables are gone/);
    assert.match(text, /NameError/);
    const again = await run(agent.client, 'doomed = 2\ndoomed', 'victim');
    assert.doesNotMatch(again, /are gone/, 'the notice is given once');
  });

  it('a tool naming a context the session does not have', async () => {
    assert.match(await toolError(agent.client, 'interrupt', { context: 'nope' }), /no context "nope"/);
  });
});
