/**
 * S2: what the agents' sandbox costs (issue "agent sandbox speed"). An agent context's kernel runs in bubblewrap
 * (`kernels/agentSandbox`); the same agent context on an engine without the sandbox is the baseline, measured in
 * the same run, interleaved with it so drifting machine load weighs on both alike:
 *   - first result of a new agent context taking a warm kernel from its pool (a fresh pool per mode and round: the
 *     sandboxed pool keeps sandboxed kernels, as the MCP engine's does);
 *   - `1+1` round trips in a started context;
 *   - the resident memory of an idle kernel's processes (sandboxed: bubblewrap, its PID-namespace init, the kernel).
 * Where no sandbox can be made (no bubblewrap, user namespaces disabled, not Linux) nothing is measured and the
 * reason is kept instead.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import * as os from 'node:os';
import * as path from 'node:path';
import { findProcesses } from '../src/jupyter/processTree';
import { SandboxUnavailableError } from '../src/jupyter/sandboxProfile';
import type { JupyterServerProvider } from '../src/jupyter/types';
import { AgentSandbox, DEFAULT_AGENT_MEMORY_MB } from '../src/kernels/agentSandbox';
import type { ContextSpec } from '../src/kernels/types';
import { benchEngine, delay, registryOnePlusOne, waitForFullPool, type Engine } from './engine';
import type { BenchConfig } from './options';
import type { RowInput } from './report';
import { timeIt, withDeadline } from './stats';

/** The two ways an agent context runs here: in the sandbox, or on an engine without one (the baseline). */
export type SandboxMode = 'sandboxed' | 'plain';

/** One figure per mode. */
export type PerMode<T> = Record<SandboxMode, T>;

/** Raw figures of S2, kept in results.json. */
export interface S2Data {
  /** Why nothing was measured (no sandbox can be made here); every list is then empty. */
  notMeasured?: string;
  /** ms from `execute` on a new agent context to its result, its kernel taken warm from the pool. */
  firstResult: PerMode<number[]>;
  /** ms per `1+1` in an agent context whose kernel runs already. */
  roundTrip: PerMode<number[]>;
  /** MB: summed VmRSS of the processes whose argv names an idle context kernel's id, one per first-result sample. */
  idleMemoryMb: PerMode<number[]>;
  /** How many processes each memory sample summed (sandboxed: bwrap, its PID-namespace init and the kernel). */
  idleProcesses: PerMode<number[]>;
  /** Class of the session the round trips went through, per mode. */
  transport?: PerMode<string>;
}

const MODES: readonly SandboxMode[] = ['plain', 'sandboxed'];
const WARM_UP = 10;
/** Quiet before each first result (and before a memory sample): the pools' refills must not overlap it. */
const IDLE_MS = 1000;

/** An empty data set, to fill or to return as "not measured". */
function emptyData(notMeasured?: string): S2Data {
  const lists = (): PerMode<number[]> => ({ plain: [], sandboxed: [] });
  return {
    ...(notMeasured === undefined ? {} : { notMeasured }),
    firstResult: lists(),
    roundTrip: lists(),
    idleMemoryMb: lists(),
    idleProcesses: lists(),
  };
}

/** The resident set (`VmRSS`) in kB of a `/proc/<pid>/status` text; undefined when it has none (a zombie, a kernel thread). */
export function vmRssKb(status: string): number | undefined {
  const match = /^VmRSS:\s+(\d+)\s+kB\s*$/m.exec(status);
  return match ? Number(match[1]) : undefined;
}

/** Summed VmRSS (MB) of the processes whose argv names `kernelId` (its connection file, its island folder). */
export async function kernelTreeMemory(kernelId: string): Promise<{ mb: number; processes: number }> {
  const pids = await findProcesses((argv) => argv.some((arg) => arg.includes(kernelId)));
  const kbs = await Promise.all(
    pids.map((pid) =>
      readFile(`/proc/${pid}/status`, 'utf8').then(
        (status) => vmRssKb(status),
        // Exited between the scan and the read: it holds no memory any more.
        () => undefined,
      ),
    ),
  );
  const counted = kbs.filter((kb): kb is number => kb !== undefined);
  return { mb: counted.reduce((sum, kb) => sum + kb, 0) / 1024, processes: counted.length };
}

