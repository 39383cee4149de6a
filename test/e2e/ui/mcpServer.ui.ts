/**
 * The MCP server inside VS Code as a user sees it: a client connects with the address the Copy command gives (the
 * official SDK client, run by this test), and the session's context shows in the Kernels view's Agents group, whose
 * row opens a results panel with the code the agent ran and its output. Ending the session removes the row.
 * (VS Code's own MCP list is not checked: the harness turns AI features off, which hides MCP: List Servers.)
 */
import * as assert from 'node:assert/strict';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { showKernelsView, until } from './islands';
import type { UiTest } from './workbench';

const STEP_MS = 15_000;
const CLIENT = 'ui-test-client';

export const mcpServerUiTest: UiTest = {
  title:
    "MCP server in VS Code: an SDK client's context shows in the Agents group and its results panel shows the code",
  timeoutMs: 180_000,
  async run(wb) {
    await wb.runCommand('Kernel Islands: Copy MCP Server Address for Another Client');
    await wb.page
      .locator('.notification-list-item-message', { hasText: 'copied the MCP server address' })
      .waitFor({ state: 'visible', timeout: STEP_MS });
    const address = JSON.parse(await wb.page.evaluate(() => navigator.clipboard.readText())) as {
      type: string;
      url: string;
      headers: Record<string, string>;
    };
    assert.equal(address.type, 'http');
    assert.match(address.url, /^http:\/\/127\.0\.0\.1:\d+\/mcp$/);

    const client = new Client({ name: CLIENT, version: '1' });
    const transport = new StreamableHTTPClientTransport(new URL(address.url), {
      requestInit: { headers: address.headers },
    });
    await client.connect(transport);
    try {
      const result = (await client.callTool({
        name: 'run_code',
        arguments: { code: 'answer = 6 * 7\nprint("hello from an MCP client", answer)' },
      })) as CallToolResult;
      assert.ok(!result.isError, JSON.stringify(result.content));

      const view = await showKernelsView(wb);
      const rows = view.locator('.monaco-list-row');
      const agents = rows.filter({ has: wb.page.locator('.label-name', { hasText: /^Agents$/ }) });
      const row = rows.filter({ has: wb.page.locator('.label-name', { hasText: `MCP main (${CLIENT} ` }) });
      await until(wb, 'the Agents group to list the MCP session context', async () => (await row.count()) === 1);
      assert.equal(await agents.count(), 1, 'the Agents group is there');
      const level = async (locator: typeof row) => Number(await locator.first().getAttribute('aria-level'));
      assert.equal(await level(row), (await level(agents)) + 1, 'the MCP context sits inside the Agents group');
      await wb.screenshot('ui-mcp-kernels-view');

      await row.first().click();
      const panel = await wb.waitForWebviewText(/hello from an MCP client 42/, STEP_MS);
      assert.ok(await wb.webviewShows(panel, 'answer = 6 * 7'), 'the results panel shows the code the agent ran');
      await wb.screenshot('ui-mcp-results-panel');
    } finally {
      await transport.terminateSession().catch(() => undefined);
      await client.close();
    }
    const view = await showKernelsView(wb);
    const gone = view.locator('.monaco-list-row', { hasText: `MCP main (${CLIENT} ` });
    await until(wb, 'the row to go when the session ends', async () => (await gone.count()) === 0);
    await wb.runCommand('View: Close All Editors');
  },
};
