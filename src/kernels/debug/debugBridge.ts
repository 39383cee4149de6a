import { Emitter, type Event } from '../../common/event';
import type { Disposable } from '../../common/disposable';
import type { ExecutionResult, KernelSession } from '../types';
import { CellLineMap, type DebuggedCell, type SourceBreakpoint } from './cellLineMap';
import type { DapEvent, DapMessage, DapRequest, DapResponse, DapSource } from './dapMessages';
import { KernelDebugger } from './kernelDebugger';

/** What the bridge needs from the context whose code it debugs. */
export interface DebugTarget {
  /** The context's kernel, started if needed. */
  session(): Promise<KernelSession>;
  /** Runs the code through the context's normal run path (its queue, its results); resolves when the run ends. */
  run(code: string): Promise<ExecutionResult>;
  /** Interrupts the context's current run (Stop while the debugged run still goes). */
  interrupt(): Promise<void>;
}

/** How a debug session ended: the run's result, why it could not start, or undefined (stopped before it ran). */
export type DebugOutcome = ExecutionResult | Error | undefined;

/** Kernel events the bridge answers itself: VS Code must see one `initialized`, and the end when the run ends. */
const OWN_EVENTS = new Set(['initialized', 'terminated', 'exited']);

/**
 * A debug adapter (DAP in, DAP out; the shape of `vscode.DebugAdapter`, without `vscode`) that debugs one piece of
 * code in a context's own kernel. Requests go to the kernel's debugger with the user's file and lines turned into
 * the kernel's copy of the code, and stack frames, breakpoints and events come back in the user's file and lines.
 * On `configurationDone` the code runs through the context's run path; when that run ends, the bridge detaches from
 * the kernel's debugger and ends the debug session. Stop interrupts the run if it still goes and detaches: the
 * kernel and its state stay.
 */
export class KernelDebugBridge implements Disposable {
  private readonly sent = new Emitter<DapMessage>();
  /** Messages to the editor (responses and events): `vscode.DebugAdapter.onDidSendMessage`. */
  readonly onDidSendMessage: Event<DapMessage> = this.sent.event;
  private seq = 0;
  private debug: KernelDebugger | undefined;
  private map: CellLineMap | undefined;
  private eventSub: Disposable | undefined;
  private runResult: Promise<ExecutionResult> | undefined;
  private running = false;
  private finished = false;
  private readonly endedEmitter = new Emitter<DebugOutcome>();
  /**
   * Fires once when the debug session ends: with the run's result, the error that kept it from starting, or
   * undefined when it was stopped before the code ran. A run that goes on after `dispose` still reports its end.
   */
  readonly onDidEnd: Event<DebugOutcome> = this.endedEmitter.event;

  constructor(
    private readonly target: DebugTarget,
    private readonly cell: DebuggedCell,
  ) {}

  /** One message from the editor: `vscode.DebugAdapter.handleMessage`. */
  handleMessage(message: DapMessage): void {
    if (message.type !== 'request') {
      return;
    }
    this.answer(message).then(
      (response) => this.send(response),
      (err: unknown) => this.send(this.failure(message, err)),
    );
  }

  dispose(): void {
    void this.detach();
    this.eventSub?.dispose();
    this.sent.dispose();
    if (!this.runResult) {
      this.end(undefined);
    }
  }

  private async answer(request: DapRequest): Promise<DapResponse> {
    const args = request.arguments ?? {};
    switch (request.command) {
      case 'initialize':
        return this.initialize(request);
      case 'launch':
      case 'attach':
        return this.ok(request);
      case 'configurationDone':
        this.startRun();
        return this.ok(request);
      case 'setBreakpoints':
        return this.setBreakpoints(request, args);
      case 'stackTrace':
        return this.stackTrace(request, args);
      case 'disconnect':
      case 'terminate':
        await this.stop();
        return this.ok(request);
      default:
        return this.forward(request, args);
    }
  }

  private async initialize(request: DapRequest): Promise<DapResponse> {
    try {
      const session = await this.target.session();
      this.debug = await KernelDebugger.open(session);
      this.eventSub = this.debug.onEvent((e) => this.onKernelEvent(e));
      this.map = new CellLineMap(this.cell, await this.debug.dumpCell(this.cell.code));
    } catch (err) {
      this.end(err instanceof Error ? err : new Error(String(err)));
      throw err;
    }
    // The editor sends its breakpoints after `initialized`, which must follow this answer.
    queueMicrotask(() => this.sendEvent('initialized'));
    return this.ok(request, { ...this.debug.capabilities, supportsConfigurationDoneRequest: true });
  }

