import type { KernelMessage } from '@jupyterlab/services';
import type { Disposable } from '../../common/disposable';
import type { Logger } from '../../common/log';
import { OutputCollector } from '../output/outputCollector';
import { toOutputEvent } from '../output/outputConverters';
import type { AbortReason } from './abortReason';
import { abortedResult } from '../output/results';
import type { ExecuteOptions, ExecutionResult, OutputEvent, StdinRequest, UserExpressionResult } from '../types';

type ExecuteReply = KernelMessage.IExecuteReplyMsg['content'];

/** One execute request in flight: its messages are routed to it by parent msg_id. */
export interface ExecuteFuture {
  readonly msg: { header: { msg_id: string } };
  onIOPub: (msg: KernelMessage.IIOPubMessage) => void;
  onStdin: (msg: KernelMessage.IStdinMessage) => void;
  /** Resolves with the reply once the reply and the kernel's idle status for this request arrived. */
  readonly done: Promise<{ content: ExecuteReply }>;
}

/**
 * The part of a kernel connection that runs code. @jupyterlab/services' `KernelConnection` (server websocket)
 * fits it, and so does the direct ZMQ transport (`ZmqExecuteChannel`).
 */
export interface ExecuteChannel {
  requestExecute(content: KernelMessage.IExecuteRequestMsg['content']): ExecuteFuture;
  sendInputReply(
    content: KernelMessage.IInputReplyMsg['content'],
    parentHeader: KernelMessage.IInputRequestMsg['header'],
  ): void;
}

/** What one execute request needs from its session. */
export interface RequestContext {
  kernel: ExecuteChannel;
  now: () => number;
  logger: Logger;
  /** Why the request's future was cancelled (restart, death, shutdown), read when it rejects. */
  abortReason(): AbortReason;
  /** Registers the request for display updates that reach no future; dispose when the request ends. */
  track(msgId: string, deliver: (e: OutputEvent) => void): Disposable;
  interrupt(): Promise<void>;
  onExecutionCount(count: number): void;
}

/**
 * Sends one execute_request and collects only the messages whose parent msg_id is this request's.
 * Never rejects: cancellation by restart, death or shutdown becomes status 'aborted' with the reason.
 */
export async function runRequest(ctx: RequestContext, code: string, options: ExecuteOptions): Promise<ExecutionResult> {
  const silent = options.silent === true;
  const started = ctx.now();
  const collector = new OutputCollector();
  const emit = (e: OutputEvent): void => {
    collector.apply(e);
    if (options.onOutput) {
      try {
        options.onOutput(e);
      } catch (err) {
        ctx.logger.error(err instanceof Error ? err : new Error(String(err)));
      }
    }
  };
  const future = ctx.kernel.requestExecute({
    code,
    silent,
    store_history: options.storeHistory ?? !silent,
    allow_stdin: options.onStdin !== undefined,
    // Stop on error is the registry's (`RunGroup`): the kernel's own aborts only the requests it already holds, so a
    // run still on its way would run after the failure.
    stop_on_error: false,
    ...(options.userExpressions ? { user_expressions: options.userExpressions } : {}),
  });
  const msgId = future.msg.header.msg_id;
  const run: RunFlags = { finished: false, inputCancelled: false };
  listen(ctx, future, options, emit, run);
  const tracked = ctx.track(msgId, (e) => {
    if (e.kind === 'update' && !collector.hasDisplay(e.displayId)) {
      emit(e);
    }
  });
  try {
    const reply = await future.done;
    return toResult(reply.content, silent, collector, ctx.now() - started, run.inputCancelled, ctx);
  } catch {
    // The future was cancelled (restart, kernel death, shutdown): the session knows why.
    return { ...abortedResult(ctx.abortReason(), ctx.now() - started), outputs: collector.result() };
  } finally {
    run.finished = true;
    tracked.dispose();
  }
}

