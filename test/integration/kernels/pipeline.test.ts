import * as assert from 'node:assert/strict';
import { waitForEvent } from '../../../src/common/event';
import type { ContextRegistry } from '../../../src/kernels/registry/contextRegistry';
import { RunGroup } from '../../../src/kernels/registry/runGroup';
import type { ExecutionEvent, ExecutionResult } from '../../../src/kernels/types';
import { useTestServer } from '../fixtures/localServer';
import { agentSpec, makeRegistry, tempFolder, textOf } from './helpers';
import { waitFor } from '../../shared/poll';

/** Runs the kernel holds at once here (the registry's default window is 16). */
const WINDOW = 16;

describe('ContextRegistry pipeline (real server, real kernels)', function () {
  this.timeout(90_000);
  const t = useTestServer();
  let registry: ContextRegistry;
  let events: ExecutionEvent[];

  beforeEach(() => {
    registry = makeRegistry(t.server).registry;
    events = [];
    registry.onDidExecute((e) => events.push(e));
  });
  afterEach(() => registry.disposeAsync());

  /** Every `start` of a run comes after the `end` of the run before it, and outputs only between its start and end. */
  const assertTruthfulEvents = (runIds: number[]) => {
    const mine = events.filter((e) => runIds.includes(e.runId));
    const order = mine.filter((e) => e.type !== 'output').map((e) => `${e.type}:${e.runId}`);
    assert.deepEqual(
      order,
      runIds.flatMap((id) => [`start:${id}`, `end:${id}`]),
    );
    let current: number | undefined;
    for (const e of mine) {
      if (e.type === 'start') {
        current = e.runId;
      } else {
        assert.equal(e.runId, current, `${e.type} of run ${e.runId} arrived while run ${String(current)} ran`);
      }
    }
  };

  it(`runs queued past the kernel's window of ${WINDOW} on one context run in FIFO order, each with only its own output, execution count and events`, async () => {
    const spec = agentSpec('agent:pipe-order');
    await registry.execute(spec, 'order = []');
    const first = events.length;
    const runs = Array.from({ length: 50 }, (_, i) =>
      registry.execute(spec, `order.append(${i})\nprint("run-${i}")\n"result-${i}"`),
    );
    const results = await Promise.all(runs);
    results.forEach((r, i) => {
      assert.equal(r.status, 'ok');
      assert.equal(textOf(r), `run-${i}\n'result-${i}'`);
      assert.equal(r.executionCount, i + 2);
    });
    const order = await registry.execute(spec, 'print(order == list(range(50)))');
    assert.equal(textOf(order), 'True\n');
    const ids = [...new Set(events.slice(first).map((e) => e.runId))].slice(0, 50);
    assertTruthfulEvents(ids);
  });

  it('a restart mid-pipeline ends every run (aborted after the running one), then repeats the set-up', async () => {
    const cwd = tempFolder('pipe-restart');
    const spec = agentSpec('agent:pipe-restart', cwd);
    await registry.execute(spec, 'import time\nn = 0');
    const runs = Array.from({ length: 30 }, () => registry.execute(spec, 'time.sleep(0.05)\nn += 1'));
    await waitFor('the pipeline to run', () =>
      events.some((e) => e.type === 'end' && e.runId > 1) ? true : undefined,
    );
    await registry.restart(spec.id);
    const results = await Promise.all(runs);
    const statuses = results.map((r) => r.status);
    const firstAborted = statuses.indexOf('aborted');
    assert.ok(firstAborted >= 0 && firstAborted < 25, `most runs were aborted: ${statuses.join(',')}`);
    assert.ok(
      statuses.slice(firstAborted).every((s) => s === 'aborted'),
      'no run after an aborted one ran',
    );
    for (const r of results.slice(firstAborted)) {
      assert.equal(r.error?.evalue, 'aborted: kernel restarted');
    }
    const after = await registry.execute(spec, 'import os\nprint(os.getcwd())\nprint("n" in dir())');
    assert.equal(textOf(after), `${cwd}\nFalse\n`);
  });

  it('a kernel death mid-pipeline ends the runs it held, reports the state lost, and the next run works', async () => {
    const cwd = tempFolder('pipe-death');
    const spec = agentSpec('agent:pipe-death', cwd);
    await registry.execute(spec, 'import os, time\nn = 0');
    const lost = waitForEvent(registry.onDidChangeContexts, (e) => e.type === 'state-lost');
    const codes = ['n += 1', 'n += 1', 'time.sleep(0.2)\nos._exit(1)', ...Array(8).fill('n += 1')];
    const results: ExecutionResult[] = await Promise.all(codes.map((code) => registry.execute(spec, code)));
    assert.match((await lost).message ?? '', /died/);
    assert.deepEqual(
      results.map((r) => r.status),
      ['ok', 'ok', ...Array(9).fill('aborted')],
    );
    assert.ok(results.slice(2).every((r) => r.error?.evalue === 'aborted: kernel died'));
    const after = await registry.execute(spec, 'import os\nprint(os.getcwd())\nprint("n" in dir())');
    assert.equal(textOf(after), `${cwd}\nFalse\n`);
  });

  it('interrupt stops only the running run; the runs behind it in the kernel go on', async () => {
    const spec = agentSpec('agent:pipe-interrupt');
    await registry.execute(spec, 'import time');
    const sleeper = registry.execute(spec, 'time.sleep(30)');
    const behind = [1, 2, 3].map((i) => registry.execute(spec, `print(${i})`));
    await waitFor('the kernel to be busy', () => (registry.get(spec.id)?.state === 'busy' ? true : undefined));
    await registry.interrupt(spec.id);
    const stopped = await sleeper;
    assert.equal(stopped.error?.ename, 'KeyboardInterrupt');
    assert.deepEqual((await Promise.all(behind)).map(textOf), ['1\n', '2\n', '3\n']);
  });

  it('input() works for a run that waited in the pipeline', async () => {
    const spec = agentSpec('agent:pipe-stdin');
    const prompts: string[] = [];
    const runs = [
      registry.execute(spec, 'import time\ntime.sleep(0.3)'),
      registry.execute(spec, 'name = input("Name? ")', {
        onStdin: async (request) => {
          prompts.push(request.prompt);
          return 'Ada';
        },
      }),
      registry.execute(spec, 'print("hi", name)'),
    ];
    const results = await Promise.all(runs);
    assert.deepEqual(prompts, ['Name? ']);
    assert.equal(textOf(results[2]), 'hi Ada\n');
  });

  it("a grouped run that raises stops its group's later runs; a run another caller queued after them still runs", async () => {
    const spec = agentSpec('agent:pipe-group');
    await registry.execute(spec, 'steps = []');
    const group = new RunGroup();
    const grouped = ['steps.append(0)', 'steps.append(1)\nraise ValueError("stop here")', 'steps.append(2)'].map(
      (code) => registry.execute(spec, code, { group }),
    );
    const other = registry.execute(spec, 'steps.append("other")');
    const results = await Promise.all(grouped);
    assert.deepEqual(
      results.map((r) => [r.status, r.error?.ename]),
      [
        ['ok', undefined],
        ['error', 'ValueError'],
        ['aborted', 'Aborted'],
      ],
    );
    assert.equal((await other).status, 'ok');
    const steps = await registry.execute(spec, 'print(steps)');
    assert.equal(textOf(steps), "[0, 1, 'other']\n", 'the third grouped run never ran');
  });
});
