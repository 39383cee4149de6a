import type { KernelDebugBridge } from '../../src/kernels/debug/debugBridge';
import type { DapEvent, DapMessage, DapResponse } from '../../src/kernels/debug/dapMessages';

/**
 * Plays the editor's side of DAP against a bridge: numbered requests, their responses, and the events seen. Waits
 * resolve on the message itself (no polling), so the bench can time them; each gives up naming what it waited for.
 */
export class DapTestClient {
  readonly events: DapEvent[] = [];
  private readonly responses = new Map<number, DapResponse>();
  private readonly waiters = new Set<() => void>();
  private seq = 0;

  constructor(private readonly bridge: KernelDebugBridge) {
    bridge.onDidSendMessage((m: DapMessage) => {
      if (m.type === 'response') {
        this.responses.set(m.request_seq, m);
      } else if (m.type === 'event') {
        this.events.push(m);
      }
      for (const wake of [...this.waiters]) {
        wake();
      }
    });
  }

  /** Sends a request and waits for its response (success or not). */
  async send(command: string, args: Record<string, unknown> = {}, timeoutMs = 30_000): Promise<DapResponse> {
    const seq = ++this.seq;
    this.bridge.handleMessage({ seq, type: 'request', command, arguments: args });
    return this.until(`the response to "${command}"`, () => this.responses.get(seq), timeoutMs);
  }

  /** Sends a request that must succeed; fails with the debugger's message otherwise. */
  async ok(command: string, args: Record<string, unknown> = {}): Promise<DapResponse> {
    const response = await this.send(command, args);
    if (!response.success) {
      throw new Error(`"${command}" failed: ${response.message}`);
    }
    return response;
  }

  /** Waits for the `count`-th event named `name` (counting from 1, all seen so far included). */
  event(name: string, count = 1, timeoutMs = 30_000): Promise<DapEvent> {
    return this.until(
      `event "${name}" #${count}`,
      () => this.events.filter((e) => e.event === name)[count - 1],
      timeoutMs,
    );
  }

  /** Resolves with `check`'s value once a message makes it defined; rejects naming `what` after `timeoutMs`. */
  private until<T>(what: string, check: () => T | undefined, timeoutMs: number): Promise<T> {
    return new Promise((resolve, reject) => {
      const done = (): void => {
        const value = check();
        if (value !== undefined) {
          clearTimeout(timer);
          this.waiters.delete(done);
          resolve(value);
        }
      };
      // A give-up bound, not a wait: messages settle the promise as soon as the condition holds.
      const timer = setTimeout(() => {
        this.waiters.delete(done);
        reject(new Error(`timed out after ${timeoutMs} ms waiting for ${what}`));
      }, timeoutMs);
      this.waiters.add(done);
      done();
    });
  }

  /** The editor's start: initialize, launch, the breakpoints of `path`, configurationDone (the run starts). */
  async start(path: string, lines: number[]): Promise<void> {
    await this.ok('initialize', { adapterID: 'kernel-islands', linesStartAt1: true, columnsStartAt1: true });
    await this.event('initialized');
    await this.ok('launch', {});
    await this.ok('setBreakpoints', { source: { path }, breakpoints: lines.map((line) => ({ line })) });
    await this.ok('configurationDone');
  }

  /** The top frame of the stopped thread: its id, the file it names and its line. */
  async topFrame(): Promise<{ id: number; path: string | undefined; line: number; threadId: number }> {
    const stopped = this.events.filter((e) => e.event === 'stopped').at(-1);
    const threadId = stopped?.body?.threadId as number;
    const trace = await this.ok('stackTrace', { threadId });
    const frame = (trace.body?.stackFrames as Array<{ id: number; line: number; source?: { path?: string } }>)[0];
    return { id: frame.id, path: frame.source?.path, line: frame.line, threadId };
  }

  /** Evaluates `expression` in frame `frameId`; its result text. */
  async evaluate(expression: string, frameId: number): Promise<string> {
    const reply = await this.ok('evaluate', { expression, frameId, context: 'repl' });
    return String(reply.body?.result);
  }
}
