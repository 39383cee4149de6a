import type { Kernel, ServerConnection } from '@jupyterlab/services';
import { jupyterServices } from '../../jupyter/jupyterServices';
import { DisposableStore } from '../../common/disposable';
import { Emitter, Event } from '../../common/event';
import { Logger, nullLogger } from '../../common/log';
import { runRequest } from '../executeRequest';
import { KernelStartDiedError } from '../jupyterKernelSession';
import { abortedResult } from '../results';
import { realTimer } from '../timer';
import type { ExecuteOptions, ExecutionResult, KernelSession, KernelState, StateLostEvent, Timer } from '../types';
import { fetchConnectionInfo, watchKernelEvents, type KernelEvent, type LauncherEndpoint } from './launcherRoutes';
import { lossMessages } from '../lossMessages';
import { waitForKernel } from './kernelReady';
import type { WireMessage } from './wire';
import { ZmqChannels, type ZeromqModule } from './zmqChannels';
import { ZmqExecuteChannel } from './zmqExecuteChannel';

/** Pause before subscribing again to a kernel's event stream that ended while the kernel still exists. */
const RESUBSCRIBE_MS = 1000;

/** How to reach one kernel already started on the local server (through its launcher). */
export interface ZmqKernelSessionOptions {
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
  private readonly stateEmitter = new Emitter<KernelState>();
  private readonly lossEmitter = new Emitter<StateLostEvent>();
  private readonly store = new DisposableStore();
  private final: 'dead' | 'shutdown' | undefined;
  private kernelStatus: KernelState = 'starting';
  private restarting = false;
  private lastState: KernelState = 'starting';
  private abortReason = 'aborted: kernel connection closed';
  private count: number | null = null;
  /** Sends wait for this: the kernel answered and iopub is connected. Replaced on every restart. */
  private ready: Promise<void> = Promise.resolve();
  /** An idle status arrived since the last readiness wait began: iopub works and the kernel is idle. */
  private idleSeen = false;
  private shutdownPromise: Promise<void> | undefined;