/**
 * The engine as the MCP server builds it (`src/kernels/engine`): with `sandbox` the factory registers its profile
 * and the warm kernels are sandboxed ones; without it, agent contexts run like any other. `poolSize` 0: none warm.
 */
function agentEngine(provider: JupyterServerProvider, poolSize: number, sandbox?: AgentSandbox): Engine {
  return benchEngine(provider, poolSize, { sandbox });
}

/** An agent context, as an MCP session names one; `cwd` is the project (read-only inside the sandbox). */
function agentContext(name: string, cwd: string): ContextSpec {
  return { id: `agent:bench-${name}`, kind: 'agent', label: name, cwd };
}

/** Both modes in an order that alternates with `i`, so neither always runs first. */
function modesFor(i: number): readonly SandboxMode[] {
  return i % 2 === 0 ? MODES : [...MODES].reverse();
}

/** Waits until every pool is full, then `idleMs` of quiet. */
async function settle(engines: PerMode<Engine>, idleMs: number): Promise<void> {
  for (const mode of MODES) {
    await waitForFullPool(engines[mode], 0);
  }
  await delay(idleMs);
}

/** Throws unless the context runs sandboxed exactly when `mode` says so: a mix-up must not pass as a figure. */
function checkMode(engine: Engine, spec: ContextSpec, mode: SandboxMode): string {
  const info = engine.registry.get(spec.id);
  if (!info?.kernelId) {
    throw new Error(`S2: context ${spec.id} has no kernel after its first result.`);
  }
  if ((info.sandboxed === true) !== (mode === 'sandboxed')) {
    throw new Error(`S2: context ${spec.id} (${mode}) runs ${info.sandboxed ? 'sandboxed' : 'unsandboxed'}.`);
  }
  return info.kernelId;
}

async function disposeAll(engines: Partial<PerMode<Engine>>): Promise<void> {
  await Promise.all(
    MODES.map(
      (mode) => engines[mode] && withDeadline(engines[mode].disposeAsync(), 60_000, `S2 ${mode} engine dispose`),
    ),
  );
}

export async function measureS2(provider: JupyterServerProvider, config: BenchConfig): Promise<S2Data> {
  const project = mkdtempSync(path.join(os.tmpdir(), 'ki-bench-sandbox-'));
  try {
    // The extension's default profile: the workspace folder read-only, no network, the default memory limit.
    const sandbox = new AgentSandbox({
      enabled: true,
      offSwitch: 'the "plain" mode',
      profile: { readOnly: [project], network: false, memoryMb: DEFAULT_AGENT_MEMORY_MB, env: {} },
    });
    const settings = (await provider.getServer()).settings;
    try {
      await sandbox.prepare(settings, sandbox.kernelNameFor('python3'));
    } catch (err) {
      if (err instanceof SandboxUnavailableError) {
        return emptyData(err.message.split(' Nothing was started.')[0]);
      }
      throw err;
    }
    const data = emptyData();
    await measureFirstResults(provider, sandbox, project, config, data);
    await measureRoundTrips(provider, sandbox, project, config, data);
    return data;
  } finally {
    rmSync(project, { recursive: true, force: true });
  }
}

/**
 * Each round (a new window): a fresh pool per mode; `p1Contexts` new agent contexts per mode, each opened once
 * both pools are full and quiet, its first result timed, then the idle kernel's memory read before it shuts down.
 */
async function measureFirstResults(
  provider: JupyterServerProvider,
  sandbox: AgentSandbox,
  project: string,
  config: BenchConfig,
  data: S2Data,
): Promise<void> {
  for (let round = 0; round < config.p1Rounds; round++) {
    const engines: Partial<PerMode<Engine>> = {};
    try {
      engines.plain = agentEngine(provider, config.poolSize);
      engines.sandboxed = agentEngine(provider, config.poolSize, sandbox);
      const all = engines as PerMode<Engine>;
      for (let i = 0; i < config.p1Contexts; i++) {
        for (const mode of modesFor(round * config.p1Contexts + i)) {
          const engine = all[mode];
          const spec = agentContext(`s2-${mode}-r${round}-c${i}`, project);
          await settle(all, IDLE_MS);
          data.firstResult[mode].push((await timeIt(() => registryOnePlusOne(engine.registry, spec))).ms);
          const kernelId = checkMode(engine, spec, mode);
          // The refill done and the kernel idle a second: its memory now is what an idle context costs.
          await settle(all, IDLE_MS);
          const memory = await kernelTreeMemory(kernelId);
          data.idleMemoryMb[mode].push(memory.mb);
          data.idleProcesses[mode].push(memory.processes);
          await engine.registry.shutdown(spec.id);
        }
      }
    } finally {
      await disposeAll(engines);
    }
  }
}

