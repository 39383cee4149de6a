import * as assert from 'node:assert/strict';
import type { Kernel, KernelMessage } from '@jupyterlab/services';
import { nullLogger } from '../../../../src/common/log';
import { RequestContext, runRequest } from '../../../../src/kernels/session/executeRequest';
import type { OutputEvent } from '../../../../src/kernels/types';

type Msg = KernelMessage.IMessage;

/** A future the test drives: it delivers messages and settles `done` by hand. */
class FakeFuture {
  readonly msg = { header: { msg_id: 'mine', msg_type: 'execute_request' } };
  onIOPub: (msg: Msg) => void = () => undefined;
  onStdin: (msg: Msg) => void = () => undefined;
  resolveDone!: (reply: unknown) => void;
  rejectDone!: (err: Error) => void;
  readonly done = new Promise((resolve, reject) => {
    this.resolveDone = resolve;
    this.rejectDone = reject;
  });
}

function iopub(parent: string, msg_type: string, content: unknown): Msg {
  return { header: { msg_type }, parent_header: { msg_id: parent }, content, channel: 'iopub' } as unknown as Msg;
}

function setup() {
  const future = new FakeFuture();
  const sent: Array<{ content: unknown; parent: unknown }> = [];
  const requests: unknown[] = [];
  let interrupts = 0;
  let count: number | undefined;
  const kernel = {
    requestExecute: (content: unknown) => {
      requests.push(content);
      return future;
    },
    sendInputReply: (content: unknown, parent: unknown) => sent.push({ content, parent }),
  } as unknown as Kernel.IKernelConnection;
  const ctx: RequestContext = {
    kernel,
    now: () => 0,
    logger: nullLogger,
    abortReason: () => ({ kind: 'kernel-restarted' }),
    track: () => ({ dispose: () => undefined }),
    interrupt: async () => {
      interrupts++;
    },
    onExecutionCount: (n) => (count = n),
  };
  return { future, ctx, sent, requests, interrupts: () => interrupts, count: () => count };
}

const flush = () => new Promise<void>((resolve) => setImmediate(resolve));
const okReply = (execution_count: number) => ({ content: { status: 'ok', execution_count } });

describe('runRequest (fake kernel connection)', () => {
  it('keeps only messages whose parent msg_id is this request', async () => {
    const t = setup();
    const events: OutputEvent[] = [];
    const result = runRequest(t.ctx, 'print(1)', { onOutput: (e) => events.push(e) });
    t.future.onIOPub(iopub('someone-else', 'stream', { name: 'stdout', text: 'theirs\n' }));
    t.future.onIOPub(iopub('mine', 'execute_input', { code: 'print(1)', execution_count: 7 }));
    t.future.onIOPub(iopub('mine', 'stream', { name: 'stdout', text: 'mine\n' }));
    t.future.resolveDone(okReply(7));
    const r = await result;
    assert.deepEqual(r.outputs, [{ output_type: 'stream', name: 'stdout', text: 'mine\n' }]);
    assert.equal(events.length, 1);
    assert.deepEqual([r.status, r.executionCount, t.count()], ['ok', 7, 7]);
  });

  it('asks for stdin only when a handler is given', async () => {
    const t = setup();
    void runRequest(t.ctx, 'x', {});
    void runRequest(t.ctx, 'x', { onStdin: async () => 'a' });
    assert.deepEqual(
      t.requests.map((r) => (r as { allow_stdin: boolean }).allow_stdin),
      [false, true],
    );
  });

  it('answers input() with the handler’s value, replying to that input request', async () => {
    const t = setup();
    const result = runRequest(t.ctx, 'input()', { onStdin: async (req) => `answer to ${req.prompt}` });
    const request = {
      header: { msg_id: 'in-1', msg_type: 'input_request' },
      content: { prompt: 'Q?', password: false },
    };
    t.future.onStdin(request as unknown as Msg);
    await flush();
    assert.deepEqual(t.sent, [{ content: { status: 'ok', value: 'answer to Q?' }, parent: request.header }]);
    t.future.resolveDone(okReply(1));
    assert.equal((await result).status, 'ok');
  });

  it('a cancelled input() interrupts the kernel and ends as aborted with a clear message', async () => {
    const t = setup();
    const result = runRequest(t.ctx, 'input()', { onStdin: async () => undefined });
    t.future.onStdin({
      header: { msg_type: 'input_request' },
      content: { prompt: '', password: false },
    } as unknown as Msg);
    await flush();
    assert.equal(t.interrupts(), 1);
    assert.deepEqual(t.sent, []);
    t.future.resolveDone({
      content: { status: 'error', execution_count: 1, ename: 'KeyboardInterrupt', evalue: '', traceback: [] },
    });
    const r = await result;
    assert.equal(r.status, 'aborted');
    assert.match(r.error?.evalue ?? '', /input was cancelled/);
  });

  it('a cancelled future (restart, death) becomes aborted with the session’s reason, keeping outputs so far', async () => {
    const t = setup();
    const result = runRequest(t.ctx, 'sleep', {});
    t.future.onIOPub(iopub('mine', 'stream', { name: 'stdout', text: 'partial' }));
    t.future.rejectDone(new Error('Canceled future for execute_request message before replies were done'));
    const r = await result;
    assert.deepEqual([r.status, r.error?.evalue], ['aborted', 'aborted: kernel restarted']);
    assert.equal(r.outputs[0].text, 'partial');
  });

  it('an error reply gives status error with the kernel’s ename, evalue and traceback', async () => {
    const t = setup();
    const result = runRequest(t.ctx, '1/0', {});
    t.future.resolveDone({
      content: {
        status: 'error',
        execution_count: 3,
        ename: 'ZeroDivisionError',
        evalue: 'division by zero',
        traceback: ['tb'],
      },
    });
    const r = await result;
    assert.deepEqual(r.error, { ename: 'ZeroDivisionError', evalue: 'division by zero', traceback: ['tb'] });
    assert.equal(r.status, 'error');
  });

  it('a silent run reports no execution count', async () => {
    const t = setup();
    const result = runRequest(t.ctx, 'setup', { silent: true });
    t.future.resolveDone(okReply(4));
    assert.equal((await result).executionCount, null);
    assert.equal(t.count(), undefined);
    assert.equal((t.requests[0] as { store_history: boolean }).store_history, false);
  });
});
