import * as assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import * as path from 'node:path';
import { probeServer } from '../../../src/jupyter/serverStatus';
import { TEST_PYTHON } from '../fixtures/localServer';
import { signalAll } from '../../shared/kernelProcesses';
import { waitUntilGone } from './processes';

interface OwnerReport {
  launcherPid: number;
  kernelPids: number[];
  baseUrl: string;
  token: string;
}

/** Starts serverOwner.ts in its own Node process and waits for its pid report. */
function startOwner(graceSeconds: number, asSubreaper = false): Promise<{ owner: ChildProcess; report: OwnerReport }> {
  const script = path.join(__dirname, 'serverOwner.ts');
  const node = [process.execPath, '--require', 'tsx/cjs', script, String(graceSeconds)];
  const command = asSubreaper ? [TEST_PYTHON, path.join(__dirname, 'subreaper.py'), ...node] : node;
  const owner = spawn(command[0] as string, command.slice(1), { stdio: ['ignore', 'pipe', 'pipe'] });
  return new Promise((resolve, reject) => {
    let out = '';
    let err = '';
    owner.stderr?.on('data', (chunk) => (err += chunk));
    owner.stdout?.on('data', (chunk) => {
      out += chunk;
      const line = out.split('\n').find((l) => l.startsWith('{'));
      if (line && out.includes('\n')) {
        resolve({ owner, report: JSON.parse(line) as OwnerReport });
      }
    });
    owner.once('exit', (code) => reject(new Error(`owner exited (${code}) before reporting: ${err}`)));
  });
}

/**
 * The grace period of the test that checks one: long beside the one local HTTP probe made as soon as the owner is
 * gone, so only a server that stops early fails it, however slow the machine.
 */
const GRACE_S = 5;

describe('LocalJupyterServer when its owner is SIGKILLed (real processes)', () => {
  const owners: ChildProcess[] = [];
  const leftovers: number[] = [];

  afterEach(async () => {
    owners.splice(0).forEach((o) => o.exitCode === null && o.kill('SIGKILL'));
    signalAll(leftovers.splice(0), 'SIGKILL');
  });

  it('with no grace period, takes the server and its kernels down with it', async () => {
    const { owner, report } = await startOwner(0);
    owners.push(owner);
    const pids = [report.launcherPid, ...report.kernelPids];
    leftovers.push(...pids);
    assert.equal(report.kernelPids.length, 1);
    owner.kill('SIGKILL');
    const started = Date.now();
    assert.deepEqual(await waitUntilGone(pids, 30_000), [], 'processes outlived their owner');
    console.log(`      (server and kernel gone ${Date.now() - started} ms after the owner's SIGKILL)`);
  });

  it('with a grace period, keeps serving for that long, then goes', async () => {
    const { owner, report } = await startOwner(GRACE_S);
    owners.push(owner);
    const pids = [report.launcherPid, ...report.kernelPids];
    leftovers.push(...pids);
    const ownerGone = once(owner, 'exit');
    owner.kill('SIGKILL');
    await ownerGone;
    const during = await probeServer(report.baseUrl, report.token, GRACE_S * 1000);
    assert.deepEqual(during, { status: 200 }, 'server stopped before its grace period ended');
    assert.deepEqual(await waitUntilGone(pids, GRACE_S * 1000 + 30_000), [], 'processes outlived the grace period');
  });

  it('kernels die with a SIGKILLed launcher even when orphans go to a subreaper, not PID 1', async function () {
    if (process.platform !== 'linux') {
      // PR_SET_PDEATHSIG and subreapers are Linux features.
      this.skip();
    }
    const { owner, report } = await startOwner(0, true);
    owners.push(owner);
    leftovers.push(report.launcherPid, ...report.kernelPids);
    process.kill(report.launcherPid, 'SIGKILL');
    assert.deepEqual(await waitUntilGone(report.kernelPids, 30_000), [], 'kernels outlived their launcher');
  });
});
