/**
 * The agent context lifecycle inside VS Code: 50 calls, each to a new agent context (what the language-model tool
 * does for every call without a `context`: `agent:chat-<random>`), leave no more kernels than
 * `kernelIslands.agents.maxContexts` (they used to leave 50, restored after a reload too).
 *
 * The calls go through the exported API, which runs through the same lifecycle as the tool. `vscode.lm.invokeTool`
 * cannot be used here: outside a chat, VS Code asks for the tool's confirmation in a modal dialog that only a user
 * (or the proposed `chatParticipantPrivate` API) can answer. The tool's own path is covered by
 * test/unit/api/runCodeTool.test.ts (50 calls without a context, on the real registry and lifecycle).
 */
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { KernelIslandsApi } from '../../types/kernel-islands';
import { localServerView, serverKernelIds } from './localServerProbe';
import { getApi, plainText, shutdownIfLive } from './util';

const CAP = 3;
const CALLS = 50;

export function agentLifecycleTests(): void {
  suite('agent context lifecycle', () => {
    let api: KernelIslandsApi;
    const settings = () => vscode.workspace.getConfiguration('kernelIslands');
    const toolContexts = () => api.contexts().filter((c) => c.id.startsWith('agent:suite-chat-'));

    suiteSetup(async () => {
      api = await getApi();
      // A changed setting applies at once: this also checks that path.
      await settings().update('agents.maxContexts', CAP, vscode.ConfigurationTarget.Global);
    });

    suiteTeardown(async function () {
      this.timeout(120_000);
      await settings().update('agents.maxContexts', undefined, vscode.ConfigurationTarget.Global);
      await Promise.all(toolContexts().map((c) => shutdownIfLive(api, c.id)));
    });

    test(`${CALLS} calls, each to a new agent context, leave no more than the cap (${CAP}) of kernels`, async function () {
      this.timeout(600_000);
      const usedKernels = new Set<string>();
      let most = 0;
      for (let i = 0; i < CALLS; i++) {
        const id = `agent:suite-chat-${i}`;
        const result = await api.execute(id, `print(${i} * 2)`);
        assert.equal(plainText(result), String(i * 2));
        assert.equal(result.notice, undefined, 'a new context has nothing to be told');
        const kernelId = api.contexts().find((c) => c.id === id)?.kernelId;
        assert.ok(kernelId, `${id} is live right after its call`);
        usedKernels.add(kernelId);
        most = Math.max(most, toolContexts().length);
      }
      assert.equal(usedKernels.size, CALLS, 'every call had a kernel of its own');
      const first = await api.execute('agent:suite-chat-0', 'print(1)');
      assert.match(
        first.notice ?? '',
        /^Context agent:suite-chat-0 was shut down to stay within kernelIslands\.agents\.maxContexts=3; its variables are gone/,
      );
      const contexts = toolContexts();
      const onServer = await serverKernelIds((await localServerView()).launcherPid);
      const left = onServer.filter((k) => usedKernels.has(k));
      console.log(
        `      figure: kernels left on the server by ${CALLS} calls to new agent contexts (cap ${CAP}) = ${left.length} (contexts: ${contexts.length}, at most ${most} after any call)`,
      );
      assert.ok(contexts.length <= CAP, `${contexts.length} tool contexts are live: ${contexts.map((c) => c.id)}`);
      assert.ok(left.length <= CAP, `${left.length} of the tool's ${CALLS} kernels are still on the server`);
    });
  });
}