/** Whether the request has ended, and whether its `input()` was cancelled. */
interface RunFlags {
  finished: boolean;
  inputCancelled: boolean;
}

/** Routes the future's iopub and stdin messages; iopub from other requests is ignored. */
function listen(
  ctx: RequestContext,
  future: ExecuteFuture,
  options: ExecuteOptions,
  emit: (e: OutputEvent) => void,
  run: RunFlags,
): void {
  const msgId = future.msg.header.msg_id;
  const silent = options.silent === true;
  future.onIOPub = (msg) => {
    if ((msg.parent_header as Partial<KernelMessage.IHeader>).msg_id !== msgId) {
      return;
    }
    if (!silent && msg.header.msg_type === 'execute_input') {
      const count = (msg as KernelMessage.IExecuteInputMsg).content.execution_count;
      if (count !== null) {
        ctx.onExecutionCount(count);
      }
    }
    const e = toOutputEvent(msg);
    if (e) {
      emit(e);
    }
  };
  const ask = options.onStdin;
  if (ask) {
    future.onStdin = (msg) => {
      if (msg.header.msg_type === 'input_request') {
        void answerStdin(ctx, msg as KernelMessage.IInputRequestMsg, ask, run);
      }
    };
  }
}

function toResult(
  content: ExecuteReply,
  silent: boolean,
  collector: OutputCollector,
  durationMs: number,
  cancelled: boolean,
  ctx: RequestContext,
): ExecutionResult {
  const outputs = collector.result();
  const executionCount = silent ? null : (content.execution_count ?? null);
  if (executionCount !== null) {
    ctx.onExecutionCount(executionCount);
  }
  if (cancelled) {
    return { ...abortedResult({ kind: 'input-cancelled' }, durationMs), executionCount, outputs };
  }
  if (content.status === 'ok') {
    const userExpressions = toUserExpressions(content.user_expressions);
    return { status: 'ok', executionCount, outputs, durationMs, ...(userExpressions ? { userExpressions } : {}) };
  }
  if (content.status === 'error') {
    const error = { ename: content.ename, evalue: content.evalue, traceback: content.traceback };
    return { status: 'error', executionCount, outputs, error, durationMs };
  }
  return { ...abortedResult({ kind: 'kernel-skipped' }, durationMs), executionCount, outputs };
}

/** The reply's `user_expressions`, typed; undefined when the kernel answered none. */
function toUserExpressions(raw: unknown): Record<string, UserExpressionResult> | undefined {
  if (raw === null || typeof raw !== 'object' || Object.keys(raw).length === 0) {
    return undefined;
  }
  const answers: Record<string, UserExpressionResult> = {};
  for (const [name, value] of Object.entries(raw as Record<string, Record<string, unknown>>)) {
    answers[name] =
      value.status === 'ok'
        ? { status: 'ok', data: (value.data as Record<string, unknown> | undefined) ?? {} }
        : { status: 'error', ename: String(value.ename ?? 'Error'), evalue: String(value.evalue ?? '') };
  }
  return answers;
}

async function answerStdin(
  ctx: RequestContext,
  msg: KernelMessage.IInputRequestMsg,
  ask: (request: StdinRequest) => Promise<string | undefined>,
  run: RunFlags,
): Promise<void> {
  let value: string | undefined;
  try {
    value = await ask({ prompt: msg.content.prompt, password: msg.content.password });
  } catch (err) {
    ctx.logger.warn(`Answering input() failed, so it is treated as cancelled: ${String(err)}`);
  }
  if (run.finished) {
    return;
  }
  if (value !== undefined) {
    ctx.kernel.sendInputReply({ status: 'ok', value }, msg.header);
    return;
  }
  // The kernel blocks in input() until answered; an interrupt is the protocol's only way out.
  run.inputCancelled = true;
  try {
    await ctx.interrupt();
  } catch (err) {
    ctx.logger.warn(`Could not interrupt the kernel after a cancelled input(): ${String(err)}`);
  }
}
