import type { ServerConnection } from '@jupyterlab/services';
import type { ContextSpec } from '../src/kernels/types';
import { benchContext, plainResult, waitForFullPool, type Engine } from './engine';
import type { BenchConfig } from './options';
import { RawKernel } from './rawServices';
import type { RowInput } from './report';
import { mapLimit, withDeadline } from './stats';

const STARTS_IN_FLIGHT = 8;
const STORM_TIMEOUT_MS = 600_000;

/** Raw figures of P3, kept in results.json. */
export interface P3Data {
  contexts: number;
  execsPerContext: number;
  /** Executions per second over all contexts, one sample per round. */
  registryThroughput: number[];
  rawThroughput: number[];
  /** Raw clients that wait for each reply before sending the next run, as a FIFO queue does. */
  rawSerialThroughput: number[];
  /** Heap growth per idle context after gc, in KB (undefined without --expose-gc). */
  registryHeapPerContextKb?: number;
  rawHeapPerKernelKb?: number;
}

const gc = (globalThis as { gc?: () => void }).gc;

/** Heap in use after a full collection (two passes, so finalizers' garbage goes too). */
function settledHeap(): number | undefined {
  if (!gc) {
    return undefined;
  }
  gc();
  gc();
  return process.memoryUsage().heapUsed;
}

const perItemKb = (before: number | undefined, after: number | undefined, count: number) =>
  before === undefined || after === undefined ? undefined : (after - before) / 1024 / count;

/** One side of the comparison: how to run code in context `i`. */
export type Runner = (i: number, code: string) => Promise<string | undefined>;

/** Wraps a runner so each context runs one request at a time, in call order (a client-side FIFO queue). */
export function oneAtATime(run: Runner): Runner {
  const tails = new Map<number, Promise<unknown>>();
  return (i, code) => {
    const next = (tails.get(i) ?? Promise.resolve()).then(() => run(i, code));
    tails.set(
      i,
      next.catch(() => undefined),
    );
    return next;
  };
}

/**
 * Fires `execs` `c += 1` runs at every context at once, then checks each counter is exactly `execs`.
 * Throws, naming the contexts, when a counter is off: lost or doubled runs must fail the bench.
 */
async function stormRound(run: Runner, contexts: number, execs: number, what: string): Promise<number> {
  await Promise.all(Array.from({ length: contexts }, (_, i) => run(i, 'c = 0')));
  const start = performance.now();
  const all: Promise<unknown>[] = [];
  for (let i = 0; i < contexts; i++) {
    for (let j = 0; j < execs; j++) {
      all.push(run(i, 'c += 1'));
    }
  }
  await withDeadline(Promise.all(all), STORM_TIMEOUT_MS, `P3 ${what}: ${contexts * execs} runs`);
  const seconds = (performance.now() - start) / 1000;
  const counters = await Promise.all(Array.from({ length: contexts }, (_, i) => run(i, 'c')));
  const wrong = counters.map((c, i) => ({ c, i })).filter(({ c }) => c !== String(execs));
  if (wrong.length > 0) {
    const list = wrong.map(({ c, i }) => `#${i}=${String(c)}`).join(', ');
    throw new Error(`P3 ${what}: ${wrong.length} of ${contexts} counters are not ${execs}: ${list}`);
  }
  return (contexts * execs) / seconds;
}

