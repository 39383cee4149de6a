/**
 * Concurrency scenarios for agents, shared by the Node integration test (on the registry) and the in-host test
 * (through the exported API). Pure: no VS Code, no mocha; a caller passes how to run code in a named context.
 */
import * as assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';

/** What a scenario needs from a run: its status and the text printed on stdout. */
export interface AgentRun {
  status: string;
  stdout: string;
}

/** Runs code in a named context (one context per name). */
export type RunInContext = (context: string, code: string) => Promise<AgentRun>;

/** Python that sleeps a random moment, so the callers' runs interleave differently each time. */
const jitter = 'import time as _t, random as _r\n_t.sleep(_r.random() * 0.05)\n';

/**
 * `callers` agents, each with its own context, run `steps` stateful steps in parallel. Each step prints the
 * caller's own number and its accumulated list, so a run that saw another caller's variables, or an output
 * delivered to the wrong caller, fails the exact comparison.
 */
export async function isolatedCallers(run: RunInContext, prefix: string, callers = 10, steps = 5): Promise<void> {
  const caller = async (i: number): Promise<void> => {
    const context = `${prefix}-${i}`;
    const token = randomUUID();
    const first = await run(context, `me = ${i}\nacc = []\ntoken_${i} = "${token}"`);
    assert.equal(first.status, 'ok', `caller ${i} set-up`);
    for (let k = 1; k <= steps; k++) {
      const r = await run(context, `${jitter}acc.append(${k})\nprint(f"{me}:{acc}")`);
      const expected = `${i}:[${Array.from({ length: k }, (_, j) => j + 1).join(', ')}]\n`;
      assert.equal(r.stdout, expected, `caller ${i}, step ${k}: got another caller's output or state`);
    }
    const seen = await run(context, 'print(sorted(k for k in globals() if k.startswith("token_")), me)');
    assert.equal(seen.stdout, `['token_${i}'] ${i}\n`, `caller ${i} sees only its own variables`);
  };
  await Promise.all(Array.from({ length: callers }, (_, i) => caller(i)));
}

/**
 * `callers` agents name the same context and fire `runsEach` runs each without waiting. Every run reads a
 * counter, sleeps, and writes it back: overlapping runs would lose updates. Runs must complete in the order they
 * were asked (FIFO), each printing its own position, and all share one namespace.
 */
export async function sharedContext(run: RunInContext, context: string, callers = 5, runsEach = 4): Promise<void> {
  const first = await run(context, 'counter = 0\norder = []');
  assert.equal(first.status, 'ok');
  const asked: Array<{ who: string; result: Promise<AgentRun> }> = [];
  for (let j = 0; j < runsEach; j++) {
    for (let c = 0; c < callers; c++) {
      const who = `c${c}-r${j}`;
      const code = `${jitter}_v = counter\n_t.sleep(0.01)\ncounter = _v + 1\norder.append("${who}")\nprint(counter, "${who}")`;
      asked.push({ who, result: run(context, code) });
    }
  }
  const results = await Promise.all(asked.map((a) => a.result));
  results.forEach((r, k) => {
    assert.equal(r.status, 'ok');
    assert.equal(r.stdout, `${k + 1} ${asked[k].who}\n`, `run ${k} ran out of order or overlapped another`);
  });
  const order = await run(context, 'print(",".join(order), counter)');
  assert.equal(order.stdout, `${asked.map((a) => a.who).join(',')} ${asked.length}\n`);
}
