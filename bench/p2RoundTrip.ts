import type { ServerConnection } from '@jupyterlab/services';
import { benchContext, plainResult, registryOnePlusOne, waitForFullPool, type Engine } from './engine';
import type { BenchConfig } from './options';
import type { PythonBaseline } from './pythonBaseline';
import { RawKernel } from './rawServices';
import type { RowInput } from './report';
import { timeIt } from './stats';

/** Raw figures of P2 (ms per `1+1`), kept in results.json. */
export interface P2Data {
  /** Full path with the default transport: ContextRegistry → queue → session → ZMQ → kernel → outputs. */
  registry: number[];
  /** The same full path with `kernelIslands.transport` = `server`: the session goes through the server's websocket. */
  registryServer: number[];
  /** Class of the default-transport session measured (`ZmqKernelSession` unless zeromq failed to load). */
  transport?: string;
  /** The same context's KernelSession called directly, to split registry cost from session cost. */
  session: number[];
  /** Baseline (b) on the same server (TCP_NODELAY on, as our launcher sets it). */
  raw: number[];
  /** Baseline (b) on a stock server (Nagle on); empty when not measured. */
  rawStockServer: number[];
}

const WARM_UP = 10;

/**
 * Measures the four Node paths interleaved, so drifting machine load hits them alike: the registry over the default
 * transport (`engine`) and over the server websocket (`serverEngine`), the session alone, and baseline (b).
 */
export async function measureP2(
  engine: Engine,
  serverEngine: Engine,
  settings: ServerConnection.ISettings,
  config: BenchConfig,
): Promise<P2Data> {
  const spec = benchContext('p2');
  const session = await engine.registry.getOrStart(spec);
  await serverEngine.registry.getOrStart(spec);
  const raw = await RawKernel.start(settings);
  await waitForFullPool(engine);
  const data: P2Data = {
    registry: [],
    registryServer: [],
    transport: session.constructor.name,
    session: [],
    raw: [],
    rawStockServer: [],
  };
  try {
    const viaSession = async () => {
      if (plainResult(await session.execute('1+1'), '1+1') !== '2') {
        throw new Error('1+1 through the session did not give 2');
      }
    };
    const viaRaw = async () => {
      if ((await raw.run('1+1')).result !== '2') {
        throw new Error('1+1 through the raw connection did not give 2');
      }
    };
    const viaRegistry = () => registryOnePlusOne(engine.registry, spec);
    const viaServer = () => registryOnePlusOne(serverEngine.registry, spec);
    for (let i = 0; i < WARM_UP; i++) {
      await viaRegistry();
      await viaServer();
      await viaSession();
      await viaRaw();
    }
    for (let i = 0; i < config.roundTrips; i++) {
      data.registry.push((await timeIt(viaRegistry)).ms);
      data.registryServer.push((await timeIt(viaServer)).ms);
      data.session.push((await timeIt(viaSession)).ms);
      data.raw.push((await timeIt(viaRaw)).ms);
    }
  } finally {
    await raw.shutdown();
    await engine.registry.shutdown(spec.id);
    await serverEngine.registry.shutdown(spec.id);
  }
  return data;
}

/** Baseline (b) round trips on a stock server, to show what TCP_NODELAY buys. */
export async function measureStockServer(settings: ServerConnection.ISettings, count: number): Promise<number[]> {
  const raw = await RawKernel.start(settings);
  try {
    for (let i = 0; i < WARM_UP; i++) {
      await raw.run('1+1');
    }
    const samples: number[] = [];
    for (let i = 0; i < count; i++) {
      samples.push((await raw.run('1+1')).ms);
    }
    return samples;
  } finally {
    await raw.shutdown();
  }
}

/** Table rows for P2; the goal is judged on the full path against baseline (a). */
export function p2Rows(data: P2Data, python: PythonBaseline): RowInput[] {
  const a = { label: '(a) jupyter_client', samples: python.roundTripMs };
  const b = { label: '(b) services', samples: data.raw };
  const direct = data.transport === 'ZmqKernelSession' ? 'direct ZMQ' : `fallback ${data.transport ?? '?'}`;
  const rows: RowInput[] = [
    {
      id: 'P2',
      label: `1+1 round trip, full path (registry, ${direct})`,
      unit: 'ms',
      samples: data.registry,
      baseline: a,
      goal: { metric: 'ratio', op: '<=', target: 1.0 },
    },
    { id: 'P2.b', label: '1+1 round trip, full path vs (b)', unit: 'ms', samples: data.registry, baseline: b },
    {
      id: 'P2.server',
      label: '1+1 round trip, full path (registry, server websocket)',
      unit: 'ms',
      samples: data.registryServer ?? [],
      baseline: a,
    },
    {
      id: 'P2.server.b',
      label: '1+1 round trip, server websocket path vs (b)',
      unit: 'ms',
      samples: data.registryServer ?? [],
      baseline: b,
    },
    { id: 'P2.session', label: '1+1 round trip, KernelSession only', unit: 'ms', samples: data.session, baseline: b },
    {
      id: 'P2.raw',
      label: '1+1 round trip, (b) with TCP_NODELAY',
      unit: 'ms',
      samples: data.raw,
      baseline: a,
      note:
        data.rawStockServer.length > 0
          ? undefined
          : 'the comparison with a stock server (Nagle on) is skipped in quick mode; run without --quick.',
    },
  ];
  if (data.rawStockServer.length > 0) {
    rows.push({
      id: 'P2.nagle',
      label: '1+1 round trip, (b) stock server (Nagle on)',
      unit: 'ms',
      samples: data.rawStockServer,
      baseline: a,
    });
  }
  return rows;
}
