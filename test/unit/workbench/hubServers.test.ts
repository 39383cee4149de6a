import * as assert from 'node:assert/strict';
import type { Logger } from '../../../src/common/log';
import type * as HubServers from '../../../src/workbench/hubServers';
import type * as StatusBar from '../../../src/ui/kernels/statusBar';
import { requireWithVscodeStub } from '../withVscodeStub';

const warnings: Array<{ message: string; choices: string[] }> = [];
const executed: unknown[][] = [];
const reports: Array<{ message?: string; increment?: number }> = [];
let answer: string | undefined;

const vscodeStub = {
  ProgressLocation: { Notification: 15 },
  window: {
    showWarningMessage: (message: string, ...choices: string[]) => {
      warnings.push({ message, choices });
      return Promise.resolve(answer);
    },
    withProgress: (_options: unknown, task: (p: { report: (r: (typeof reports)[0]) => void }) => Promise<void>) =>
      task({ report: (r) => reports.push(r) }),
  },
  commands: {
    executeCommand: (...args: unknown[]) => {
      executed.push(args);
      return Promise.resolve(true);
    },
  },
};

const { hubHooks, START_AGAIN_CHOICE, SIGN_IN_AGAIN_CHOICE } = requireWithVscodeStub<typeof HubServers>(
  require.resolve('../../../src/workbench/hubServers'),
  vscodeStub,
);
const { statusText } = requireWithVscodeStub<typeof StatusBar>(
  require.resolve('../../../src/ui/kernels/statusBar'),
  vscodeStub,
);

const lines: string[] = [];
const log: Logger = { info: (m) => lines.push(m), warn: (m) => lines.push(m), error: (m) => lines.push(String(m)) };
const hub = { name: 'uni', url: 'https://hub.uni.example/', user: 'alice' };
const settle = () => new Promise((resolve) => setImmediate(resolve));

describe('JupyterHub prompts in VS Code', () => {
  beforeEach(() => {
    warnings.length = 0;
    executed.length = 0;
    reports.length = 0;
    lines.length = 0;
    answer = undefined;
  });

  it("shows the hub's progress events in the notification, as increments, and logs each", async () => {
    const hooks = hubHooks(hub, log);
    await hooks.showStart('Starting uni on JupyterHub', async (report) => {
      report({ progress: 0, message: 'Server requested' });
      report({ progress: 50, message: 'Spawning server...' });
      report({ progress: 100, message: 'Server ready at /user/alice/', ready: true });
    });
    assert.deepEqual(reports, [
      { message: 'Server requested', increment: 0 },
      { message: 'Spawning server...', increment: 50 },
      { message: 'Server ready at /user/alice/', increment: 50 },
    ]);
    assert.match(lines.join('\n'), /JupyterHub uni: progress 50%: Spawning server\.\.\./);
  });

  it('asks before starting a stopped server again, and starts it only on Start Again', async () => {
    const hooks = hubHooks(hub, log);
    assert.equal(await hooks.confirmRestart('JupyterHub stopped the server "uni". Start it again?'), false);
    answer = START_AGAIN_CHOICE;
    assert.equal(await hooks.confirmRestart('JupyterHub stopped the server "uni". Start it again?'), true);
    assert.deepEqual(warnings[1]?.choices, [START_AGAIN_CHOICE]);
    assert.match(warnings[1]?.message ?? '', /^Kernel Islands: JupyterHub stopped/);
  });

  it('offers Sign In Again with the reason, once per refusal, and signs in to that hub when pressed', async () => {
    answer = SIGN_IN_AGAIN_CHOICE;
    const hooks = hubHooks(hub, log);
    hooks.refused('Your JupyterHub token for "alice" expired at 2026-12-01T00:00:00.000Z. Sign in again.');
    hooks.refused('Your JupyterHub token for "alice" expired at 2026-12-01T00:00:00.000Z. Sign in again.');
    assert.equal(warnings.length, 1, 'the same refusal is offered once while its offer is open');
    assert.match(warnings[0]?.message ?? '', /expired at/);
    await settle();
    assert.deepEqual(executed, [['kernelIslands.signInToJupyterHub', 'uni']]);
  });

  it('the status bar says the hub stopped the server, not that the kernel died', () => {
    const info = { kernelName: 'python3', state: 'dead' as const, server: 'uni/gpu' };
    assert.equal(statusText(info, true), '$(debug-stop) uni/gpu · python3: server stopped by JupyterHub');
    assert.equal(statusText(info), '$(error) uni/gpu · python3: kernel died');
  });
});
