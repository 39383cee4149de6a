import type { ServerConnection } from '@jupyterlab/services';
import type { ContextSpec, OutputEvent } from '../src/kernels/types';
import { benchContext, plainResult, waitForFullPool, type Engine } from './engine';
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

/** Runs of one flood variant on both paths. */
export interface FloodVariant {
  registry: FloodRun[];
  raw: FloodRun[];
}

export interface P4Data {
  expectedChars: number;
  /** A tight print loop: ipykernel sends it as one or a few huge stream messages. */
  burst: FloodVariant;
  /** The same bytes flushed every 1000 lines: about a hundred 100 KB messages, as progress output streams. */
  chunked: FloodVariant;
}

/**
 * The flood cell: 100-character lines, the same source as baseline (a) runs. With `flushEvery` the
 * kernel sends a stream message every that many lines instead of batching the whole loop.
 */
export function floodCode(totalBytes: number, flushEvery?: number): string {
  const lines = Math.max(1, Math.floor(totalBytes / 100));
  const flush = flushEvery ? `\n    if i % ${flushEvery} == ${flushEvery - 1}:\n        sys.stdout.flush()` : '';
  return `import sys\nline = 'x' * 99 + '\\n'\nfor i in range(${lines}):\n    sys.stdout.write(line)${flush}\n`;
}

const FLUSH_EVERY_LINES = 1000;

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
  const burst = floodCode(config.floodBytes);
  const chunked = floodCode(config.floodBytes, FLUSH_EVERY_LINES);
  const expectedChars = Math.floor(config.floodBytes / 100) * 100;
  const spec = benchContext('p4');
  plainResult(await engine.registry.execute(spec, 'None'), 'None');
  const raw = await RawKernel.start(settings);
  await waitForFullPool(engine);
  const data: P4Data = { expectedChars, burst: { registry: [], raw: [] }, chunked: { registry: [], raw: [] } };
  try {
    for (let i = 0; i < config.floodRuns; i++) {
      for (const [variant, code] of [
        [data.burst, burst],
        [data.chunked, chunked],
      ] as const) {
        variant.raw.push(await rawFlood(raw, code));
        variant.registry.push(await registryFlood(engine, spec, code));
      }
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
  const size = `${(data.expectedChars / MB).toFixed(0)} MB`;
  const rows: RowInput[] = [
    ...variantRows('P4', `${size} print loop`, data.burst, data.expectedChars),
    ...variantRows('P4.chunks', `${size} flushed per 100 KB`, data.chunked, data.expectedChars),
  ];
  if (python.flood.length > 0) {
    rows.push({
      id: 'P4.a',
      label: `${size} print loop, (b) vs (a)`,
      unit: 'MB/s',
      samples: data.burst.raw.map(rate),
      higherIsBetter: true,
      baseline: { label: '(a) jupyter_client', samples: python.flood.map(rate) },
    });
  }
  return rows;
}

function variantRows(id: string, what: string, variant: FloodVariant, expectedChars: number): RowInput[] {
  const rate = (run: { ms: number }) => expectedChars / MB / (run.ms / 1000);
  const lost = variant.registry.some((r) => r.deliveredChars < expectedChars) ? ' (OUTPUT LOST)' : '';
  return [
    {
      id,
      label: `${what}, throughput`,
      unit: 'MB/s',
      samples: variant.registry.map(rate),
      higherIsBetter: true,
      baseline: { label: '(b) services', samples: variant.raw.map(rate) },
      goal: { metric: 'ratio', op: '>=', target: 0.9 },
      note:
        `chars delivered to onOutput per run: ${variant.registry.map((r) => r.deliveredChars).join(', ')} of ` +
        `${expectedChars}${lost}; kept in the result: ${variant.registry.map((r) => r.retainedChars ?? 0).join(', ')}.`,
    },
    {
      id: `${id}.lag`,
      label: `${what}, event-loop lag (max)`,
      unit: 'ms',
      samples: variant.registry.map((r) => r.maxLagMs),
      baseline: { label: '(b) services', samples: variant.raw.map((r) => r.maxLagMs) },
      goal: { metric: 'max', op: '<=', target: 50 },
      note: 'perf_hooks.monitorEventLoopDelay (10 ms resolution), excess over the sampling interval, while the cell runs.',
    },
  ];
}
