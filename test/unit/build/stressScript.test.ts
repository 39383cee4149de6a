/**
 * `npm run test:stress` (scripts/stress.sh) with trivial layers in place of the integration and end-to-end layers:
 * the busy loops run while the layers do and are gone when the script ends, however it ends; the script exits with
 * the first failing layer's status and prints each layer's time.
 */
import * as assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { waitFor } from '../../shared/poll';

const SCRIPT = path.resolve(__dirname, '..', '..', '..', 'scripts', 'stress.sh');

interface Run {
  child: ChildProcess;
  output: () => string;
  exit: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

function stress(env: Record<string, string>): Run {
  const child = spawn('bash', [SCRIPT], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let text = '';
  child.stdout?.on('data', (chunk: Buffer) => (text += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (text += chunk.toString()));
  const exit = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on('exit', (code, signal) => resolve({ code, signal })),
  );
  return { child, output: () => text, exit };
}

/** The busy loops' pids, from the script's first line. */
function burnersOf(output: string): number[] {
  const pids = /busy loops \(pids (\d+) (\d+)\)/.exec(output);
  assert.ok(pids, `the script names its busy loops:\n${output}`);
  return [Number(pids[1]), Number(pids[2])];
}

/** Whether `pid` runs (an exited process not yet reaped, a zombie, does not). */
function alive(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return !/^[ZX]/.test(stat.slice(stat.lastIndexOf(')') + 2));
  } catch {
    return false;
  }
}

/** A layer that prints its pid, then waits to be stopped. */
const WAITING_LAYER = 'echo "layer started $$"; exec sleep 60';
const layerPid = (output: string) => Number(/layer started (\d+)/.exec(output)?.[1]);

describe('npm run test:stress (scripts/stress.sh)', function () {
  this.timeout(30_000);

  it('runs both layers while two busy loops run, prints their times, exits 0 and leaves no busy loop', async () => {
    // Each layer checks that both busy loops run while it does.
    const check = 'for pid in $KI_STRESS_BURNERS; do kill -0 $pid || exit 7; done; echo "$LAYER ran"';
    const run = stress({ KI_STRESS_INTEGRATION: `LAYER=int; ${check}`, KI_STRESS_E2E: `LAYER=e2e; ${check}` });
    const { code } = await run.exit;
    const output = run.output();
    assert.equal(code, 0, output);
    assert.match(output, /int ran\n[\s\S]*e2e ran\n/, 'the integration layer, then the end-to-end one');
    assert.match(output, /integration layer took \d+ s \(exit 0\)/);
    assert.match(output, /e2e layer took \d+ s \(exit 0\)/);
    assert.deepEqual(burnersOf(output).filter(alive), [], 'no busy loop outlives the script');
  });

  it('exits with the failing layer’s status and runs nothing after it', async () => {
    const run = stress({ KI_STRESS_INTEGRATION: 'exit 3', KI_STRESS_E2E: 'echo e2e ran' });
    const { code } = await run.exit;
    const output = run.output();
    assert.equal(code, 3, output);
    assert.match(output, /integration layer took \d+ s \(exit 3\)/);
    assert.doesNotMatch(output, /e2e ran/);
    assert.deepEqual(burnersOf(output).filter(alive), []);
  });

  it('KI_STRESS_ROUNDS=2 runs the layers twice in a row; a bad count is refused with the reason', async () => {
    const twice = stress({ KI_STRESS_ROUNDS: '2', KI_STRESS_INTEGRATION: 'true', KI_STRESS_E2E: 'true' });
    assert.equal((await twice.exit).code, 0, twice.output());
    assert.equal(twice.output().match(/layer took/g)?.length, 4, twice.output());
    const bad = stress({ KI_STRESS_ROUNDS: 'three' });
    assert.equal((await bad.exit).code, 2);
    assert.match(bad.output(), /KI_STRESS_ROUNDS must be a whole number of rounds \(1 or more\), not 'three'/);
    assert.doesNotMatch(bad.output(), /busy loops/, 'nothing started');
  });

  it('SIGTERM mid-layer stops the layer and the busy loops at once, and exits 143', async () => {
    const run = stress({ KI_STRESS_INTEGRATION: WAITING_LAYER, KI_STRESS_E2E: 'echo e2e ran' });
    const layer = await waitFor('the layer to start', () => layerPid(run.output()) || undefined);
    const burners = burnersOf(run.output());
    run.child.kill('SIGTERM');
    const { code } = await run.exit;
    assert.equal(code, 143, run.output());
    assert.match(run.output(), /stopped by SIGTERM/);
    assert.doesNotMatch(run.output(), /e2e ran/);
    assert.deepEqual(burners.filter(alive), []);
    assert.equal(alive(layer), false, 'the layer was stopped with the script');
  });

  it('SIGKILL (no trap runs): the busy loops end by themselves', async () => {
    const run = stress({ KI_STRESS_INTEGRATION: WAITING_LAYER });
    const layer = await waitFor('the layer to start', () => layerPid(run.output()) || undefined);
    const burners = burnersOf(run.output());
    run.child.kill('SIGKILL');
    await run.exit;
    try {
      await waitFor('the busy loops to notice the script is gone and end', () => burners.every((pid) => !alive(pid)));
    } finally {
      // The layer, orphaned like the loops, is this test's to end (a real layer ends on its own).
      process.kill(layer, 'SIGTERM');
    }
  });
});
