import * as os from 'node:os';
import type { JupyterServerProvider } from '../src/jupyter/types';
import type { AgentSandbox } from '../src/kernels/agentSandbox';
import { createEngine, type Engine } from '../src/kernels/engine';
import type { ContextRegistry } from '../src/kernels/registry/contextRegistry';
import { DEFAULT_TRANSPORT, type TransportSetting } from '../src/kernels/session/transportChooser';
import type { ContextSpec, ExecutionResult } from '../src/kernels/types';

export type { Engine };

/**
 * The product's engine (`src/kernels/engine`, as the extension and the MCP server build it) on `provider`'s server,
 * with `poolSize` warm kernels in all. With `poolSize` > 0 the default kernelspec (sandboxed with `sandbox`, as an
 * agent context names it) is in use at once, so its warm kernels start filling now. `transport` is the
 * `kernelIslands.transport` setting (the extension's default unless a figure compares both).
 */
export function benchEngine(
  provider: JupyterServerProvider,
  poolSize: number,
  options: { transport?: TransportSetting; sandbox?: AgentSandbox } = {},
): Engine {
  const { transport = DEFAULT_TRANSPORT, sandbox } = options;
  const engine = createEngine({ servers: provider, warmKernels: poolSize, transport: () => transport, sandbox });
  if (poolSize > 0) {
    engine.warm.use(sandbox ? sandbox.kernelNameFor('python3') : 'python3');
  }
  return engine;
}

export const delay = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * Waits until the warm kernels of every kernelspec in use are all ready, then `idleMs` more: a kernel start
 * (about a CPU-second here) must not overlap a measurement that is not about the pool.
 */
export async function waitForFullPool(engine: Engine, idleMs = 500, timeoutMs = 60_000): Promise<void> {
  const { warm } = engine;
  const pools = warm.kernelNames.flatMap((name) => {
    const pool = warm.poolOf(name);
    return pool && pool.capacity > 0 ? [pool] : [];
  });
  if (pools.length === 0) {
    return;
  }
  const deadline = Date.now() + timeoutMs;
  for (const pool of pools) {
    pool.fill();
  }
  while (pools.some((pool) => pool.available < pool.capacity)) {
    if (Date.now() > deadline) {
      const ready = pools.map((pool) => `${pool.kernelName} ${pool.available}/${pool.capacity}`).join(', ');
      throw new Error(`The warm kernels did not fill (${ready} ready) within ${timeoutMs} ms.`);
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
