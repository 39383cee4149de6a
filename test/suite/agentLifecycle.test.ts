/**
 * The agent context lifecycle inside VS Code: 50 calls of the language-model tool without a `context`, through
 * VS Code's own `vscode.lm.invokeTool` (each gets a new context, `agent:chat-<random>`), leave no more kernels than
 * `kernelIslands.agents.maxContexts` (they used to leave 50, restored after a reload too).
 *
 * Outside a chat VS Code asks for the tool's confirmation in a modal dialog (the tool's `confirmationMessages`);
 * the e2e harness answers that dialog as a user would, pressing its primary button, while this suite runs
 * (test/e2e/lib/toolConfirmations.ts). A call whose dialog nobody answered never resolves, and a declined one
 * rejects, so 50 results here mean 50 confirmed dialogs. Under test-electron nobody answers: the test is skipped
 * there (KI_E2E_RESULTS unset).
 */
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { KernelIslandsApi } from '../../types/kernel-islands';
import { localServerView, serverKernelIds } from './localServerProbe';
import { getApi, invokeRunCodeTool, shutdownIfLive } from './util';

const CAP = 3;
const CALLS = 50;
export function agentLifecycleTests(): void {
  suite('agent context lifecycle', () => {
    let api: KernelIslandsApi;
    const settings = () => vscode.workspace.getConfiguration('kernelIslands');
    const toolContexts = () => api.contexts().filter((c) => c.id.startsWith('agent:chat-'));

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

    test(`the LM tool without a context: ${CALLS} calls through vscode.lm.invokeTool leave no more than the cap (${CAP}) of kernels`, async function () {
      if (!process.env.KI_E2E_RESULTS) {
        this.skip();
      }
      this.timeout(600_000);
      const usedKernels = new Set<string>();
      const contextIds: string[] = [];
      let most = 0;
      for (let i = 0; i < CALLS; i++) {
        const text = await invokeRunCodeTool(`print(${i} * 2)`);
        const id = /Pass context "(agent:chat-[^"]+)"/.exec(text)?.[1];
        assert.ok(id, `call ${i} names its new context: ${text}`);
        assert.match(text, new RegExp(`\\b${i * 2}\\b`));
        assert.doesNotMatch(text, /was shut down/, 'a new context has nothing to be told');
        const kernelId = api.contexts().find((c) => c.id === id)?.kernelId;
        assert.ok(kernelId, `${id} is live right after its call`);
        usedKernels.add(kernelId);
        contextIds.push(id);
        most = Math.max(most, toolContexts().length);
      }
      assert.equal(new Set(contextIds).size, CALLS, 'every call without a context got a context of its own');
      assert.equal(usedKernels.size, CALLS, 'every call had a kernel of its own');
      const contexts = toolContexts();
      // The cap shuts the evicted kernels down in the background: give the last eviction its moment.
      const launcherPid = (await localServerView()).launcherPid;
      let left: string[] = [];
      for (const deadline = Date.now() + 15_000; Date.now() < deadline;) {
        left = (await serverKernelIds(launcherPid)).filter((k) => usedKernels.has(k));
        if (left.length <= CAP) {
          break;
        }
        await new Promise((resolve) => setTimeout(resolve, 500));
      }
      console.log(
        `      figure: kernels left on the server by ${CALLS} LM tool calls without a context (cap ${CAP}) = ${left.length} (contexts: ${contexts.length}, at most ${most} after any call)`,
      );
      assert.ok(contexts.length <= CAP, `${contexts.length} tool contexts are live: ${contexts.map((c) => c.id)}`);
      assert.ok(left.length <= CAP, `${left.length} of the tool's ${CALLS} kernels are still on the server`);
      const first = await api.execute(contextIds[0], 'print(1)');
      assert.match(
        first.notice ?? '',
        new RegExp(
          `^Context ${contextIds[0]} was shut down to stay within kernelIslands\\.agents\\.maxContexts=3; its variables are gone`,
        ),
      );
    });
  });
}
