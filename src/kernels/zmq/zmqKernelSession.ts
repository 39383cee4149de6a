import type { Kernel, ServerConnection } from '@jupyterlab/services';
import { jupyterServices } from '../../jupyter/jupyterServices';
import { DisposableStore } from '../../common/disposable';
import { Emitter, type Event } from '../../common/event';
import { Logger, nullLogger } from '../../common/log';
import { KernelStartDiedError } from '../session/webSocketKernelSession';
import { realTimer } from '../timer';
import type {
  ExecuteOptions,
  ExecutionResult,
  InspectResult,
  KernelSession,
  KernelState,
  StateLostEvent,
  Timer,
} from '../types';
import { fetchConnectionInfo, watchKernelEvents, type KernelEvent, type LauncherEndpoint } from './launcherRoutes';
import { abortMessage } from '../session/abortReason';
import {
  completeRequestContent,
  completionFromReply,
  type CompleteReplyContent,
  type CompletionResult,
} from '../session/completion';
import type { DapEvent, DapRequest, DapResponse } from '../debug/dapMessages';
import { lossMessages } from '../session/lossMessages';
import { SessionLifecycle } from '../session/sessionLifecycle';
import { waitForKernel } from './kernelReady';
import { makeHeader, type WireMessage } from './wire';
import { inspectFromReply, inspectRequestContent, type InspectReplyContent } from '../session/inspectRequest';
import { ZmqChannels, type ZeromqModule } from './zmqChannels';
import { ZmqExecuteChannel } from './zmqExecuteChannel';

/** Pause before subscribing again to a kernel's event stream that ended while the kernel still exists. */
const RESUBSCRIBE_MS = 1000;

/** How to reach one kernel already started on the local server (through its launcher). */
interface ZmqKernelSessionOptions {
  model: Kernel.IModel;
  serverSettings: ServerConnection.ISettings;
  language: string;
  zeromq: ZeromqModule;
  /** The server provider's death event: the kernel dies with its server. */
  onServerDied?: Event<{ reason: string }>;
  logger?: Logger;
  now?: () => number;
  timer?: Timer;
}

/**
 * One kernel on the local Jupyter Server, with the hot path over ZMQ: execute on shell, outputs on iopub, input
 * on stdin, straight to the kernel. The lifecycle stays on the server (start, interrupt, restart and shutdown via
 * `/api/kernels`), and the launcher's event stream reports the server's restarts and deaths of the kernel.
 */
export class ZmqKernelSession implements KernelSession {
  readonly id: string;
  readonly kernelName: string;
  readonly language: string;
  private readonly settings: ServerConnection.ISettings;
  private readonly endpoint: LauncherEndpoint;
  private readonly logger: Logger;
  private readonly now: () => number;
  private readonly timer: Timer;
  private readonly channels: ZmqChannels;
  private readonly exec: ZmqExecuteChannel;
  /** State events, the sticky end state, abort reason and execution count. */
  private readonly life = new SessionLifecycle({
    kernel: this,
    currentState: () => this.state,
    disposeSession: () => this.dispose(),
    warn: (message) => this.logger.warn(message),
  });
  private readonly store = new DisposableStore();
  private kernelStatus: KernelState = 'starting';
  private restarting = false;
  /** Sends wait for this: the kernel answered and iopub is connected. Replaced on every restart. */
  private ready: Promise<void> = Promise.resolve();
  /** An idle status arrived since the last readiness wait began: iopub works and the kernel is idle. */
  private idleSeen = false;

  readonly onDidChangeState: Event<KernelState> = this.life.onDidChangeState;
  readonly onDidLoseState: Event<StateLostEvent> = this.life.onDidLoseState;
  private readonly debugEvents = this.store.add(new Emitter<DapEvent>());
  readonly onDebugEvent: Event<DapEvent> = this.debugEvents.event;

