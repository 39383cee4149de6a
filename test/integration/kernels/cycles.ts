import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { waitForEvent } from '../../../src/common/event';
import { kernelPidsUnder } from '../../shared/kernelProcesses';
import type { TestServer } from '../fixtures/localServer';
import { makeRegistry, serverKernelIds, tempFolder, textOf } from './helpers';
import { waitFor } from '../../shared/poll';

/** What {@link openRunCloseCycles} measured. */
export interface CycleFigures {
  cycles: number;
  /** Heap used after a full GC, after the last cycle minus after the warm-up cycles. */
  heapGrowthBytes: number;
  /** Kernels listed by the server / kernel processes under the launcher after the last close (the pool only). */
  serverKernelsLeft: number;
  kernelProcessesLeft: number;
  msPerCycle: number;
}

const WARM_UP = 5;

/** A full garbage collection, also when Node was started without --expose-gc. */
function collectGarbage(): void {
  setFlagsFromString('--expose-gc');
  (runInNewContext('gc') as () => void)();
}

function heapUsed(): number {
  collectGarbage();
  collectGarbage();
  return process.memoryUsage().heapUsed;
}

/**
 * `cycles` times: a file context is opened, runs code, and is closed with a shutdown delay of 0, the way the
 * editor surface closes a document's context. One warm kernel is kept in a pool, as in the extension. Checks each
 * run's output, then counts what is left: kernels on the server (`/api/kernels`) and kernel processes (`ps`).
 */
export async function openRunCloseCycles(t: TestServer, cycles: number): Promise<CycleFigures> {
  const { registry, pool } = makeRegistry(t.server, 1);
  const folder = tempFolder('cycles');
  let heapBefore = 0;
  const started = performance.now();
  try {
    for (let i = 0; i < cycles + WARM_UP; i++) {
      if (i === WARM_UP) {
        heapBefore = heapUsed();
      }
      const file = path.join(folder, `cycle-${i}.py`);
      const spec = { id: `file://${file}`, kind: 'file' as const, label: `cycle-${i}.py`, cwd: folder, file };
      const result = await registry.execute(spec, `x = ${i}\nprint(x, __file__ == ${JSON.stringify(file)})`);
      assert.equal(textOf(result), `${i} True\n`);
      const removed = waitForEvent(
        registry.onDidChangeContexts,
        (e) => e.type === 'removed' && e.context.id === spec.id,
      );
      registry.scheduleShutdown(spec.id, 0);
      await removed;
    }
    const msPerCycle = (performance.now() - started) / (cycles + WARM_UP);
    await pool?.whenSettled();
    const heapGrowthBytes = heapUsed() - heapBefore;
    const launcher = t.connection.pid as number;
    const kernelProcessesLeft = await waitFor('kernel processes of closed contexts to exit', async () => {
      const n = (await kernelPidsUnder(launcher)).length;
      return n <= 1 ? n : undefined;
    });
    const serverKernelsLeft = (await serverKernelIds(t.connection)).length;
    assert.equal(registry.list().length, 0, 'the registry forgot every closed context');
    return { cycles, heapGrowthBytes, serverKernelsLeft, kernelProcessesLeft, msPerCycle };
  } finally {
    await registry.disposeAsync();
    await pool?.disposeAsync();
  }
}
