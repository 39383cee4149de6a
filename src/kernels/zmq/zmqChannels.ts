import { nodeCrypto } from '../../common/lazyNodeModules';
import type * as zmq from 'zeromq';
import type { Logger } from '../../common/log';
import type { ConnectionInfo } from './launcherRoutes';
import { makeHeader, MessageSigner, parse, serialize, WireError, type MessageHeader, type WireMessage } from './wire';

/** The `zeromq` module, loaded at run time (see loadZeromq). */
export type ZeromqModule = typeof zmq;

type Channel = 'shell' | 'stdin' | 'control';

type Endpoints = Record<'shell' | 'stdin' | 'iopub' | 'control', string>;

function endpointsOf(info: ConnectionInfo): Endpoints {
  const url = (port: number): string =>
    info.transport === 'ipc' ? `ipc://${info.ip}-${port}` : `tcp://${info.ip}:${port}`;
  return {
    shell: url(info.shell_port),
    stdin: url(info.stdin_port),
    iopub: url(info.iopub_port),
    control: url(info.control_port),
  };
}

/** A shell request waiting for its reply. */
interface PendingReply {
  resolve(reply: WireMessage): void;
  reject(err: Error): void;
}

/**
 * The sockets a client needs for running code: shell and stdin DEALERs that share one routing id (the kernel
 * sends `input_request` to the identity that sent the execute_request), an iopub SUBSCRIBER, and a control
 * DEALER for requests that must not wait behind a run (the debugger's). Messages are signed and verified with the
 * kernel's key; replies are matched to requests by parent msg_id.
 */
export class ZmqChannels {
  /** Our session id: the kernel echoes it in parent headers, and it is the sockets' routing id. */
  readonly session = nodeCrypto().randomUUID();
  /** Every valid iopub message, in arrival order. */
  onIopub: (msg: WireMessage) => void = () => undefined;
  /** Every valid stdin message (input_request). */
  onStdin: (msg: WireMessage) => void = () => undefined;
  private signer: MessageSigner;
  private endpoints: Endpoints;
  private readonly shell: zmq.Dealer;
  private readonly stdin: zmq.Dealer;
  private readonly iopub: zmq.Subscriber;
  private readonly control: zmq.Dealer;
  private readonly replies = new Map<string, PendingReply>();
  /** zeromq allows one send in flight per socket: sends are chained. */
  private readonly sendChains: Record<Channel, Promise<void>> = {
    shell: Promise.resolve(),
    stdin: Promise.resolve(),
    control: Promise.resolve(),
  };
  private closed = false;
  private badMessages = 0;
  private stdinConnected = false;

  constructor(
    zeromq: ZeromqModule,
    info: ConnectionInfo,
    private readonly logger: Logger,
  ) {
    this.signer = new MessageSigner(info.key, info.signature_scheme);
    this.shell = new zeromq.Dealer({ routingId: this.session, linger: 0 });
    this.stdin = new zeromq.Dealer({ routingId: this.session, linger: 0 });
    this.control = new zeromq.Dealer({ linger: 0 });
    // No receive limit: a flood of output waits in memory instead of being dropped by the kernel's PUB socket.
    this.iopub = new zeromq.Subscriber({ linger: 0, receiveHighWaterMark: 0 });
    this.iopub.subscribe();
    // The kernel's stdin ROUTER silently drops an input_request for a peer it has not seen yet, and the stdin
    // connection may come up (reconnect timers) after shell already answered: readiness waits for its handshake.
    this.stdin.events.on('handshake', () => (this.stdinConnected = true));
    this.stdin.events.on('disconnect', () => (this.stdinConnected = false));
    this.endpoints = endpointsOf(info);
    this.shell.connect(this.endpoints.shell);
    this.stdin.connect(this.endpoints.stdin);
    this.iopub.connect(this.endpoints.iopub);
    this.control.connect(this.endpoints.control);
    void this.receive(this.shell, (msg) => this.onReply(msg));
    void this.receive(this.control, (msg) => this.onReply(msg));
    void this.receive(this.stdin, (msg) => this.onStdin(msg));
    void this.receive(this.iopub, (msg) => this.onIopub(msg));
  }

