import type { KernelMessage } from '@jupyterlab/services';
import { traceMark } from '../../common/trace';
import { abortMessage, type AbortReason } from '../session/abortReason';
import type { ExecuteChannel, ExecuteFuture } from '../session/executeRequest';
import { makeHeader, type WireMessage } from './wire';
import type { ZmqChannels } from './zmqChannels';

type ExecuteReply = KernelMessage.IExecuteReplyMsg['content'];

/** One request's future: done once its reply and its idle status arrived, as @jupyterlab/services does. */
class ZmqFuture implements ExecuteFuture {
  onIOPub: (msg: KernelMessage.IIOPubMessage) => void = () => undefined;
  onStdin: (msg: KernelMessage.IStdinMessage) => void = () => undefined;
  readonly done: Promise<{ content: ExecuteReply }>;
  private reply: { content: ExecuteReply } | undefined;
  private idle = false;
  private settled = false;
  private resolveDone!: (reply: { content: ExecuteReply }) => void;
  private rejectDone!: (err: Error) => void;

  constructor(readonly msg: { header: { msg_id: string } }) {
    this.done = new Promise((resolve, reject) => {
      this.resolveDone = resolve;
      this.rejectDone = reject;
    });
  }

  /** Outputs can arrive after the reply (iopub and shell are separate sockets); the idle status comes last. */
  iopub(msg: WireMessage): void {
    traceMark(`zmq.iopub.${msg.header.msg_type}`);
    this.onIOPub(asServicesMessage(msg, 'iopub'));
    if (msg.header.msg_type === 'status' && (msg.content as { execution_state?: string }).execution_state === 'idle') {
      this.idle = true;
      this.settleIfComplete();
    }
  }

  replied(msg: WireMessage): void {
    this.reply = { content: msg.content as ExecuteReply };
    this.settleIfComplete();
  }

  cancel(err: Error): void {
    if (!this.settled) {
      this.settled = true;
      this.rejectDone(err);
    }
  }

  private settleIfComplete(): void {
    if (this.reply && this.idle && !this.settled) {
      this.settled = true;
      this.resolveDone(this.reply);
    }
  }
}

/**
 * Runs execute requests over ZMQ with the same future contract as a @jupyterlab/services kernel connection, so
 * `runRequest` (and its output converters) serve both transports. Many requests may be in flight at once; every
 * iopub and stdin message goes to the future whose msg_id is its parent.
 */
export class ZmqExecuteChannel implements ExecuteChannel {
  private readonly futures = new Map<string, ZmqFuture>();

  /** `ready` gates sends: after a restart the kernel must answer (and iopub reconnect) before code is sent. */
  constructor(
    private readonly channels: ZmqChannels,
    private readonly ready: () => Promise<void>,
  ) {}

  requestExecute(content: KernelMessage.IExecuteRequestMsg['content']): ExecuteFuture {
    const header = makeHeader('execute_request', this.channels.session);
    const future = new ZmqFuture({ header });
    const id = header.msg_id;
    this.futures.set(id, future);
    void future.done.then(
      () => this.futures.delete(id),
      () => this.futures.delete(id),
    );
    this.ready().then(
      () => {
        if (this.futures.has(id)) {
          traceMark('zmq.send');
          this.channels.request(header, content).then(
            (reply) => {
              traceMark('zmq.reply');
              future.replied(reply);
            },
            (err: unknown) => future.cancel(err instanceof Error ? err : new Error(String(err))),
          );
        }
      },
      (err: unknown) => future.cancel(err instanceof Error ? err : new Error(String(err))),
    );
    return future;
  }

  sendInputReply(
    content: KernelMessage.IInputReplyMsg['content'],
    parentHeader: KernelMessage.IInputRequestMsg['header'],
  ): void {
    this.channels.sendInputReply((content as { value: string }).value, parentHeader);
  }

  /** Routes an iopub message to the request it answers; false when no request of ours is its parent. */
  routeIopub(msg: WireMessage): boolean {
    const future = this.futures.get(msg.parent_header.msg_id ?? '');
    future?.iopub(msg);
    return future !== undefined;
  }

  routeStdin(msg: WireMessage): void {
    this.futures.get(msg.parent_header.msg_id ?? '')?.onStdin(asServicesMessage(msg, 'stdin'));
  }

  /** Ends every request in flight (restart, death, shutdown): their replies will never come. */
  cancelAll(reason: AbortReason): void {
    const pending = [...this.futures.values()];
    this.futures.clear();
    for (const future of pending) {
      future.cancel(new Error(abortMessage(reason)));
    }
  }
}

/**
 * The wire message in the shape @jupyterlab/services' types describe (the converters read header, parent_header
 * and content, which are the same JSON either way).
 */
function asServicesMessage<T extends KernelMessage.IMessage>(msg: WireMessage, channel: 'iopub' | 'stdin'): T {
  return { ...msg, channel } as unknown as T;
}