  private async setBreakpoints(request: DapRequest, args: Record<string, unknown>): Promise<DapResponse> {
    const map = this.map!;
    const source = args.source as DapSource | undefined;
    if (!map.isUserFile(source?.path)) {
      return this.forward(request, args);
    }
    const wanted = (args.breakpoints as SourceBreakpoint[] | undefined) ?? [];
    const { inside, outside } = map.breakpointsToDumped(wanted);
    const reply = await this.debug!.request('setBreakpoints', {
      ...args,
      source: { path: map.dumpedPath },
      breakpoints: inside,
      lines: inside.map((b) => b.line),
    });
    const verified = ((reply.body?.breakpoints as Array<Record<string, unknown>> | undefined) ?? []).map((b) => ({
      ...b,
      source,
      line: typeof b.line === 'number' ? map.toUser({ path: map.dumpedPath, line: b.line }).line : undefined,
    }));
    const breakpoints = wanted.map((bp, index) =>
      outside.includes(index)
        ? { verified: false, line: bp.line, source, message: 'This line is outside the code being debugged.' }
        : verified.shift(),
    );
    return this.ok(request, { breakpoints });
  }

  private async stackTrace(request: DapRequest, args: Record<string, unknown>): Promise<DapResponse> {
    const reply = await this.forward(request, args);
    const frames = (reply.body?.stackFrames as Array<Record<string, unknown>> | undefined) ?? [];
    const map = this.map!;
    const stackFrames = frames.map((frame) => {
      const source = frame.source as DapSource | undefined;
      if (source?.path === undefined || typeof frame.line !== 'number') {
        return frame;
      }
      return {
        ...frame,
        source: map.sourceToUser(source),
        line: map.toUser({ path: source.path, line: frame.line }).line,
      };
    });
    return { ...reply, body: { ...reply.body, stackFrames } };
  }

  private async forward(request: DapRequest, args: Record<string, unknown>): Promise<DapResponse> {
    if (!this.debug?.isConnected) {
      throw new Error(`The debug session has ended ("${request.command}" was not sent).`);
    }
    const reply = await this.debug.request(request.command, args);
    return { ...reply, seq: 0, request_seq: request.seq, command: request.command };
  }

  /** Runs the code once; its end ends the debug session. */
  private startRun(): void {
    if (this.runResult) {
      return;
    }
    this.running = true;
    this.runResult = this.target.run(this.cell.code);
    this.runResult.then(
      (result) => void this.finish(result),
      (err: unknown) => void this.finish(err instanceof Error ? err : new Error(String(err))),
    );
  }

  private async finish(outcome: ExecutionResult | Error): Promise<void> {
    this.running = false;
    await this.detach();
    this.end(outcome);
    this.sendEvent('terminated');
  }

  /**
   * Stop from the editor: interrupt the run if it still goes, then detach (the kernel stays). Interrupting first,
   * while the run is paused or still running, keeps the interrupt from reaching a run queued behind it, which a
   * detached run that finished on its own would let in.
   */
  private async stop(): Promise<void> {
    if (this.running) {
      await this.target.interrupt();
    }
    await this.detach();
  }

  private async detach(): Promise<void> {
    try {
      await this.debug?.disconnect();
    } catch {
      // The kernel is gone or its debugger already stopped: there is nothing left to detach from.
    }
  }

  private end(outcome: DebugOutcome): void {
    if (!this.finished) {
      this.finished = true;
      this.endedEmitter.fire(outcome);
      this.endedEmitter.dispose();
    }
  }

  private onKernelEvent(event: DapEvent): void {
    if (OWN_EVENTS.has(event.event) || this.finished) {
      return;
    }
    this.sendEvent(event.event, this.mapEventBody(event.body));
  }

  /** Sources in events (output locations, changed breakpoints) shown as the user's file and line. */
  private mapEventBody(body: Record<string, unknown> | undefined): Record<string, unknown> | undefined {
    const map = this.map;
    if (!body || !map) {
      return body;
    }
    const mapped = { ...body };
    const source = body.source as DapSource | undefined;
    if (source?.path !== undefined && typeof body.line === 'number') {
      mapped.source = map.sourceToUser(source);
      mapped.line = map.toUser({ path: source.path, line: body.line }).line;
    }
    const bp = body.breakpoint as Record<string, unknown> | undefined;
    const bpSource = bp?.source as DapSource | undefined;
    if (bp && bpSource?.path !== undefined && typeof bp.line === 'number') {
      mapped.breakpoint = {
        ...bp,
        source: map.sourceToUser(bpSource),
        line: map.toUser({ path: bpSource.path, line: bp.line }).line,
      };
    }
    return mapped;
  }

  private ok(request: DapRequest, body?: Record<string, unknown>): DapResponse {
    return { seq: 0, type: 'response', request_seq: request.seq, success: true, command: request.command, body };
  }

  private failure(request: DapRequest, err: unknown): DapResponse {
    const message = err instanceof Error ? err.message : String(err);
    return { seq: 0, type: 'response', request_seq: request.seq, success: false, command: request.command, message };
  }

  private sendEvent(event: string, body?: Record<string, unknown>): void {
    this.send({ seq: 0, type: 'event', event, body });
  }

  private send(message: DapMessage): void {
    this.sent.fire({ ...message, seq: ++this.seq });
  }
}
