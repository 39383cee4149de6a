import * as assert from 'node:assert/strict';
import { Emitter } from '../../../src/common/event';
import type { Logger } from '../../../src/common/log';
import { AgentLifecycle, OVERRUN_INTERRUPT_GRACE_MS, type AgentLimits } from '../../../src/kernels/agentLifecycle';
import { contextSpec } from '../../../src/kernels/contextSpec';
import type {
  ContextChangeEvent,
  ContextSpec,
  ExecutionEvent,
  ExecutionResult,
  IContextRegistry,
  KernelSession,
} from '../../../src/kernels/types';
import { okResult } from './fakes';
import { FakeTimer } from '../fakeTimer';

const flush = () => new Promise<void>((resolve) => setImmediate(resolve));

/** A result as a kernel gives it for an interrupted or aborted run. */
const stopped = (ename: string): ExecutionResult => ({
  status: ename === 'KeyboardInterrupt' ? 'error' : 'aborted',
  executionCount: null,
  outputs: [],
  durationMs: 1,
  error: { ename, evalue: '', traceback: [] },
});

/**
 * The part of the registry the lifecycle uses, recording every call: each `execute` returns a promise the test
 * settles (`finish`, `fail`); `getOrStart` resolves at once unless `startGate` holds it; `restart` ends the run in
 * flight as 'aborted', as the real registry does.
 */
class FakeRegistry {
  readonly calls: string[] = [];
  private readonly changes = new Emitter<ContextChangeEvent>();
  private readonly executions = new Emitter<ExecutionEvent>();
  readonly onDidChangeContexts = this.changes.event;
  readonly onDidExecute = this.executions.event;
  private readonly runs: Array<{ resolve(r: ExecutionResult): void; reject(e: unknown): void }> = [];
  startGate: Promise<void> = Promise.resolve();
  interruptError: Error | undefined;

  execute(spec: ContextSpec, code: string): Promise<ExecutionResult> {
    this.calls.push(`execute ${spec.id} ${code}`);
    return new Promise((resolve, reject) => this.runs.push({ resolve, reject }));
  }

  async getOrStart(spec: ContextSpec): Promise<KernelSession> {
    this.calls.push(`getOrStart ${spec.id}`);
    await this.startGate;
    return {} as KernelSession;
  }

  interrupt(id: string): Promise<void> {
    this.calls.push(`interrupt ${id}`);
    return this.interruptError ? Promise.reject(this.interruptError) : Promise.resolve();
  }

  async restart(id: string): Promise<void> {
    this.calls.push(`restart ${id}`);
    this.finish(stopped('Aborted'));
  }

  async shutdown(id: string): Promise<void> {
    this.calls.push(`shutdown ${id}`);
  }

  get(): undefined {
    return undefined;
  }

  list(): [] {
    return [];
  }

  /** Ends the oldest run in flight with `result`. */
  finish(result: ExecutionResult): void {
    this.runs.shift()?.resolve(result);
  }

  fail(err: Error): void {
    this.runs.shift()?.reject(err);
  }

  count(call: string): number {
    return this.calls.filter((c) => c === call).length;
  }

  dispose(): void {
    this.changes.dispose();
    this.executions.dispose();
  }
}

