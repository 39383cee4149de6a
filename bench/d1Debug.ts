import { KernelDebugBridge } from '../src/kernels/debug/debugBridge';
import { DapTestClient } from '../test/shared/dapClient';
import { benchContext, type Engine } from './engine';
import type { BenchConfig } from './options';
import type { RowInput } from './report';
import { timeIt } from './stats';

/** Raw figures of Debug Cell (issue 25), in ms. */
export interface DebugData {
  /** Debug Cell (the editor's `initialize`) to the `stopped` event at the breakpoint, in a warm context. */
  toPaused: number[];
  /** The same cell run plainly through the registry, interleaved with the samples above. */
  plainRun: number[];
  /** The context's first Debug Cell, which also starts debugpy inside the kernel. */
  firstToPaused: number;
}

/** The debugged cell: its second line holds the breakpoint. */
const CELL = ['x = sum(range(1000))', 'y = x * 2', 'z = y + 1'].join('\n');
const BREAKPOINT_LINE = 2;

/** Measures Debug Cell to paused against the same cell's plain run, on one warm context. */
export async function measureDebug(engine: Engine, config: BenchConfig): Promise<DebugData> {
  const spec = benchContext('debug');
  const file = spec.file!;
  const debugOnce = async (): Promise<number> => {
    const bridge = new KernelDebugBridge(
      {
        session: () => engine.registry.getOrStart(spec),
        run: (code) => engine.registry.execute(spec, code, { source: 'debug' }),
        interrupt: () => engine.registry.interrupt(spec.id),
      },
      { path: file, firstLine: 1, code: CELL },
    );
    const client = new DapTestClient(bridge);
    try {
      const { ms } = await timeIt(async () => {
        await client.start(file, [BREAKPOINT_LINE]);
        await client.event('stopped');
      });
      const stopped = client.events.find((e) => e.event === 'stopped');
      await client.ok('continue', { threadId: stopped?.body?.threadId });
      await client.event('terminated');
      return ms;
    } finally {
      bridge.dispose();
    }
  };
  const plainRun = async (): Promise<void> => {
    const result = await engine.registry.execute(spec, CELL);
    if (result.status !== 'ok') {
      throw new Error(`the bench cell failed: ${result.error?.evalue ?? result.status}`);
    }
  };
  try {
    await plainRun(); // the context is warm: its kernel runs and has run code
    const data: DebugData = { toPaused: [], plainRun: [], firstToPaused: await debugOnce() };
    const rounds = config.quick ? 5 : 20;
    for (let i = 0; i < rounds; i++) {
      data.plainRun.push((await timeIt(plainRun)).ms);
      data.toPaused.push(await debugOnce());
    }
    return data;
  } finally {
    await engine.registry.shutdown(spec.id);
  }
}

/** The row: issue 25's goal, against the same cell's plain run on the same kernel. */
export function debugRows(data: DebugData): RowInput[] {
  return [
    {
      id: 'D1',
      label: 'Debug Cell to paused at the breakpoint (warm context)',
      unit: 'ms',
      samples: data.toPaused,
      baseline: { label: 'the same cell, plain run', samples: data.plainRun },
      goal: { metric: 'median', op: '<=', target: 1000 },
      note: `the context's first Debug Cell, which starts debugpy in the kernel: ${data.firstToPaused.toFixed(0)} ms`,
    },
  ];
}
