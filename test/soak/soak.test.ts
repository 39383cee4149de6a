/**
 * `npm run test:soak`: the long versions of the reliability tests (the default suite has short ones). Real server,
 * real kernels. Figures are printed under each test and appended to KI_FIGURES_FILE when set.
 */
import * as assert from 'node:assert/strict';
import { useTestServer } from '../integration/fixtures/localServer';
import { openRunCloseCycles } from '../integration/kernels/cycles';
import { figure } from '../integration/kernels/figures';
import { agentSpec, makeRegistry, textOf } from '../integration/kernels/helpers';

const MB = 1_000_000;

/** Largest delay of a 10 ms timer while `work` runs: how long the event loop was blocked at worst. */
async function maxEventLoopLag<T>(work: () => Promise<T>): Promise<{ value: T; maxLagMs: number }> {
  let maxLagMs = 0;
  let last = performance.now();
  const probe = setInterval(() => {
    const now = performance.now();
    maxLagMs = Math.max(maxLagMs, now - last - 10);
    last = now;
  }, 10);
  try {
    return { value: await work(), maxLagMs };
  } finally {
    clearInterval(probe);
  }
}

describe('Soak (real server, real kernels)', function () {
  const t = useTestServer();

  it('200 open → run → close cycles: only the pool kernel is left, heap growth under 10 MB', async () => {
    const f = await openRunCloseCycles(t, 200);
    figure('200 open-run-close cycles', `${f.msPerCycle.toFixed(0)} ms/cycle`);
    figure('200 cycles: heap growth after full GC', `${(f.heapGrowthBytes / MB).toFixed(2)} MB`);
    figure('200 cycles: left on the server / in ps', `${f.serverKernelsLeft} / ${f.kernelProcessesLeft} (the pool)`);
    assert.equal(f.serverKernelsLeft, 1);
    assert.equal(f.kernelProcessesLeft, 1);
    assert.ok(f.heapGrowthBytes < 10 * MB, `heap grew ${(f.heapGrowthBytes / MB).toFixed(2)} MB`);
  });

  it('100 MB of output: it arrives whole, the event loop stays responsive, another context answers meanwhile', async () => {
    const { registry } = makeRegistry(t.server);
    try {
      const bystander = agentSpec('agent:soak-bystander');
      await registry.execute(bystander, 'kept = 42');
      const flood = agentSpec('agent:soak-flood');
      await registry.execute(flood, 'import sys');
      const code = 'for i in range(1_000_000):\n    sys.stdout.write("%09d" % i + "x" * 90 + "\\n")';
      const rssBefore = process.memoryUsage().rss;
      let chunks = 0;
      const bystanderMs: number[] = [];
      const started = performance.now();
      const { value: result, maxLagMs } = await maxEventLoopLag(async () => {
        const run = registry.execute(flood, code, { onOutput: () => chunks++ });
        let done = false;
        void run.finally(() => (done = true)).catch(() => undefined);
        while (!done) {
          const asked = performance.now();
          assert.equal(textOf(await registry.execute(bystander, 'print(kept)')), '42\n');
          bystanderMs.push(performance.now() - asked);
          await new Promise((resolve) => setTimeout(resolve, 100));
        }
        return run;
      });
      const seconds = (performance.now() - started) / 1000;
      const rssGrowth = process.memoryUsage().rss - rssBefore;
      const text = result.outputs.map((o) => String(o.text ?? '')).join('');
      figure('100 MB output: run time', `${seconds.toFixed(1)} s in ${chunks} output events`);
      figure('100 MB output: max event-loop lag', `${maxLagMs.toFixed(0)} ms`);
      figure(
        '100 MB output: bystander round trips meanwhile',
        `${bystanderMs.length}, median ${median(bystanderMs).toFixed(0)} ms, max ${Math.max(...bystanderMs).toFixed(0)} ms`,
      );
      figure('100 MB output: RSS growth of this process (result held)', `${(rssGrowth / MB).toFixed(0)} MB`);
      assert.equal(result.status, 'ok');
      assert.equal(Buffer.byteLength(text), 100 * MB);
      assert.ok(text.endsWith(`000999999${'x'.repeat(90)}\n`));
      assert.ok(bystanderMs.length > 0);
      // A guard against freezing (e.g. work quadratic in the output size), loose because the cores are shared.
      assert.ok(maxLagMs < 5000, `event loop blocked for ${maxLagMs.toFixed(0)} ms`);
    } finally {
      await registry.disposeAsync();
    }
  });
});

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? NaN;
}
