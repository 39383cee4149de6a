import * as assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { waitForEvent } from '../../../src/common/event';
import type { ContextRegistry } from '../../../src/kernels/registry/contextRegistry';
import { JupyterSessionFactory } from '../../../src/kernels/session/sessionFactory';
import type { ContextChangeEvent } from '../../../src/kernels/types';
import { useTestServer } from '../fixtures/localServer';
import { findKernelPid, stillRunning } from '../../shared/kernelProcesses';
import { agentSpec, makeRegistry, serverKernelIds, tempFolder, textOf } from './helpers';
import { waitFor } from '../../shared/poll';

describe('ContextRegistry (real server, real kernels)', function () {
  this.timeout(90_000);
  const t = useTestServer();
  let registry: ContextRegistry;

  beforeEach(() => {
    registry = makeRegistry(t.server).registry;
  });
  afterEach(() => registry.disposeAsync());

  it('three contexts started in parallel hold their own x', async () => {
    const ids = ['agent:1', 'agent:2', 'agent:3'];
    await Promise.all(ids.map((id, i) => registry.execute(agentSpec(id), `x = ${i + 1}`)));
    const back = await Promise.all(ids.map((id) => registry.execute(agentSpec(id), 'print(x)')));
    assert.deepEqual(back.map(textOf), ['1\n', '2\n', '3\n']);
    assert.equal(new Set(registry.list().map((c) => c.kernelId)).size, 3);
  });

  it('8 contexts running at once never see each other’s outputs', async () => {
    const ids = Array.from({ length: 8 }, (_, i) => `agent:talk-${i}`);
    const runs = ids.flatMap((id) =>
      [0, 1, 2].map((n) =>
        registry.execute(agentSpec(id), `import time\nme = ${JSON.stringify(id)}\ntime.sleep(0.02)\nprint(me, ${n})`),
      ),
    );
    const results = await Promise.all(runs);
    results.forEach((r, k) => {
      const id = ids[Math.floor(k / 3)];
      assert.equal(textOf(r), `${id} ${k % 3}\n`);
    });
  });

  it('10 concurrent first calls for one context start exactly one kernel on the server', async () => {
    const before = await serverKernelIds(t.connection);
    const spec = agentSpec('agent:dedup');
    const calls = await Promise.all([
      ...Array.from({ length: 5 }, () => registry.getOrStart(spec)),
      ...Array.from({ length: 5 }, (_, i) => registry.execute(spec, `${i}`)),
    ]);
    const after = await serverKernelIds(t.connection);
    const added = after.filter((id) => !before.includes(id));
    assert.equal(added.length, 1);
    assert.equal(registry.get(spec.id)?.kernelId, added[0]);
    assert.ok(calls.slice(0, 5).every((s) => s === calls[0]));
  });

  it('an unknown kernelspec is refused with the available ones, without touching other contexts', async () => {
    const good = registry.execute(agentSpec('agent:good'), '21 * 2');
    await assert.rejects(
      registry.execute({ id: 'agent:bad', kind: 'agent', label: 'bad', kernelName: 'no-such-kernel' }, '1'),
      /Unknown kernelspec "no-such-kernel"\. Available kernelspecs: ir, python3\./,
    );
    assert.equal(textOf(await good), '42');
  });

  it('sets the working directory and __file__ silently: count starts at 1, no helper names', async () => {
    const cwd = tempFolder('cwd');
    const file = `${cwd}/script.py`;
    const spec = { id: `file://${file}`, kind: 'file' as const, label: 'script.py', cwd, file };
    const names = 'print("\\n".join(sorted(dir())))';
    const first = await registry.execute(spec, names);
    assert.equal(first.executionCount, 1);
    // Compared with a kernel that got no set-up at all: the only new name is __file__.
    const bare = await new JupyterSessionFactory(t.server).start('python3');
    const bareNames = textOf(await bare.execute(names))
      .trim()
      .split('\n');
    await bare.shutdown();
    assert.deepEqual(textOf(first).trim().split('\n'), [...bareNames, '__file__'].sort());
    const where = await registry.execute(spec, 'import os\nprint(os.getcwd())\nprint(__file__)');
    assert.equal(textOf(where), `${cwd}\n${file}\n`);
  });

  it("lifts the kernel's iopub send limit in the set-up, so a stalled reader cannot make the kernel drop output", async () => {
    const spec = agentSpec('agent:hwm');
    const hwm = await registry.execute(
      spec,
      "print(get_ipython().kernel.iopub_thread.socket.getsockopt(__import__('zmq').SNDHWM))",
    );
    assert.equal(textOf(hwm), '0\n', "ZMQ's default is 1000");
    await registry.restart(spec.id);
    const again = await registry.execute(
      spec,
      "print(get_ipython().kernel.iopub_thread.socket.getsockopt(__import__('zmq').SNDHWM))",
    );
    assert.equal(textOf(again), '0\n', 'set again after a restart');
  });

  it('interrupting time.sleep(60) gives KeyboardInterrupt', async () => {
    const spec = agentSpec('agent:sleepy');
    await registry.execute(spec, 'import time');
    const run = registry.execute(spec, 'time.sleep(60)');
    await waitFor('the kernel to be busy', () => (registry.get(spec.id)?.state === 'busy' ? true : undefined));
    await registry.interrupt(spec.id);
    const result = await run;
    assert.equal(result.status, 'error');
    assert.equal(result.error?.ename, 'KeyboardInterrupt');
    // The run's time is recorded; that the sleep did not run its 60 s is what KeyboardInterrupt says, not a bound.
    assert.ok(Number.isFinite(result.durationMs) && result.durationMs >= 0, `durationMs ${result.durationMs}`);
  });

  it('restart clears state, aborts the running and queued runs with a clear message, and keeps the cwd', async () => {
    const cwd = tempFolder('restart');
    const spec = agentSpec('agent:restart', cwd);
    await registry.execute(spec, 'x = 1\nimport time');
    const running = registry.execute(spec, 'time.sleep(30)');
    const queued = [registry.execute(spec, 'x = 2'), registry.execute(spec, 'print("never")')];
    await waitFor('the kernel to be busy', () => (registry.get(spec.id)?.state === 'busy' ? true : undefined));
    const lost = waitForEvent(registry.onDidChangeContexts, (e) => e.type === 'state-lost');
    await registry.restart(spec.id);
    for (const result of [await running, ...(await Promise.all(queued))]) {
      assert.equal(result.status, 'aborted');
      assert.equal(result.error?.evalue, 'aborted: kernel restarted');
      assert.equal(textOf(result), '');
    }
    assert.match((await lost).message ?? '', /restarted.*lost/);
    const after = await registry.execute(spec, 'x');
    assert.equal(after.status, 'error');
    assert.equal(after.error?.ename, 'NameError');
    assert.equal(after.executionCount, 1);
    assert.equal(textOf(await registry.execute(spec, 'import os\nprint(os.getcwd())')), `${cwd}\n`);
  });

  it('kill -9 of one kernel among four: the others keep their state, it reports state lost, then works', async () => {
    const ids = [0, 1, 2, 3].map((i) => `agent:kill-${i}`);
    const cwd = tempFolder('kill');
    await Promise.all(ids.map((id, i) => registry.execute(agentSpec(id, cwd), `x = ${i}`)));
    const victim = ids[2];
    const pid = await findKernelPid(registry.get(victim)?.kernelId ?? '');
    assert.ok(pid, 'found the kernel process');
    const changes: ContextChangeEvent[] = [];
    registry.onDidChangeContexts((e) => changes.push(e));
    const lost = waitForEvent(registry.onDidChangeContexts, (e) => e.type === 'state-lost');
    process.kill(pid, 'SIGKILL');
    const event = await lost;
    assert.equal(event.context.id, victim);
    assert.match(event.message ?? '', /died.*lost/);
    const survivors = await Promise.all(ids.map((id) => registry.execute(agentSpec(id, cwd), 'print(x)')));
    assert.deepEqual(
      survivors.map((r) => r.status),
      ['ok', 'ok', 'error', 'ok'],
    );
    assert.deepEqual(
      [0, 1, 3].map((i) => textOf(survivors[i])),
      ['0\n', '1\n', '3\n'],
    );
    assert.equal(survivors[2].error?.ename, 'NameError');
    assert.equal(textOf(await registry.execute(agentSpec(victim, cwd), 'import os\nprint(os.getcwd())')), `${cwd}\n`);
    assert.equal(changes.filter((c) => c.type === 'state-lost').length, 1, 'only the killed context lost state');
  });

  it('a stdin round trip works, and a cancelled input() ends the run with a clear message', async () => {
    const spec = agentSpec('agent:stdin');
    const prompts: string[] = [];
    const answered = await registry.execute(spec, 'name = input("Name? ")\nprint("hi", name)', {
      onStdin: async (request) => {
        prompts.push(request.prompt);
        return 'Ada';
      },
    });
    assert.deepEqual(prompts, ['Name? ']);
    assert.equal(textOf(answered), 'hi Ada\n');
    const cancelled = await registry.execute(spec, 'other = input("Again? ")', { onStdin: async () => undefined });
    assert.equal(cancelled.status, 'aborted');
    assert.match(cancelled.error?.evalue ?? '', /input was cancelled/);
    assert.equal(textOf(await registry.execute(spec, 'print(name)')), 'Ada\n', 'the kernel is usable afterwards');
    const refused = await registry.execute(spec, 'input("no handler? ")');
    assert.equal(refused.status, 'error', 'without onStdin the kernel is told stdin is not allowed');
  });

  it('10 MB of printed output arrives whole, as one stream output', async () => {
    const code = 'import sys\nfor i in range(100000):\n    sys.stdout.write("%09d" % i + "x" * 90 + "\\n")';
    const result = await registry.execute(agentSpec('agent:big'), code);
    assert.equal(result.status, 'ok');
    assert.equal(result.outputs.length, 1);
    const text = String(result.outputs[0].text);
    assert.equal(Buffer.byteLength(text), 10_000_000);
    assert.ok(text.startsWith('000000000x') && text.endsWith(`000099999${'x'.repeat(90)}\n`));
  });

  it('a burst of 20,000 flushed prints loses no line while the machine is busy (no iopub drops)', async function () {
    this.timeout(180_000);
    // Two CPU burners slow the server down, the case where ZMQ used to drop iopub messages past its high-water mark.
    const burners = [0, 1].map(() => spawn('/usr/bin/python3', ['-c', 'while True: pass'], { stdio: 'ignore' }));
    try {
      const result = await registry.execute(agentSpec('agent:burst'), 'for i in range(20000): print(i, flush=True)');
      assert.equal(result.status, 'ok');
      const lines = String(result.outputs[0]?.text ?? '').split('\n');
      assert.equal(lines.length - 1, 20_000, 'every printed line arrives');
      assert.equal(lines[19_999], '19999');
    } finally {
      burners.forEach((b) => b.kill('SIGKILL'));
    }
  });

  it('dispose shuts every kernel down: no kernel processes and no kernels on the server remain', async () => {
    const ids = ['agent:d1', 'agent:d2', 'agent:d3'];
    await Promise.all(ids.map((id) => registry.execute(agentSpec(id), '1')));
    const kernelIds = ids.map((id) => registry.get(id)?.kernelId ?? '');
    const found = await Promise.all(kernelIds.map(findKernelPid));
    const pids = found.filter((p) => p !== undefined);
    assert.equal(pids.length, ids.length, `kernel processes of ${kernelIds.join(', ')}: ${found.join(', ')}`);
    registry.dispose();
    await registry.disposeAsync();
    const listed = await serverKernelIds(t.connection);
    assert.deepEqual(
      kernelIds.filter((id) => listed.includes(id)),
      [],
    );
    await waitFor(
      'the kernel processes to exit',
      async () => ((await stillRunning(pids)).length > 0 ? undefined : true),
      10_000,
    );
  });
});
