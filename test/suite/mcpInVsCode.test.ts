/**
 * The MCP server inside VS Code, driven by the official SDK client from the test: the address command starts it
 * (127.0.0.1, bearer token), a session's context lands in this window's registry as an agent context, the session
 * cannot reach an editor's kernel until "Share This File's Kernel with MCP Session…" names it, "Stop Sharing…"
 * undoes that, and ending the session shuts its own kernels down while the editor's kernel keeps its variables.
 * The Kernels view and results panel side is the UI test test/e2e/ui/mcpServer.ui.ts.
 */
import * as assert from 'node:assert/strict';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import * as vscode from 'vscode';
import type { KernelIslandsApi } from '../../types/kernel-islands';
import { ScratchFolder, getApi, plainText, shutdownIfLive } from './util';
import { waitFor } from '../shared/poll';

interface Address {
  url: string;
  headers: Record<string, string>;
}

function textOf(result: CallToolResult): string {
  return result.content.map((c) => (c.type === 'text' ? c.text : '')).join('\n');
}

export function mcpInVsCodeTests(): void {
  suite('MCP server inside VS Code (SDK client)', () => {
    let api: KernelIslandsApi;
    const scratch = new ScratchFolder();
    let client: Client | undefined;
    let transport: StreamableHTTPClientTransport | undefined;

    const run = async (code: string, context?: string) => {
      assert.ok(client);
      const result = (await client.callTool({
        name: 'run_code',
        arguments: context ? { code, context } : { code },
      })) as CallToolResult;
      return { text: textOf(result), isError: result.isError === true };
    };

    suiteSetup(async () => {
      api = await getApi();
    });

    suiteTeardown(async function () {
      this.timeout(60_000);
      await transport?.terminateSession().catch(() => undefined);
      await client?.close();
      await vscode.commands.executeCommand('workbench.action.closeAllEditors');
      for (const c of api.contexts().filter((c) => c.id.startsWith('agent:mcp-') || c.id.includes('ki-suite-'))) {
        await shutdownIfLive(api, c.id);
      }
      await scratch.dispose();
    });

    test("a session's context is an agent context of this window; an editor's kernel is reached only through a share that names the session", async function () {
      this.timeout(180_000);
      const address = (await vscode.commands.executeCommand('kernelIslands.mcp.copyServerAddress')) as Address;
      assert.match(address.url, /^http:\/\/127\.0\.0\.1:\d+\/mcp$/);
      assert.match(address.headers.Authorization, /^Bearer [0-9a-f]{64}$/);
      const refused = await fetch(address.url, { method: 'POST', body: '{}' });
      assert.equal(refused.status, 401, 'no token, no session');

      client = new Client({ name: 'suite-client', version: '1' });
      transport = new StreamableHTTPClientTransport(new URL(address.url), {
        requestInit: { headers: address.headers },
      });
      await client.connect(transport);
      const first = await run('mcp_seen = 6 * 7\nprint("from an MCP client", mcp_seen)');
      assert.ok(!first.isError, first.text);
      assert.match(first.text, /from an MCP client 42/);
      const own = api.contexts().filter((c) => c.id.startsWith('agent:mcp-'));
      assert.equal(own.length, 1, `MCP contexts: ${own.map((c) => c.id).join(', ')}`);
      assert.equal(own[0].kind, 'agent');
      const session = /^agent:mcp-([^:]+):main$/.exec(own[0].id)?.[1];
      assert.ok(session, own[0].id);

      const doc = await vscode.workspace.openTextDocument(await scratch.file('shared.py', 'user_secret = 7\n'));
      await vscode.window.showTextDocument(doc);
      assert.equal(plainText(await api.execute(doc.uri, 'user_secret = 7\nprint(user_secret)')), '7');
      for (const guess of ['main', 'shared.py', doc.uri.toString(), doc.uri.fsPath]) {
        assert.match((await run('user_secret', guess)).text, /NameError/, `"${guess}" reached the editor's kernel`);
      }

      const name = (await vscode.commands.executeCommand('kernelIslands.mcp.shareKernel', session)) as string;
      assert.equal(name, 'shared.py-2', 'the session had tried "shared.py" itself: the share gets its own name');
      assert.equal((await run('user_secret * 6', name)).text.match(/Value:\n(\d+)/)?.[1], '42');
      await run('user_secret = 8', name);
      assert.equal(plainText(await api.execute(doc.uri, 'print(user_secret)')), '8', 'the editor sees the change');
      await assert.rejects(
        Promise.resolve(vscode.commands.executeCommand('kernelIslands.mcp.shareKernel', 'no-such-session')),
        /No MCP session "no-such-session"/,
      );

      await vscode.commands.executeCommand('kernelIslands.mcp.stopSharing', session, name);
      assert.match((await run('user_secret', name)).text, /NameError/, 'the share is undone');
      assert.equal(
        plainText(await api.execute(doc.uri, 'print(user_secret)')),
        '8',
        'the editor kernel kept its state',
      );

      await transport.terminateSession();
      await client.close();
      client = undefined;
      await waitFor('the session contexts to go when the session ends', () =>
        api.contexts().every((c) => !c.id.startsWith(`agent:mcp-${session}:`)),
      );
      assert.equal(plainText(await api.execute(doc.uri, 'print(user_secret)')), '8');
    });
  });
}