  /**
   * Points the sockets at the kernel's current ports. The server restarts a kernel that died before it first
   * answered on new random ports (jupyter_client's `random_ports_until_alive`); false when nothing changed.
   */
  retarget(info: ConnectionInfo): boolean {
    const next = endpointsOf(info);
    const sockets = { shell: this.shell, stdin: this.stdin, iopub: this.iopub, control: this.control };
    let changed = false;
    for (const name of ['shell', 'stdin', 'iopub', 'control'] as const) {
      if (next[name] !== this.endpoints[name] && !this.closed) {
        sockets[name].disconnect(this.endpoints[name]);
        sockets[name].connect(next[name]);
        changed = true;
      }
    }
    this.endpoints = next;
    this.signer = new MessageSigner(info.key, info.signature_scheme);
    return changed;
  }

  /** True while the stdin socket has a live connection to the kernel (ZMTP handshake done). */
  get stdinReady(): boolean {
    return this.stdinConnected;
  }

  /**
   * Sends a request on shell (or control) with a header from `makeHeader`; resolves with the reply whose parent is
   * this request.
   */
  request(header: MessageHeader, content: unknown, channel: 'shell' | 'control' = 'shell'): Promise<WireMessage> {
    const reply = new Promise<WireMessage>((resolve, reject) => {
      this.replies.set(header.msg_id, { resolve, reject });
    });
    this.send(channel, header, content);
    return reply;
  }

  /** Answers an input_request on stdin. */
  sendInputReply(value: string, parent: Partial<MessageHeader>): void {
    this.send('stdin', makeHeader('input_reply', this.session), { status: 'ok', value }, parent);
  }

  /** Rejects every request still waiting for its reply (restart, death, shutdown): no reply will come. */
  cancelPending(reason: string): void {
    const pending = [...this.replies.values()];
    this.replies.clear();
    for (const p of pending) {
      p.reject(new Error(reason));
    }
  }

  close(): void {
    if (this.closed) {
      return;
    }
    this.closed = true;
    this.cancelPending('the kernel connection closed');
    for (const socket of [this.shell, this.stdin, this.iopub, this.control]) {
      socket.close();
    }
  }

  private send(channel: Channel, header: MessageHeader, content: unknown, parent?: Partial<MessageHeader>): void {
    if (this.closed) {
      this.replies.get(header.msg_id)?.reject(new Error('the kernel connection closed'));
      this.replies.delete(header.msg_id);
      return;
    }
    const frames = serialize(this.signer, header, content, parent);
    const socket = { shell: this.shell, stdin: this.stdin, control: this.control }[channel];
    this.sendChains[channel] = this.sendChains[channel]
      .then(() => socket.send(frames))
      .catch((err: unknown) => {
        if (!this.closed) {
          this.logger.warn(`Could not send ${header.msg_type} on ${channel}: ${String(err)}`);
        }
      });
  }

  private onReply(msg: WireMessage): void {
    const id = msg.parent_header.msg_id;
    const pending = id === undefined ? undefined : this.replies.get(id);
    if (id !== undefined && pending) {
      this.replies.delete(id);
      pending.resolve(msg);
    }
  }

  private async receive(
    socket: zmq.Socket & AsyncIterable<Buffer[]>,
    deliver: (msg: WireMessage) => void,
  ): Promise<void> {
    try {
      for await (const frames of socket) {
        this.deliver(frames, deliver);
      }
    } catch (err) {
      if (!this.closed) {
        this.logger.warn(`Kernel socket stopped receiving: ${String(err)}`);
      }
    }
  }

  private deliver(frames: Buffer[], deliver: (msg: WireMessage) => void): void {
    let msg: WireMessage;
    try {
      msg = parse(this.signer, frames);
    } catch (err) {
      if (!(err instanceof WireError)) {
        throw err;
      }
      // Warn on the first few only: a misbehaving peer must not flood the log.
      if (++this.badMessages <= 3) {
        this.logger.warn(`Dropped a kernel message: ${err.message}`);
      }
      return;
    }
    try {
      deliver(msg);
    } catch (err) {
      this.logger.error(err instanceof Error ? err : new Error(String(err)));
    }
  }
}