  private constructor(options: ZmqKernelSessionOptions, channels: ZmqChannels) {
    this.id = options.model.id;
    this.kernelName = options.model.name;
    this.language = options.language;
    this.settings = options.serverSettings;
    this.endpoint = { baseUrl: options.serverSettings.baseUrl, token: options.serverSettings.token };
    this.logger = options.logger ?? nullLogger;
    this.now = options.now ?? (() => performance.now());
    this.timer = options.timer ?? realTimer;
    this.channels = channels;
    this.exec = new ZmqExecuteChannel(channels, () => this.ready);
    channels.onIopub = (msg) => this.onIopub(msg);
    channels.onStdin = (msg) => this.exec.routeStdin(msg);
    if (options.onServerDied) {
      this.store.add(options.onServerDied(() => this.life.markGone(lossMessages.serverDied, 'server-died')));
    }
    this.watchEvents();
  }

  /** Fetches the kernel's connection info, connects, and resolves once it answered (ready to run code). */
  static async connect(options: ZmqKernelSessionOptions): Promise<ZmqKernelSession> {
    const endpoint = { baseUrl: options.serverSettings.baseUrl, token: options.serverSettings.token };
    const info = await fetchConnectionInfo(endpoint, options.model.id);
    const session = new ZmqKernelSession(options, new ZmqChannels(options.zeromq, info, options.logger ?? nullLogger));
    try {
      session.ready = session.whenAnswering();
      await session.ready;
    } catch (err) {
      const died = session.life.final === 'dead';
      session.dispose();
      throw died ? new KernelStartDiedError(options.model.name) : err;
    }
    return session;
  }

  get state(): KernelState {
    return this.life.final ?? (this.restarting ? 'restarting' : this.kernelStatus);
  }

  get executionCount(): number | null {
    return this.life.executionCount;
  }

  execute(code: string, options: ExecuteOptions = {}): Promise<ExecutionResult> {
    const transport = {
      kernel: this.exec,
      now: this.now,
      logger: this.logger,
      // Every message, display updates included, reaches the future of the request that caused it.
      track: () => ({ dispose: () => undefined }),
      interrupt: () => this.interrupt(),
    };
    return this.life.execute(transport, code, options);
  }

  async complete(code: string, cursor: number): Promise<CompletionResult> {
    this.life.throwIfGone();
    // After a restart the kernel must answer first, as for runs.
    await this.ready;
    const header = makeHeader('complete_request', this.channels.session);
    const reply = await this.channels.request(header, completeRequestContent(code, cursor));
    return completionFromReply(code, cursor, reply.content as CompleteReplyContent);
  }

  async inspect(code: string, cursor: number, detailLevel: 0 | 1 = 0): Promise<InspectResult> {
    this.life.throwIfGone();
    await this.ready;
    const header = makeHeader('inspect_request', this.channels.session);
    const reply = await this.channels.request(header, inspectRequestContent(code, cursor, detailLevel));
    return inspectFromReply(reply.content as InspectReplyContent);
  }

  async debugRequest(request: DapRequest): Promise<DapResponse | null> {
    this.life.throwIfGone();
    await this.ready;
    const header = makeHeader('debug_request', this.channels.session);
    const reply = await this.channels.request(header, request, 'control');
    return reply.content as DapResponse | null;
  }

  async interrupt(): Promise<void> {
    this.life.throwIfGone();
    await jupyterServices().KernelAPI.interruptKernel(this.id, this.settings);
  }

  async restart(): Promise<void> {
    this.life.throwIfGone();
    // Fired first so that listeners mark the state lost before any run queued behind the restart is sent.
    this.life.loseState('restarted');
    this.exec.cancelAll(this.life.abortReason);
    this.beginRestart(async () => {
      await jupyterServices().KernelAPI.restartKernel(this.id, this.settings);
    });
    await this.ready;
  }

  shutdown(): Promise<void> {
    return this.life.shutdown(async () => {
      // Runs end as shut down now, not when the server answers.
      this.exec.cancelAll(this.life.abortReason);
      await jupyterServices().KernelAPI.shutdownKernel(this.id, this.settings);
    });
  }

  dispose(): void {
    if (this.store.isDisposed) {
      return;
    }
    this.life.end({ kind: 'session-closed' });
    this.store.dispose();
    this.exec.cancelAll(this.life.abortReason);
    this.channels.close();
    this.life.dispose();
  }