/** One started agent context per mode (no pool: nothing starts beside the runs), `roundTrips` interleaved runs each. */
async function measureRoundTrips(
  provider: JupyterServerProvider,
  sandbox: AgentSandbox,
  project: string,
  config: BenchConfig,
  data: S2Data,
): Promise<void> {
  const engines: Partial<PerMode<Engine>> = {};
  try {
    engines.plain = agentEngine(provider, 0);
    engines.sandboxed = agentEngine(provider, 0, sandbox);
    const all = engines as PerMode<Engine>;
    const specs: PerMode<ContextSpec> = {
      plain: agentContext('s2-rtt-plain', project),
      sandboxed: agentContext('s2-rtt-sandboxed', project),
    };
    const transport: Partial<PerMode<string>> = {};
    for (const mode of MODES) {
      const session = await all[mode].registry.getOrStart(specs[mode]);
      transport[mode] = session.constructor.name;
      await registryOnePlusOne(all[mode].registry, specs[mode]);
      checkMode(all[mode], specs[mode], mode);
    }
    data.transport = transport as PerMode<string>;
    for (let i = 0; i < WARM_UP; i++) {
      for (const mode of MODES) {
        await registryOnePlusOne(all[mode].registry, specs[mode]);
      }
    }
    for (let i = 0; i < config.roundTrips; i++) {
      for (const mode of modesFor(i)) {
        data.roundTrip[mode].push((await timeIt(() => registryOnePlusOne(all[mode].registry, specs[mode]))).ms);
      }
    }
  } finally {
    await disposeAll(engines);
  }
}

/** The line that says S2 was not measured, and why; undefined when it was. */
export function s2NotMeasured(data: S2Data): string | undefined {
  return data.notMeasured === undefined
    ? undefined
    : `S2.firstResult, S2.roundTrip, S2.idleMemory not measured: ${data.notMeasured}`;
}

/** Table rows for S2: each sandboxed figure against the same agent context unsandboxed; none when not measured. */
export function s2Rows(data: S2Data, config: BenchConfig): RowInput[] {
  if (data.notMeasured !== undefined) {
    return [];
  }
  const baseline = (samples: readonly number[]) => ({ label: 'unsandboxed', samples });
  const processes = [...new Set(data.idleProcesses.sandboxed)].join('/');
  const plainProcesses = [...new Set(data.idleProcesses.plain)].join('/');
  return [
    {
      id: 'S2.firstResult',
      label: `first result of a new agent context, warm kernel (pool ${config.poolSize}), sandboxed`,
      unit: 'ms',
      samples: data.firstResult.sandboxed,
      baseline: baseline(data.firstResult.plain),
      goal: { metric: 'ratio', op: '<=', target: 2 },
    },
    {
      id: 'S2.roundTrip',
      label: '1+1 round trip in a started agent context, sandboxed',
      unit: 'ms',
      samples: data.roundTrip.sandboxed,
      baseline: baseline(data.roundTrip.plain),
      goal: { metric: 'ratio', op: '<=', target: 1.1 },
      note: data.transport
        ? `sessions: ${data.transport.sandboxed} sandboxed (ipc sockets), ${data.transport.plain} unsandboxed`
        : undefined,
    },
    {
      id: 'S2.idleMemory',
      label: "RSS of an idle sandboxed kernel's processes (bwrap + kernel)",
      unit: 'MB',
      samples: data.idleMemoryMb.sandboxed,
      baseline: baseline(data.idleMemoryMb.plain),
      note:
        `VmRSS summed over the processes whose argv names the kernel's id (${processes} sandboxed, ` +
        `${plainProcesses} unsandboxed); pages shared between them count once per process.`,
    },
  ];
}