/** Measures P3 for the registry and for raw connections, rounds interleaved. */
export async function measureP3(
  engine: Engine,
  settings: ServerConnection.ISettings,
  config: BenchConfig,
): Promise<P3Data> {
  const n = config.scaleContexts;
  const data: P3Data = {
    contexts: n,
    execsPerContext: config.scaleExecs,
    registryThroughput: [],
    rawThroughput: [],
    rawSerialThroughput: [],
  };
  const specs: ContextSpec[] = Array.from({ length: n }, (_, i) => benchContext(`p3-${i}`));
  const viaRegistry: Runner = async (i, code) => plainResult(await engine.registry.execute(specs[i], code), code);
  const rawBefore = settledHeap();
  // Starts go STARTS_IN_FLIGHT at a time: 32 concurrent POST /api/kernels once left one request unanswered
  // for good on this 2-core machine, and the start is not what P3 measures.
  const raws = await mapLimit(specs, STARTS_IN_FLIGHT, () => RawKernel.start(settings));
  try {
    const viaRaw: Runner = async (i, code) => (await raws[i].run(code)).result;
    await Promise.all(raws.map((_, i) => viaRaw(i, 'c = 0')));
    data.rawHeapPerKernelKb = perItemKb(rawBefore, settledHeap(), n);
    const registryBefore = settledHeap();
    await withDeadline(
      mapLimit(specs, STARTS_IN_FLIGHT, (_, i) => viaRegistry(i, 'c = 0')),
      STORM_TIMEOUT_MS,
      `starting ${n} registry contexts`,
    );
    data.registryHeapPerContextKb = perItemKb(registryBefore, settledHeap(), n);
    await waitForFullPool(engine);
    for (let round = 0; round < config.scaleRounds; round++) {
      data.rawThroughput.push(await stormRound(viaRaw, n, config.scaleExecs, 'raw (b)'));
      if (!config.quick) {
        data.rawSerialThroughput.push(await stormRound(oneAtATime(viaRaw), n, config.scaleExecs, 'raw (b) serial'));
      }
      data.registryThroughput.push(await stormRound(viaRegistry, n, config.scaleExecs, 'registry'));
    }
  } finally {
    const cleanUp = Promise.all([
      ...raws.map((raw) => raw.shutdown()),
      ...specs.map((spec) => engine.registry.shutdown(spec.id)),
    ]);
    // A hung start would hang its shutdown too; the server stop in run.ts ends those kernels anyway.
    await withDeadline(cleanUp, 60_000, 'P3 clean-up').catch((err: unknown) =>
      process.stderr.write(`${String(err)} Leaving the rest to the server stop.\n`),
    );
  }
  return data;
}

/** Table rows for P3. */
export function p3Rows(data: P3Data, config: BenchConfig): RowInput[] {
  const scope = `${data.contexts} contexts x ${data.execsPerContext}`;
  const rows: RowInput[] = [
    {
      id: 'P3',
      label: `throughput, ${scope} c += 1`,
      unit: 'exec/s',
      samples: data.registryThroughput,
      higherIsBetter: true,
      baseline: { label: `(b) ${data.contexts} raw clients`, samples: data.rawThroughput },
      goal: { metric: 'ratio', op: '>=', target: 1.0 },
      note:
        (config.quick && data.contexts < 32 ? `quick mode: ${data.contexts} contexts instead of 32. ` : '') +
        `every counter checked to be exactly ${data.execsPerContext}. The raw clients send all runs at once ` +
        '(the kernel queues them); the registry keeps up to 16 runs of a context in its kernel (FIFO pipeline).',
    },
  ];
  if (data.rawSerialThroughput.length > 0) {
    rows.push({
      id: 'P3.serial',
      label: `throughput, ${scope}, vs one-at-a-time raw`,
      unit: 'exec/s',
      samples: data.registryThroughput,
      higherIsBetter: true,
      baseline: { label: `(b) ${data.contexts} raw, serial`, samples: data.rawSerialThroughput },
      note: 'same runs; the baseline clients wait for each reply before sending the next (no pipelining).',
    });
  }
  if (data.registryHeapPerContextKb !== undefined && data.rawHeapPerKernelKb !== undefined) {
    rows.push({
      id: 'P3.mem',
      label: 'JS heap per idle context (after gc)',
      unit: 'KB',
      samples: [data.registryHeapPerContextKb],
      baseline: { label: '(b) per raw connection', samples: [data.rawHeapPerKernelKb] },
      note: `heap delta / ${data.contexts}, measured once after the contexts ran 'c = 0'.`,
    });
  }
  return rows;
}