  readonly onDidChangeState: Event<KernelState> = this.stateEmitter.event;
  readonly onDidLoseState: Event<StateLostEvent> = this.lossEmitter.event;

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
      this.store.add(options.onServerDied(() => this.markGone(lossMessages.serverDied, 'server-died')));
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
      const died = session.final === 'dead';
      session.dispose();
      throw died ? new KernelStartDiedError(options.model.name) : err;
    }
    return session;
  }

  get state(): KernelState {
    return this.final ?? (this.restarting ? 'restarting' : this.kernelStatus);
  }

  get executionCount(): number | null {
    return this.count;
  }

  execute(code: string, options: ExecuteOptions = {}): Promise<ExecutionResult> {
    if (this.final) {
      return Promise.resolve(
        abortedResult(`aborted: the kernel is ${this.final === 'dead' ? 'dead' : 'shut down'}`, 0),
      );
    }
    return runRequest(
      {
        kernel: this.exec,
        now: this.now,
        logger: this.logger,
        abortReason: () => this.abortReason,
        // Every message, display updates included, reaches the future of the request that caused it.
        track: () => ({ dispose: () => undefined }),
        interrupt: () => this.interrupt(),
        onExecutionCount: (n) => {
          this.count = n;
        },
      },
      code,
      options,
    );
  }

  async interrupt(): Promise<void> {
    this.throwIfGone();
    await jupyterServices().KernelAPI.interruptKernel(this.id, this.settings);
  }

  async restart(): Promise<void> {
    this.throwIfGone();
    this.abortReason = 'aborted: kernel restarted';
    this.count = null;
    // Fired first so that listeners mark the state lost before any run queued behind the restart is sent.
    this.lossEmitter.fire({ reason: 'restarted', message: lossMessages.restarted });
    this.exec.cancelAll(this.abortReason);
    this.beginRestart(async () => {
      await jupyterServices().KernelAPI.restartKernel(this.id, this.settings);
    });
    await this.ready;
  }

  shutdown(): Promise<void> {
    this.shutdownPromise ??= this.doShutdown();
    return this.shutdownPromise;
  }

  dispose(): void {
    if (this.store.isDisposed) {
      return;
    }
    if (!this.final) {
      this.final = 'shutdown';
      this.abortReason = 'aborted: kernel session closed';
    }
    this.store.dispose();
    this.exec.cancelAll(this.abortReason);
    this.channels.close();
    this.fireStateIfChanged();
    this.stateEmitter.dispose();
    this.lossEmitter.dispose();
  }

  private async doShutdown(): Promise<void> {
    if (!this.final) {
      this.final = 'shutdown';
      this.abortReason = 'aborted: kernel shut down';
      this.exec.cancelAll(this.abortReason);
      try {
        await jupyterServices().KernelAPI.shutdownKernel(this.id, this.settings);
      } catch (err) {
        // The server may be gone already, which also ends the kernel; nothing is left to clean up.
        this.logger.warn(`Could not shut down kernel ${this.id}: ${String(err)}`);
      }
    }
    this.dispose();
  }

  /** State 'restarting' until `restartKernel` finished and the new kernel answers; sends wait meanwhile. */
  private beginRestart(restartKernel: () => Promise<void>): void {
    this.restarting = true;
    this.kernelStatus = 'starting';
    this.fireStateIfChanged();
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
      this.fireStateIfChanged();
    };
    void ready.then(
      () => settle(false),
      (err: unknown) => {
        settle(true);
        if (!this.final) {
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
      gone: () => this.final !== undefined,
      recheck: () => this.followPorts(),
    });
  }

  /** A kernel that does not answer may have been restarted on new ports: ask the server for the current ones. */
  private async followPorts(): Promise<void> {
    try {
      const info = await fetchConnectionInfo(this.endpoint, this.id);
      if (!this.final && this.channels.retarget(info)) {
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
        this.fireStateIfChanged();
      }
    } else if (type === 'shutdown_reply' && (msg.content as { restart?: boolean }).restart !== true) {
      // Someone shut the kernel down on the server (another client, the Kernels view of another window).
      this.markGone(lossMessages.removed, 'kernel-died');
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
    if (event === 'restart' && !this.final) {
      // The server saw the kernel process die and is starting a new one on the same ports.
      this.abortReason = 'aborted: kernel died';
      this.count = null;
      this.lossEmitter.fire({ reason: 'kernel-died', message: lossMessages.died });
      this.exec.cancelAll(this.abortReason);
      this.channels.cancelPending(this.abortReason);
      this.beginRestart(() => Promise.resolve());
    } else if (event === 'dead') {
      this.markGone(lossMessages.deadForGood, 'kernel-died');
    } else if (event === 'removed') {
      this.markGone(lossMessages.removed, 'kernel-died');
    }
  }

  /** The event stream broke without a final event: the server died, or the kernel is gone, or a blip. */
  private async checkServer(reason: string): Promise<void> {
    if (this.final) {
      return;
    }
    try {
      const model = await jupyterServices().KernelAPI.getKernelModel(this.id, this.settings);
      if (!model) {
        this.markGone(lossMessages.removed, 'kernel-died');
      } else if (!this.final) {
        // The server is up and has the kernel: a blip. Subscribe again after a pause, so a stream that keeps
        // failing (e.g. refused) costs one request a second, not a busy loop.
        this.logger.warn(`Kernel ${this.id}: its event stream ended (${reason}); subscribing again.`);
        this.store.add(this.timer.setTimeout(() => !this.final && this.watchEvents(), RESUBSCRIBE_MS));
      }
    } catch (err) {
      if (err instanceof jupyterServices().ServerConnection.NetworkError) {
        this.markGone(lossMessages.serverDied, 'server-died');
      } else {
        this.logger.warn(`Kernel ${this.id}: could not check the server: ${String(err)}`);
      }
    }
  }

  private markGone(message: string, reason: StateLostEvent['reason']): void {
    if (this.final) {
      return;
    }
    this.final = 'dead';
    this.abortReason = reason === 'server-died' ? 'aborted: Jupyter server died' : 'aborted: kernel died';
    this.count = null;
    this.lossEmitter.fire({ reason, message });
    this.dispose();
  }

  private fireStateIfChanged(): void {
    const state = this.state;
    if (state !== this.lastState) {
      this.lastState = state;
      this.stateEmitter.fire(state);
    }
  }

  private throwIfGone(): void {
    if (this.final) {
      throw new Error(`Kernel ${this.kernelName} (${this.id}) is ${this.final === 'dead' ? 'dead' : 'shut down'}.`);
    }
  }
}
