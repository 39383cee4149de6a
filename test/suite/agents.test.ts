/**
 * Agents through the real exported API: 10 callers in parallel, each in its own context, and callers that share
 * one context; the language-model tool's registration; the command that shows an agent context's results.
 */
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { ExecuteResult, KernelIslandsApi } from '../../types/kernel-islands';
import { isolatedCallers, sharedContext, type AgentRun } from '../shared/agentScenarios';
import { getApi, shutdownIfLive } from './util';
import { waitFor } from '../shared/poll';

function stdoutOf(result: ExecuteResult): AgentRun {
  const stdout = result.outputs.map((o) => (o.output_type === 'stream' && o.name === 'stdout' ? o.text : '')).join('');
  return { status: result.status, stdout };
}

export function agentTests(): void {
  suite('agents through the exported API', () => {
    let api: KernelIslandsApi;
    const run = async (context: string, code: string) => stdoutOf(await api.execute(context, code));

    suiteSetup(async () => {
      api = await getApi();
    });

    suiteTeardown(async function () {
      this.timeout(120_000);
      const ours = api.contexts().filter((c) => c.id.startsWith('agent:suite-'));
      await Promise.all(ours.map((c) => shutdownIfLive(api, c.id)));
    });

    test('the API says its version and where each context runs', async () => {
      assert.equal(api.apiVersion, 1);
      await api.execute('agent:suite-where', '1');
      const listed = api.contexts().find((c) => c.id === 'agent:suite-where');
      assert.equal(listed?.server, 'local');
    });

    test('10 callers in parallel, each in its own context: no shared variables, no swapped outputs', async function () {
      this.timeout(240_000);
      await isolatedCallers(run, 'agent:suite-iso', 10, 4);
      const kernels = api.contexts().filter((c) => c.id.startsWith('agent:suite-iso-'));
      assert.equal(kernels.length, 10);
      assert.equal(new Set(kernels.map((c) => c.kernelId)).size, 10, 'ten contexts, ten kernels');
    });

    test('callers naming the same context share it, and their runs are serialized in order', async function () {
      this.timeout(120_000);
      await sharedContext(run, 'agent:suite-shared', 5, 3);
    });

    test('the language-model tool is registered with its input schema', () => {
      const tool = vscode.lm.tools.find((t) => t.name === 'kernelIslands_runCode');
      assert.ok(tool, `registered tools: ${vscode.lm.tools.map((t) => t.name).join(', ')}`);
      const schema = tool.inputSchema as { required?: string[]; properties?: Record<string, unknown> };
      assert.deepEqual(schema.required, ['code']);
      assert.deepEqual(Object.keys(schema.properties ?? {}).sort(), ['code', 'context', 'kernel']);
    });

    test('Show Agent Context Results opens the results panel of an agent context', async function () {
      this.timeout(60_000);
      await api.execute('agent:suite-shown', 'print("seen by a human")');
      await vscode.commands.executeCommand('kernelIslands.showAgentResults', 'agent:suite-shown');
      const tabs = () => vscode.window.tabGroups.all.flatMap((g) => g.tabs);
      const find = () => tabs().find((t) => t.label.includes('agent:suite-shown'));
      await waitFor(
        `a results panel titled after the context (tabs: ${tabs()
          .map((t) => t.label)
          .join(', ')})`,
        () => Boolean(find()),
      );
      const tab = find()!;
      assert.ok(tab.input instanceof vscode.TabInputWebview, 'the results panel is a webview');
      await vscode.window.tabGroups.close(tab);
      await assert.rejects(
        Promise.resolve(vscode.commands.executeCommand('kernelIslands.showAgentResults', 'agent:suite-none')),
        /No context "agent:suite-none"/,
      );
    });
  });
}
