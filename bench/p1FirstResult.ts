import type { JupyterServerProvider } from '../src/jupyter/types';
import { benchContext, benchEngine, delay, registryOnePlusOne, waitForFullPool, type Engine } from './engine';
import type { BenchConfig } from './options';
import { rawColdFirstResult } from './rawServices';
import type { RowInput } from './report';
import { timeIt } from './stats';

/** Raw figures of P1, kept in results.json. */
export interface P1Data {
  /** `warm[position][round]`: ms from `execute` on a never-seen context to its result. */
  warm: number[][];
  /** Warm kernels ready in the pool when each context was opened, same shape as `warm`. */
  poolReadyAtOpen: number[][];
  /** The registry without a pool: every new context starts its kernel. */
  coldRegistry: number[];
  /** Baseline (b): KernelAPI.startNew + KernelConnection + first `1+1`. */
  rawCold: number[];
}

/** Measures P1 on `engine` (which has the warm pool) and the cold paths on the same server. */
export async function measureP1(engine: Engine, provider: JupyterServerProvider, config: BenchConfig): Promise<P1Data> {
  const settings = (await provider.getServer()).settings;
  const data: P1Data = { warm: [], poolReadyAtOpen: [], coldRegistry: [], rawCold: [] };
  for (let i = 0; i < config.p1Contexts; i++) {
    data.warm.push([]);
    data.poolReadyAtOpen.push([]);
  }
  for (let round = 0; round < config.p1Rounds; round++) {
    // A second of quiet first: in real use the pool filled long before the user opens a file.
    await waitForFullPool(engine, 1000);
    await warmSequence(engine, round, config, data);
  }
  for (let i = 0; i < config.coldStarts; i++) {
    data.rawCold.push(await rawColdFirstResult(settings));
  }
  const cold = benchEngine(provider, 0);
  try {
    for (let i = 0; i < config.coldStarts; i++) {
      data.coldRegistry.push((await timeIt(() => registryOnePlusOne(cold.registry, benchContext(`p1-cold-${i}`)))).ms);
    }
  } finally {
    await cold.disposeAsync();
  }
  return data;
}

/** Opens `p1Contexts` new contexts `p1SpacingMs` apart (on a fixed schedule) and times each first result. */
async function warmSequence(engine: Engine, round: number, config: BenchConfig, data: P1Data): Promise<void> {
  const specs = data.warm.map((_, i) => benchContext(`p1-r${round}-c${i + 1}`));
  const runs = specs.map(async (spec, i) => {
    await delay(i * config.p1SpacingMs);
    data.poolReadyAtOpen[i].push(engine.warm.available);
    const { ms } = await timeIt(() => registryOnePlusOne(engine.registry, spec));
    data.warm[i].push(ms);
  });
  await Promise.all(runs);
  await Promise.all(specs.map((spec) => engine.registry.shutdown(spec.id)));
}

/** Table rows for P1: 1st, 2nd and 5th context against the cold start of baseline (b). */
export function p1Rows(data: P1Data, config: BenchConfig): RowInput[] {
  const baseline = { label: '(b) cold', samples: data.rawCold };
  const goal = { metric: 'median', op: '<=', target: 50 } as const;
  const positions = [1, 2, 5].filter((p) => p <= data.warm.length);
  const rows: RowInput[] = positions.map((p) => ({
    id: `P1.${p}`,
    label: `first result, context #${p} (pool ${config.poolSize}, ${config.p1SpacingMs / 1000} s apart)`,
    unit: 'ms',
    samples: data.warm[p - 1],
    baseline,
    goal,
    note:
      p === 1
        ? `warm kernels ready when each context opened, by position: ${data.poolReadyAtOpen.map((r) => r.join('/')).join(', ')}`
        : undefined,
  }));
  rows.push({
    id: 'P1.cold',
    label: 'first result, no pool (our cold path)',
    unit: 'ms',
    samples: data.coldRegistry,
    baseline,
  });
  return rows;
}