  /** State 'restarting' until `restartKernel` finished and the new kernel answers; sends wait meanwhile. */
  private beginRestart(restartKernel: () => Promise<void>): void {
    this.restarting = true;
    this.kernelStatus = 'starting';
    this.life.fireStateIfChanged();
    const ready = (async () => {
      await restartKernel();
      await this.whenAnswering();
    })();
    this.ready = ready;
    const settle = (failed: boolean): void => {
      if (this.ready !== ready) {
        return;
      }
      if (failed) {
        // Runs after a failed restart are sent anyway: failing each at once would leave the context unusable.
        this.ready = Promise.resolve();
      }
      this.restarting = false;
      this.life.fireStateIfChanged();
    };
    void ready.then(
      () => settle(false),
      (err: unknown) => {
        settle(true);
        if (!this.life.final) {
          this.logger.warn(`Kernel ${this.id} did not come back after a restart: ${String(err)}`);
        }
      },
    );
  }

  private whenAnswering(): Promise<void> {
    this.idleSeen = false;
    return waitForKernel({
      channels: this.channels,
      timer: this.timer,
      idleSeen: () => this.idleSeen,
      gone: () => this.life.final !== undefined,
      recheck: () => this.followPorts(),
    });
  }

  /** A kernel that does not answer may have been restarted on new ports: ask the server for the current ones. */
  private async followPorts(): Promise<void> {
    try {
      const info = await fetchConnectionInfo(this.endpoint, this.id);
      if (!this.life.final && this.channels.retarget(info)) {
        this.logger.info(`Kernel ${this.id} was restarted on new ports; following them.`);
      }
    } catch (err) {
      // Gone or unreachable: the event stream or the next check reports that; keep waiting meanwhile.
      this.logger.warn(`Kernel ${this.id}: could not re-read its ports: ${String(err)}`);
    }
  }

  private onIopub(msg: WireMessage): void {
    const type = msg.header.msg_type;
    if (type === 'status') {
      const state = (msg.content as { execution_state?: string }).execution_state;
      this.idleSeen ||= state === 'idle';
      if (state === 'busy' || state === 'idle' || state === 'starting') {
        this.kernelStatus = state;
        this.life.fireStateIfChanged();
      }
    } else if (type === 'debug_event') {
      this.debugEvents.fire(msg.content as DapEvent);
    } else if (type === 'shutdown_reply' && (msg.content as { restart?: boolean }).restart !== true) {
      // Someone shut the kernel down on the server (another client, the Kernels view of another window).
      this.life.markGone(lossMessages.removed, 'kernel-died');
    }
    this.exec.routeIopub(msg);
  }

  private watchEvents(): void {
    this.store.add(
      watchKernelEvents(this.endpoint, this.id, {
        onEvent: (event) => this.onKernelEvent(event),
        onClose: (reason) => void this.checkServer(reason),
      }),
    );
  }

  private onKernelEvent(event: KernelEvent): void {
    if (event === 'restart' && !this.life.final) {
      // The server saw the kernel process die and is starting a new one on the same ports.
      this.life.loseState('kernel-died');
      this.exec.cancelAll(this.life.abortReason);
      this.channels.cancelPending(abortMessage(this.life.abortReason));
      this.beginRestart(() => Promise.resolve());
    } else if (event === 'dead') {
      this.life.markGone(lossMessages.deadForGood, 'kernel-died');
    } else if (event === 'removed') {
      this.life.markGone(lossMessages.removed, 'kernel-died');
    }
  }

  /** The event stream broke without a final event: the server died, or the kernel is gone, or a blip. */
  private async checkServer(reason: string): Promise<void> {
    if (this.life.final) {
      return;
    }
    try {
      const model = await jupyterServices().KernelAPI.getKernelModel(this.id, this.settings);
      if (!model) {
        this.life.markGone(lossMessages.removed, 'kernel-died');
      } else if (!this.life.final) {
        // The server is up and has the kernel: a blip. Subscribe again after a pause, so a stream that keeps
        // failing (e.g. refused) costs one request a second, not a busy loop.
        this.logger.warn(`Kernel ${this.id}: its event stream ended (${reason}); subscribing again.`);
        this.store.add(this.timer.setTimeout(() => !this.life.final && this.watchEvents(), RESUBSCRIBE_MS));
      }
    } catch (err) {
      if (err instanceof jupyterServices().ServerConnection.NetworkError) {
        this.life.markGone(lossMessages.serverDied, 'server-died');
      } else {
        this.logger.warn(`Kernel ${this.id}: could not check the server: ${String(err)}`);
      }
    }
  }
}
