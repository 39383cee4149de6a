import * as os from 'node:os';
import type { JupyterServerProvider } from '../src/jupyter/types';
import { ContextRegistry } from '../src/kernels/registry/contextRegistry';
import { KernelPool } from '../src/kernels/kernelPool';
import { nullLogger } from '../src/common/log';
import { JupyterSessionFactory, KERNEL_START_TIMEOUT_MS } from '../src/kernels/sessionFactory';
import { realTimer } from '../src/kernels/timer';
import { DEFAULT_TRANSPORT, TransportChooser, type TransportSetting } from '../src/kernels/transportChooser';
import type { ContextSpec, ExecutionResult } from '../src/kernels/types';

/** The extension's engine as `extension.ts` wires it, minus VS Code: factory, pool, registry. */
export interface Engine {
  registry: ContextRegistry;
  /** Undefined for the no-pool (cold) variant. */
  pool?: KernelPool;
  /** Shuts every context kernel and pooled kernel down. */
  dispose(): Promise<void>;
}

/**
 * Builds the engine on `provider`'s server; with `poolSize` > 0 the pool starts filling at once. `transport` is
 * the `kernelIslands.transport` setting (the extension's default unless a figure compares both).
 */
export function createEngine(
  provider: JupyterServerProvider,
  poolSize: number,
  transport: TransportSetting = DEFAULT_TRANSPORT,
): Engine {
  const chooser = new TransportChooser(nullLogger, () => transport);
  const factory = new JupyterSessionFactory(
    provider,
    nullLogger,
    { ms: KERNEL_START_TIMEOUT_MS, timer: realTimer },
    chooser,
  );
  const pool = poolSize > 0 ? new KernelPool({ factory, kernelName: 'python3', size: poolSize }) : undefined;
  const registry = new ContextRegistry({ factory, pool, defaultKernelName: 'python3' });
  pool?.fill();
  return {
    registry,
    pool,
    dispose: async () => {
      await Promise.all([registry.disposeAsync(), pool?.disposeAsync()]);
    },
  };
}

export const delay = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * Waits until the pool holds as many ready kernels as it may, then `idleMs` more: a kernel start
 * (about a CPU-second here) must not overlap a measurement that is not about the pool.
 */
export async function waitForFullPool(engine: Engine, idleMs = 500, timeoutMs = 60_000): Promise<void> {
  const pool = engine.pool;
  if (!pool) {
    return;
  }
  const deadline = Date.now() + timeoutMs;
  pool.fill();
  while (pool.available < pool.capacity) {
    if (Date.now() > deadline) {
      throw new Error(
        `The kernel pool did not fill (${pool.available}/${pool.capacity} ready) within ${timeoutMs} ms.`,
      );
    }
    await delay(20);
  }
  await delay(idleMs);
}

/** A context the way the editor surface makes one for a file: own folder and `__file__`. */
export function benchContext(name: string): ContextSpec {
  const cwd = os.tmpdir();
  return { id: `bench:${name}`, kind: 'file', label: name, cwd, file: `${cwd}/${name}.py` };
}

/** The `text/plain` of a run's execute_result; throws when the run failed, so a broken path cannot look fast. */
export function plainResult(result: ExecutionResult, code: string): string | undefined {
  if (result.status !== 'ok') {
    const why = result.error ? `${result.error.ename}: ${result.error.evalue}` : result.status;
    throw new Error(`Bench run of ${JSON.stringify(code.slice(0, 40))} failed: ${why}`);
  }
  for (const output of result.outputs) {
    if (output.output_type === 'execute_result') {
      const data = (output as { data: Record<string, unknown> }).data;
      return String(data['text/plain']);
    }
  }
  return undefined;
}

/** Runs `1+1` through the registry and checks the answer. */
export async function registryOnePlusOne(registry: ContextRegistry, spec: ContextSpec): Promise<void> {
  const result = await registry.execute(spec, '1+1');
  const value = plainResult(result, '1+1');
  if (value !== '2') {
    throw new Error(`1+1 through the registry gave ${String(value)} in ${spec.id}`);
  }
}
