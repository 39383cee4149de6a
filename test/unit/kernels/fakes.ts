import { Emitter } from '../../../src/common/event';
import type { DapEvent, DapRequest, DapResponse } from '../../../src/kernels/debug/dapMessages';
import type { CompletionResult } from '../../../src/kernels/session/completion';
import type {
  ExecuteOptions,
  InspectResult,
  ExecutionResult,
  KernelSession,
  KernelState,
  SessionFactory,
  SetupTarget,
  StateLostEvent,
} from '../../../src/kernels/types';

/** A run the fake kernel has received, resolved by the test (or at once by the default behaviour). */
export interface FakeRun {
  code: string;
  options: ExecuteOptions;
  resolve(result: ExecutionResult): void;
}

let nextKernel = 0;

/** A kernel session without a kernel: records every execute and lets the test decide the outcome. */
export class FakeSession implements KernelSession {
  readonly id = `fake-${++nextKernel}`;
  readonly language = 'python';
  state: KernelState = 'idle';
  executionCount: number | null = null;
  readonly runs: FakeRun[] = [];
  restarts = 0;
  shutdowns = 0;
  /** When true, user runs (not silent ones) wait for the test to call `resolve` on the run. */
  manual = false;
  private readonly stateEmitter = new Emitter<KernelState>();
  private readonly lossEmitter = new Emitter<StateLostEvent>();
  readonly onDidChangeState = this.stateEmitter.event;
  readonly onDidLoseState = this.lossEmitter.event;
  /** Debug events the test fires as the kernel's debugger would. */
  readonly debugEvents = new Emitter<DapEvent>();
  readonly onDebugEvent = this.debugEvents.event;
  /** The debug requests received, in order; answered by `debugReply` (an ipykernel without debugpy by default). */
  readonly debugRequests: DapRequest[] = [];
  debugReply: (request: DapRequest) => DapResponse | null = () => null;
  private pending: Array<{ code: string; resolve: (r: ExecutionResult) => void }> = [];

  constructor(readonly kernelName = 'python3') {}

  execute(code: string, options: ExecuteOptions = {}): Promise<ExecutionResult> {
    return new Promise((resolve) => {
      this.runs.push({ code, options, resolve });
      if (this.manual && !options.silent) {
        this.pending.push({ code, resolve });
        return;
      }
      if (!options.silent) {
        this.executionCount = (this.executionCount ?? 0) + 1;
      }
      options.onOutput?.({ kind: 'output', output: { output_type: 'stream', name: 'stdout', text: code } });
      resolve(okResult(this.executionCount, code));
    });
  }

  /** What the fake kernel answers a `complete` with; the requests it got, in order. */
  completions: string[] = [];
  readonly completeRequests: Array<{ code: string; cursor: number }> = [];

  async complete(code: string, cursor: number): Promise<CompletionResult> {
    this.completeRequests.push({ code, cursor });
    const word = /\w*$/.exec(code.slice(0, cursor))![0];
    return { matches: this.completions.filter((m) => m.startsWith(word)), start: cursor - word.length, end: cursor };
  }

  async debugRequest(request: DapRequest): Promise<DapResponse | null> {
    this.debugRequests.push(request);
    return this.debugReply(request);
  }

  /** Inspect answers (a fake kernel has no namespace): a name is found only when `inspectAnswers` holds it. */
  readonly inspectAnswers = new Map<string, string>();

  async inspect(code: string, cursor: number): Promise<InspectResult> {
    const name = /\w*$/.exec(code.slice(0, cursor))?.[0] ?? '';
    const text = this.inspectAnswers.get(name);
    return text === undefined ? { found: false, data: {} } : { found: true, data: { 'text/plain': text } };
  }

  /** User code runs (not the silent set-up). */
  get userCode(): string[] {
    return this.runs.filter((r) => !r.options.silent).map((r) => r.code);
  }

  async interrupt(): Promise<void> {
    return undefined;
  }

  async restart(): Promise<void> {
    this.restarts++;
    this.executionCount = null;
    this.lossEmitter.fire({ reason: 'restarted', message: 'restarted' });
    if (!this.silentOnRestart) {
      this.abortPending('restarted');
    }
  }

  /** When true, a restart leaves pending runs unanswered (a session that never reports them). */
  silentOnRestart = false;

  /** Ends every run still waiting for the test, as the real session does when its kernel goes away. */
  abortPending(why: string): void {
    for (const { resolve } of this.pending.splice(0)) {
      resolve({ status: 'aborted', executionCount: null, outputs: [], durationMs: 0, error: abortError(why) });
    }
  }

  async shutdown(): Promise<void> {
    this.shutdowns++;
    this.setState('shutdown');
    this.abortPending('shut down');
  }

  /** User runs the kernel holds, unanswered, oldest first. */
  get pendingCount(): number {
    return this.pending.length;
  }

  /** Answers the oldest unanswered user run with an ok result echoing its code. */
  answerNext(): void {
    const next = this.pending.shift();
    if (next) {
      this.executionCount = (this.executionCount ?? 0) + 1;
      next.resolve(okResult(this.executionCount, next.code));
    }
  }

  /** Answers the oldest unanswered user run with an error (as a raising cell does). */
  failNext(evalue = 'boom'): void {
    const next = this.pending.shift();
    if (next) {
      this.executionCount = (this.executionCount ?? 0) + 1;
      const error = { ename: 'ValueError', evalue, traceback: [] };
      next.resolve({ status: 'error', executionCount: this.executionCount, outputs: [], error, durationMs: 1 });
    }
  }

  /** The code of the user runs the kernel holds, unanswered, oldest first. */
  get pendingCode(): string[] {
    return this.pending.map((p) => p.code);
  }

  /** Simulates the kernel process dying for good (or its server). */
  die(reason: StateLostEvent['reason'] = 'kernel-died'): void {
    this.setState('dead');
    this.lossEmitter.fire({ reason, message: `state lost: ${reason}` });
    this.abortPending('died');
  }

  setState(state: KernelState): void {
    this.state = state;
    this.stateEmitter.fire(state);
  }

  dispose(): void {
    this.stateEmitter.dispose();
  }
}

function abortError(why: string) {
  return { ename: 'Aborted', evalue: `aborted: kernel ${why}`, traceback: [] };
}

/** A successful result whose output echoes the code, so tests can check attribution. */
export function okResult(executionCount: number | null, text: string): ExecutionResult {
  return {
    status: 'ok',
    executionCount,
    outputs: [{ output_type: 'stream', name: 'stdout', text }],
    durationMs: 1,
  };
}

/** A factory that hands out FakeSessions, optionally slowly or failing for chosen kernelspecs. */
export class FakeFactory implements SessionFactory {
  readonly started: FakeSession[] = [];
  readonly setUps: Array<{ session: FakeSession; target: SetupTarget }> = [];
  failFor = new Set<string>();
  /** Starts wait for this promise, so tests can hold starts in flight. */
  gate: Promise<void> = Promise.resolve();
  /** Sessions handed out hold user runs until the test resolves them. */
  manual = false;

  async start(kernelName: string): Promise<FakeSession> {
    await this.gate;
    if (this.failFor.has(kernelName)) {
      throw new Error(`Unknown kernelspec "${kernelName}". Available kernelspecs: python3.`);
    }
    const session = new FakeSession(kernelName);
    session.manual = this.manual;
    this.started.push(session);
    return session;
  }

  async setUp(session: KernelSession, target: SetupTarget): Promise<void> {
    this.setUps.push({ session: session as FakeSession, target: { ...target } });
    await session.execute(`setup ${target.cwd ?? ''}`, { silent: true });
  }
}
