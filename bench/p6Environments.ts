/**
 * P6: the first result in a second project's environment (issue #13). A user works in project A (its venv's
 * kernels warm); then opens a file of project B. Cold: B's environment was never used in this window, so its
 * first run starts a kernel in it (plus the ipykernel check). Warm: B was used before in this window (one file ran
 * and was closed), so the warm kernels keep one of B's and the next file of B takes it. Baseline: the registry's
 * cold path on the server's own Python (no pool), in the same run.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { environmentKernelName } from '../src/python/pythonEnvironment';
import type { JupyterServerProvider } from '../src/jupyter/types';
import type { ContextSpec } from '../src/kernels/types';
import { createEngine } from '../src/kernels/engine';
import type { WarmKernels } from '../src/kernels/warmKernels';
import { makeVenv } from '../test/shared/pythonEnvironments';
import { benchContext, delay, registryOnePlusOne } from './engine';
import type { BenchConfig } from './options';
import type { RowInput } from './report';
import { timeIt } from './stats';

/** Raw figures of P6, kept in results.json. */
export interface P6Data {
  /** ms from `execute` in B's first file to its result, B never used in this window. */
  cold: number[];
  /** The same once B was used before in this window (its warm kernel waiting). */
  warm: number[];
  /** The registry without a pool, on the server's Python: a plain cold start. */
  coldDefault: number[];
}

/** A file context of `project` running in the environment `python`. */
function envContext(name: string, project: string, python: string): ContextSpec {
  return {
    id: `bench:${name}`,
    kind: 'file',
    label: name,
    cwd: project,
    file: path.join(project, `${name}.py`),
    kernelName: environmentKernelName(python),
  };
}

/** Waits until the warm kernels hold `count` ready for `kernelName` and no start is in flight, then `idleMs`. */
async function warmFor(warm: WarmKernels, kernelName: string, count: number, idleMs = 1000): Promise<void> {
  const deadline = Date.now() + 60_000;
  while ((warm.poolOf(kernelName)?.available ?? 0) < count) {
    if (Date.now() > deadline) {
      throw new Error(`no warm kernel of ${kernelName} within 60 s`);
    }
    await delay(20);
  }
  await warm.whenSettled();
  await delay(idleMs);
}

export async function measureP6(provider: JupyterServerProvider, config: BenchConfig): Promise<P6Data> {
  const root = mkdtempSync(path.join(os.tmpdir(), 'ki-bench-envs-'));
  const data: P6Data = { cold: [], warm: [], coldDefault: [] };
  try {
    const a = makeVenv(path.join(root, 'proj-a'), { marker: 'A' });
    const b = makeVenv(path.join(root, 'proj-b'), { marker: 'B' });
    for (let round = 0; round < config.p1Rounds; round++) {
      // A new window each round: its own factory (the ipykernel check is per window) and warm kernels.
      const engine = createEngine({ servers: provider, warmKernels: config.poolSize });
      const { registry, warm } = engine;
      try {
        const inA = envContext(`p6-r${round}-a`, path.dirname(a.root), a.python);
        warm.use(inA.kernelName ?? '');
        await warmFor(warm, inA.kernelName ?? '', config.poolSize);
        await registryOnePlusOne(registry, inA);
        await warm.whenSettled();
        await delay(1000);

        const firstB = envContext(`p6-r${round}-b1`, path.dirname(b.root), b.python);
        data.cold.push((await timeIt(() => registryOnePlusOne(registry, firstB))).ms);
        await registry.shutdown(firstB.id);
        // B is now in use: the warm kernels keep one of B's beside A's.
        await warmFor(warm, firstB.kernelName ?? '', 1);
        const secondB = envContext(`p6-r${round}-b2`, path.dirname(b.root), b.python);
        data.warm.push((await timeIt(() => registryOnePlusOne(registry, secondB))).ms);
      } finally {
        await engine.disposeAsync();
      }
    }
    const cold = createEngine({ servers: provider, warmKernels: 0 });
    try {
      for (let i = 0; i < config.p1Rounds; i++) {
        data.coldDefault.push((await timeIt(() => registryOnePlusOne(cold.registry, benchContext(`p6-cold-${i}`)))).ms);
      }
    } finally {
      await cold.disposeAsync();
    }
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
  return data;
}

/** Table rows for P6: cold and warm first results in a second environment, against the plain cold start. */
export function p6Rows(data: P6Data, config: BenchConfig): RowInput[] {
  const baseline = { label: "cold, server's Python", samples: data.coldDefault };
  return [
    {
      id: 'P6.cold',
      label: "first result in a second project's venv, not used before in this window",
      unit: 'ms',
      samples: data.cold,
      baseline,
    },
    {
      id: 'P6.warm',
      label: `first result in a second project's venv used before in this window (pool ${config.poolSize})`,
      unit: 'ms',
      samples: data.warm,
      baseline,
      // "Not a cold start": a small fraction of one, judged against the cold start measured in the same run.
      goal: { metric: 'ratio', op: '<=', target: 0.1 },
    },
  ];
}
