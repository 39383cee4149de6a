import * as assert from 'node:assert/strict';
import type { Logger } from '../../../src/common/log';
import { statusText } from '../../../src/ui/kernels/statusBar';
import { hubHooks, SIGN_IN_AGAIN_CHOICE, START_AGAIN_CHOICE } from '../../../src/workbench/hubServers';
import { vscodeDouble } from '../withVscodeDouble';

/** The warnings shown, as the hub prompts show only warnings. */
const warnings = () => vscodeDouble.messages.filter((m) => m.kind === 'warning');

const lines: string[] = [];
const log: Logger = { info: (m) => lines.push(m), warn: (m) => lines.push(m), error: (m) => lines.push(String(m)) };
const hub = { name: 'uni', url: 'https://hub.uni.example/', user: 'alice' };
const settle = () => new Promise((resolve) => setImmediate(resolve));

describe('JupyterHub prompts in VS Code', () => {
  beforeEach(() => {
    lines.length = 0;
  });

  it("shows the hub's progress events in the notification, as increments, and logs each", async () => {
    const hooks = hubHooks(hub, log);
    await hooks.showStart('Starting uni on JupyterHub', async (report) => {
      report({ progress: 0, message: 'Server requested' });
      report({ progress: 50, message: 'Spawning server...' });
      report({ progress: 100, message: 'Server ready at /user/alice/', ready: true });
    });
    assert.deepEqual(vscodeDouble.progressReports, [
      { message: 'Server requested', increment: 0 },
      { message: 'Spawning server...', increment: 50 },
      { message: 'Server ready at /user/alice/', increment: 50 },
    ]);
    assert.match(lines.join('\n'), /JupyterHub uni: progress 50%: Spawning server\.\.\./);
  });

  it('asks before starting a stopped server again, and starts it only on Start Again', async () => {
    const hooks = hubHooks(hub, log);
    assert.equal(await hooks.confirmRestart('JupyterHub stopped the server "uni". Start it again?'), false);
    vscodeDouble.answer = START_AGAIN_CHOICE;
    assert.equal(await hooks.confirmRestart('JupyterHub stopped the server "uni". Start it again?'), true);
    assert.deepEqual(warnings()[1]?.choices, [START_AGAIN_CHOICE]);
    assert.match(warnings()[1]?.message ?? '', /^Kernel Islands: JupyterHub stopped/);
  });

  it('offers Sign In Again with the reason, once per refusal, and signs in to that hub when pressed', async () => {
    vscodeDouble.answer = SIGN_IN_AGAIN_CHOICE;
    const hooks = hubHooks(hub, log);
    hooks.refused('Your JupyterHub token for "alice" expired at 2026-12-01T00:00:00.000Z. Sign in again.');
    hooks.refused('Your JupyterHub token for "alice" expired at 2026-12-01T00:00:00.000Z. Sign in again.');
    assert.equal(vscodeDouble.messages.length, 1, 'the same refusal is offered once while its offer is open');
    assert.match(warnings()[0]?.message ?? '', /expired at/);
    await settle();
    assert.deepEqual(vscodeDouble.executed, [['kernelIslands.signInToJupyterHub', 'uni']]);
  });

  it('the status bar says the hub stopped the server, not that the kernel died', () => {
    const info = { kernelName: 'python3', state: 'dead' as const, server: 'uni/gpu' };
    assert.equal(statusText(info, true), '$(debug-stop) uni/gpu · python3: server stopped by JupyterHub');
    assert.equal(statusText(info), '$(error) uni/gpu · python3: kernel died');
  });
});
