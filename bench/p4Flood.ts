import type { ServerConnection } from '@jupyterlab/services';
import type { ContextSpec, OutputEvent } from '../src/kernels/types';
import { benchContext, plainResult, type Engine } from './engine';
import { withLoopLag } from './loopLag';
import type { BenchConfig } from './options';
import type { PythonBaseline } from './pythonBaseline';
import { RawKernel } from './rawServices';
import type { RowInput } from './report';

/** One flood run: how long, how much arrived, how long the event loop stalled. */
export interface FloodRun {
  ms: number;
  /** Stream characters delivered to the caller (onOutput for the registry, iopub for raw). */
  deliveredChars: number;
  /** Stream characters kept in the run's result (registry only). */
  retainedChars?: number;
  maxLagMs: number;
  p99LagMs: number;
}

export interface P4Data {
  expectedChars: number;
  registry: FloodRun[];
  raw: FloodRun[];
}

/** The flood cell: 100-character lines, the same source as baseline (a) runs. */
export function floodCode(totalBytes: number): string {
  const lines = Math.max(1, Math.floor(totalBytes / 100));
  return `import sys\nline = 'x' * 99 + '\\n'\nfor _ in range(${lines}):\n    sys.stdout.write(line)\n`;
}

const MB = 1024 * 1024;

function streamChars(e: OutputEvent): number {
  if (e.kind !== 'output' || e.output.output_type !== 'stream') {
    return 0;
  }
  const text = (e.output as { text: string | string[] }).text;
  return typeof text === 'string' ? text.length : text.join('').length;
}

/** Floods through the registry and through a raw connection, alternately. */
export async function measureP4(
  engine: Engine,
  settings: ServerConnection.ISettings,
  config: BenchConfig,
): Promise<P4Data> {
  const code = floodCode(config.floodBytes);
  const expectedChars = Math.floor(config.floodBytes / 100) * 100;
  const spec = benchContext('p4');
  plainResult(await engine.registry.execute(spec, 'None'), 'None');
  const raw = await RawKernel.start(settings);
  const data: P4Data = { expectedChars, registry: [], raw: [] };
  try {
    for (let i = 0; i < config.floodRuns; i++) {
      data.raw.push(await rawFlood(raw, code));
      data.registry.push(await registryFlood(engine, spec, code));
    }
  } finally {
    await raw.shutdown();
    await engine.registry.shutdown(spec.id);
  }
  return data;
}

async function rawFlood(raw: RawKernel, code: string): Promise<FloodRun> {
  const { value, maxLagMs, p99LagMs } = await withLoopLag(() => raw.run(code));
  return { ms: value.ms, deliveredChars: value.streamBytes, maxLagMs, p99LagMs };
}

async function registryFlood(engine: Engine, spec: ContextSpec, code: string): Promise<FloodRun> {
  let delivered = 0;
  const onOutput = (e: OutputEvent) => {
    delivered += streamChars(e);
  };
  const start = performance.now();
  const { value, maxLagMs, p99LagMs } = await withLoopLag(() => engine.registry.execute(spec, code, { onOutput }));
  const ms = performance.now() - start;
  plainResult(value, 'flood');
  const retained = value.outputs.reduce(
    (sum, o) => sum + (o.output_type === 'stream' ? String((o as { text: string }).text).length : 0),
    0,
  );
  return { ms, deliveredChars: delivered, retainedChars: retained, maxLagMs, p99LagMs };
}

/** Table rows for P4: throughput against (b), and the event-loop stall while it streams. */
export function p4Rows(data: P4Data, python: PythonBaseline): RowInput[] {
  const rate = (run: { ms: number }) => data.expectedChars / MB / (run.ms / 1000);
  const lost = data.registry.filter((r) => r.deliveredChars < data.expectedChars);
  const retained = data.registry.map((r) => r.retainedChars ?? 0);
  const size = `${(data.expectedChars / MB).toFixed(0)} MB`;
  const rows: RowInput[] = [
    {
      id: 'P4',
      label: `${size} print, throughput`,
      unit: 'MB/s',
      samples: data.registry.map(rate),
      higherIsBetter: true,
      baseline: { label: '(b) services', samples: data.raw.map(rate) },
      goal: { metric: 'ratio', op: '>=', target: 0.9 },
      note:
        `delivered to onOutput: ${data.registry.map((r) => r.deliveredChars).join(', ')} of ${data.expectedChars} chars` +
        `${lost.length > 0 ? ' (SOME OUTPUT LOST)' : ''}; kept in the result: ${retained.join(', ')} chars.`,
    },
    {
      id: 'P4.lag',
      label: 'event-loop lag while it streams (max)',
      unit: 'ms',
      samples: data.registry.map((r) => r.maxLagMs),
      baseline: { label: '(b) services', samples: data.raw.map((r) => r.maxLagMs) },
      goal: { metric: 'max', op: '<=', target: 50 },
      note: 'perf_hooks.monitorEventLoopDelay, 10 ms resolution, excess over the sampling interval.',
    },
  ];
  if (python.flood.length > 0) {
    rows.push({
      id: 'P4.a',
      label: `${size} print, throughput, (b) vs (a)`,
      unit: 'MB/s',
      samples: data.raw.map(rate),
      higherIsBetter: true,
      baseline: { label: '(a) jupyter_client', samples: python.flood.map(rate) },
    });
  }
  return rows;
}
