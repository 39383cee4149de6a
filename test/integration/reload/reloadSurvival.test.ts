import * as assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import * as path from 'node:path';
import { signalAll } from '../../shared/kernelProcesses';
import { sleep, waitFor } from '../../shared/poll';
import { waitUntilGone } from '../jupyter/processes';
import { findKernelPid, kernelPidsUnder } from '../../shared/kernelProcesses';
import { HostProcess, kernelsOn, readState, stateFileIn } from './hostDriver';

interface ExecReply {
  status: string;
  text: string;
  kernelId: string;
  ms: number;
}

interface InfoReply {
  launcherPid: number;
  adopted: boolean;
  startMs: number;
}

/**
 * How long past the grace period the tests wait for a server to go before they fail: a bound to give up at, not a
 * speed claim (how long it took is printed).
 */
const GIVE_UP_MS = 30_000;

/** Every process of a server: the launcher and its kernels. */
async function serverPids(launcherPid: number): Promise<number[]> {
  return [launcherPid, ...(await kernelPidsUnder(launcherPid))];
}

describe('Reload survival: a new extension host adopts the server and each context its own kernel', function () {
  this.timeout(120_000);
  const hosts: HostProcess[] = [];
  const leftovers: number[] = [];
  const stateFiles: string[] = [];
  const newStateFile = (prefix: string) => {
    const file = stateFileIn(prefix);
    stateFiles.push(file);
    return file;
  };
  const host = (stateFile: string, grace: number) => {
    const h = new HostProcess(stateFile, grace);
    hosts.push(h);
    return h;
  };

  afterEach(async () => {
    hosts.splice(0).forEach((h) => h.kill());
    // The state files hold server tokens (of servers now gone); leave none behind.
    stateFiles.splice(0).forEach((file) => rmSync(path.dirname(file), { recursive: true, force: true }));
    signalAll(leftovers.splice(0), 'SIGKILL');
  });

  it('gives three contexts their own kernels and values back after the host is SIGKILLed', async () => {
    const stateFile = newStateFile('reload');
    const first = host(stateFile, 20);
    const before = new Map<string, string>();
    for (const [id, value] of [
      ['a.py', 1],
      ['b.py', 2],
      ['c.py', 3],
    ] as const) {
      const reply = await first.send<ExecReply>({ cmd: 'exec', id, code: `x = ${value}` });
      assert.equal(reply.status, 'ok');
      before.set(id, reply.kernelId);
    }
    await first.send({ cmd: 'attach', id: 'd.py', target: 'a.py' });
    const info1 = await first.send<InfoReply>({ cmd: 'info' });
    leftovers.push(...(await serverPids(info1.launcherPid)));
    const saved = readState(stateFile).server!;
    const poolKernels = (await kernelsOn(saved)).filter((id) => ![...before.values()].includes(id));
    assert.equal(poolKernels.length, 1, 'the first host keeps one warm kernel');

    first.kill();
    const killedAt = Date.now();
    const second = host(stateFile, 20);
    await second.ready;
    const values: Record<string, string> = {};
    for (const id of ['a.py', 'b.py', 'c.py', 'd.py']) {
      const reply = await second.send<ExecReply>({ cmd: 'exec', id, code: 'print(x)' });
      values[id] = reply.text.trim();
      if (id !== 'd.py') {
        assert.equal(reply.kernelId, before.get(id), `${id} was not given its own kernel back`);
      }
    }
    const info2 = await second.send<InfoReply>({ cmd: 'info' });
    console.log(
      `      (adopted in ${info2.startMs} ms; first value back ${Date.now() - killedAt} ms after the SIGKILL, host start included)`,
    );
    assert.deepEqual(values, { 'a.py': '1', 'b.py': '2', 'c.py': '3', 'd.py': '1' });
    assert.equal(info2.adopted, true);
    assert.equal(info2.launcherPid, info1.launcherPid, 'a new server was started instead of adopting the old one');
    assert.equal(new Set(before.values()).size, 3, 'two contexts share a kernel');
    // Unclaimed kernels are shut down in the background once listed.
    await waitFor(
      'the old warm kernel nobody claimed to be shut down',
      async () => !(await kernelsOn(saved)).includes(poolKernels[0]!),
      GIVE_UP_MS,
      100,
    );

    await second.send({ cmd: 'stop' });
    assert.deepEqual(await waitUntilGone(await serverPids(info1.launcherPid), GIVE_UP_MS), []);
  });

  it('after the grace period with no host, the server and its kernels exit', async () => {
    const grace = 3;
    const stateFile = newStateFile('orphan');
    const first = host(stateFile, grace);
    await first.send({ cmd: 'exec', id: 'a.py', code: 'x = 1' });
    await first.send({ cmd: 'exec', id: 'b.py', code: 'x = 2' });
    const { launcherPid } = await first.send<InfoReply>({ cmd: 'info' });
    const pids = await serverPids(launcherPid);
    leftovers.push(...pids);
    assert.ok(pids.length >= 3, `expected a launcher and at least two kernels, got ${pids.length} processes`);

    first.kill();
    const killedAt = Date.now();
    // Checked as soon as the host is gone, not at a moment inside the grace period a loaded machine may overshoot.
    assert.deepEqual(await waitUntilGone([first.pid], GIVE_UP_MS), [], 'the host did not die');
    assert.equal((await waitUntilGone(pids, 0)).length, pids.length, 'processes ended with the host, before the grace');
    assert.deepEqual(await waitUntilGone(pids, grace * 1000 + GIVE_UP_MS), [], 'processes outlived the grace period');
    console.log(
      `      (server and ${pids.length - 1} kernels gone ${Date.now() - killedAt} ms after the SIGKILL, grace ${grace} s)`,
    );
  });

  it('an adopted server stops after the grace period when its new host dies too', async () => {
    const grace = 3;
    const stateFile = newStateFile('twice');
    const first = host(stateFile, grace);
    await first.send({ cmd: 'exec', id: 'a.py', code: 'x = 5' });
    const { launcherPid } = await first.send<InfoReply>({ cmd: 'info' });
    leftovers.push(...(await serverPids(launcherPid)));
    first.kill();

    const second = host(stateFile, grace);
    const reply = await second.send<ExecReply>({ cmd: 'exec', id: 'a.py', code: 'print(x)' });
    assert.equal(reply.text.trim(), '5');
    leftovers.push(...(await serverPids(launcherPid)));
    // The launcher and a.py's kernel; warm kernels come and go (the old one is pruned in the background).
    const pids = [launcherPid, (await findKernelPid(reply.kernelId)) as number];
    // Longer than the grace period: only the new host's heartbeats can have kept it alive.
    await sleep(grace * 1000 + 1500);
    assert.equal((await waitUntilGone(pids, 0)).length, pids.length, 'the adopted server stopped under its new host');
    second.kill();
    const killedAt = Date.now();
    assert.deepEqual(await waitUntilGone(pids, grace * 1000 + GIVE_UP_MS), [], 'processes outlived the grace period');
    console.log(`      (adopted server gone ${Date.now() - killedAt} ms after its second host's SIGKILL)`);
  });

  it('a second host that comes too late starts a fresh server and says the state is lost', async () => {
    const grace = 1;
    const stateFile = newStateFile('late');
    const first = host(stateFile, grace);
    await first.send({ cmd: 'exec', id: 'a.py', code: 'x = 7' });
    const { launcherPid } = await first.send<InfoReply>({ cmd: 'info' });
    const pids = await serverPids(launcherPid);
    leftovers.push(...pids);
    first.kill();
    assert.deepEqual(await waitUntilGone(pids, grace * 1000 + GIVE_UP_MS), []);

    const second = host(stateFile, grace);
    const reply = await second.send<ExecReply>({ cmd: 'exec', id: 'a.py', code: 'print(globals().get("x"))' });
    assert.equal(reply.text.trim(), 'None');
    const info = await second.send<InfoReply>({ cmd: 'info' });
    leftovers.push(...(await serverPids(info.launcherPid)));
    assert.equal(info.adopted, false);
    assert.notEqual(info.launcherPid, launcherPid);
    await second.send({ cmd: 'stop' });
  });
});