describe('AgentLifecycle: the run time limit (fake registry, fake clock)', () => {
  const ID = 'agent:a';
  const spec = contextSpec({ id: ID });
  let registry: FakeRegistry;
  let timer: FakeTimer;
  let lifecycle: AgentLifecycle;
  let warnings: string[];

  /** No idle shutdown and no cap, so the only timers are the run's. */
  const start = (runTimeoutSeconds: number | undefined) => {
    const limits: AgentLimits = { idleShutdownMinutes: 0, maxContexts: 0, runTimeoutSeconds };
    const logger: Logger = { info: () => undefined, warn: (m) => warnings.push(String(m)), error: () => undefined };
    lifecycle = new AgentLifecycle(registry as unknown as IContextRegistry, {
      limits,
      timer,
      now: timer.clock,
      logger,
    });
  };

  beforeEach(() => {
    registry = new FakeRegistry();
    timer = new FakeTimer();
    warnings = [];
  });
  afterEach(() => {
    lifecycle.dispose();
    registry.dispose();
  });

  it('a run that ends before the limit: no interrupt, no notice, and its timer is gone', async () => {
    start(10);
    const call = lifecycle.execute(spec, 'quick');
    await flush();
    assert.deepEqual(registry.calls, [`getOrStart ${ID}`, `execute ${ID} quick`]);
    assert.equal(timer.pendingCount, 1, 'the watchdog is armed');
    timer.advance(10_000 - 1);
    await flush();
    const result = okResult(1, 'quick');
    registry.finish(result);
    assert.deepEqual(await call, { result });
    assert.equal(timer.pendingCount, 0, 'the watchdog was disposed');
    timer.advance(60_000);
    await flush();
    assert.equal(registry.count(`interrupt ${ID}`), 0);
    assert.deepEqual(warnings, []);
  });

  it('past the limit, a run that ends within the grace: interrupted once, never restarted', async () => {
    start(10);
    const call = lifecycle.execute(spec, 'slow');
    await flush();
    timer.advance(10_000 - 1);
    await flush();
    assert.equal(registry.count(`interrupt ${ID}`), 0, 'not before the limit');
    timer.advance(1);
    await flush();
    assert.equal(registry.count(`interrupt ${ID}`), 1, 'at the limit');
    timer.advance(OVERRUN_INTERRUPT_GRACE_MS - 1);
    await flush();
    const result = stopped('KeyboardInterrupt');
    registry.finish(result);
    const { result: got, notice } = await call;
    assert.equal(got, result, 'the caller gets the interrupted run’s own result');
    assert.match(notice ?? '', /stopped at the run time limit of 10 s: it was interrupted/);
    assert.match(notice ?? '', /keeps its variables/);
    timer.advance(60_000);
    await flush();
    assert.equal(registry.count(`interrupt ${ID}`), 1);
    assert.equal(registry.count(`restart ${ID}`), 0);
    assert.equal(timer.pendingCount, 0);
  });

  it('past the limit, a run that ignores the interrupt for the grace: its kernel is restarted', async () => {
    start(10);
    const call = lifecycle.execute(spec, 'while True:\n  try: pass\n  except KeyboardInterrupt: pass');
    await flush();
    timer.advance(10_000);
    await flush();
    timer.advance(OVERRUN_INTERRUPT_GRACE_MS - 1);
    await flush();
    assert.equal(registry.count(`restart ${ID}`), 0, 'not before the grace is over');
    timer.advance(1);
    await flush();
    assert.equal(registry.count(`interrupt ${ID}`), 1);
    assert.equal(registry.count(`restart ${ID}`), 1);
    const { result, notice } = await call;
    assert.equal(result.status, 'aborted');
    assert.match(
      notice ?? '',
      new RegExp(
        `stopped at the run time limit of 10 s: it ignored the interrupt for ${OVERRUN_INTERRUPT_GRACE_MS / 1000} s`,
      ),
    );
    assert.match(notice ?? '', /restarted and its variables are gone/);
    assert.ok(
      warnings.some((w) => /interrupt did not take; restarting/.test(w)),
      warnings.join('\n'),
    );
  });

  it('a failed interrupt is logged and the restart still comes', async () => {
    start(3);
    registry.interruptError = new Error('no kernel to interrupt');
    const call = lifecycle.execute(spec, 'spin');
    await flush();
    timer.advance(3_000);
    await flush();
    timer.advance(OVERRUN_INTERRUPT_GRACE_MS);
    await flush();
    assert.equal(registry.count(`restart ${ID}`), 1);
    const { notice } = await call;
    assert.match(notice ?? '', /run time limit of 3 s: .*restarted/);
    assert.ok(
      warnings.some((w) => w.includes('no kernel to interrupt')),
      warnings.join('\n'),
    );
  });

  for (const [what, seconds] of [
    ['0', 0],
    ['absent', undefined],
    ['negative (taken as 0)', -5],
  ] as const) {
    it(`runTimeoutSeconds ${what}: no timer at all, no start of its own, never an interrupt`, async () => {
      start(seconds);
      const call = lifecycle.execute(spec, 'long');
      await flush();
      assert.deepEqual(registry.calls, [`execute ${ID} long`]);
      assert.equal(timer.pendingCount, 0);
      timer.advance(24 * 3600_000);
      await flush();
      const result = okResult(1, 'long');
      registry.finish(result);
      assert.deepEqual(await call, { result });
      assert.deepEqual(registry.calls, [`execute ${ID} long`]);
    });
  }

  it('the limit counts from after the kernel start, not during it', async () => {
    start(10);
    let started: () => void = () => undefined;
    registry.startGate = new Promise((resolve) => (started = resolve));
    const call = lifecycle.execute(spec, 'after a slow start');
    await flush();
    assert.deepEqual(registry.calls, [`getOrStart ${ID}`], 'the run waits for the start');
    assert.equal(timer.pendingCount, 0);
    timer.advance(30_000);
    await flush();
    started();
    await flush();
    assert.deepEqual(registry.calls, [`getOrStart ${ID}`, `execute ${ID} after a slow start`]);
    assert.equal(timer.pendingCount, 1);
    timer.advance(10_000 - 1);
    await flush();
    assert.equal(registry.count(`interrupt ${ID}`), 0);
    registry.finish(okResult(1, 'done'));
    assert.equal((await call).notice, undefined);
  });

  it('a run that fails before the limit rethrows, and its timer is gone', async () => {
    start(10);
    const call = lifecycle.execute(spec, 'x');
    await flush();
    const failure = new Error('connection lost');
    registry.fail(failure);
    await assert.rejects(call, failure);
    assert.equal(timer.pendingCount, 0);
    timer.advance(60_000);
    await flush();
    assert.equal(registry.count(`interrupt ${ID}`), 0);
  });

  it('setLimits changes the limit of later runs', async () => {
    start(10);
    lifecycle.setLimits({ idleShutdownMinutes: 0, maxContexts: 0, runTimeoutSeconds: 2 });
    const call = lifecycle.execute(spec, 'x');
    await flush();
    timer.advance(2_000);
    await flush();
    assert.equal(registry.count(`interrupt ${ID}`), 1);
    registry.finish(stopped('KeyboardInterrupt'));
    assert.match((await call).notice ?? '', /run time limit of 2 s: it was interrupted/);
  });
});
