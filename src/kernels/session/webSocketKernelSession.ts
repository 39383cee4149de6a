import type { Kernel, KernelConnection, KernelMessage, ServerConnection } from '@jupyterlab/services';
import { jupyterServices } from '../../jupyter/jupyterServices';
import type { ServerDeath } from '../../jupyter/types';
import { DisposableStore } from '../../common/disposable';
import { Emitter, type Event } from '../../common/event';
import { Logger, nullLogger } from '../../common/log';
import { completeRequestContent, completionFromReply, type CompletionResult } from './completion';
import { toKernelState } from './kernelState';
import { toOutputEvent } from '../output/outputConverters';
import { realTimer } from '../timer';
import { inspectFromReply, inspectRequestContent } from './inspectRequest';
import type {
  InspectResult,
  ExecuteOptions,
  ExecutionResult,
  KernelSession,
  KernelState,
  OutputEvent,
  StateLostEvent,
  Timer,
} from '../types';
import type { DapEvent, DapRequest, DapResponse } from '../debug/dapMessages';
import { lossMessages } from './lossMessages';
import { SessionLifecycle } from './sessionLifecycle';

/** How to reach one kernel that was already started on a server. */
interface WebSocketKernelSessionOptions {
  model: Kernel.IModel;
  serverSettings: ServerConnection.ISettings;
  /** Language from the kernelspec (`python`, `R`, ...). */
  language: string;
  /** The server provider's death event: the kernel dies with its server. */
  onServerDied?: Event<ServerDeath>;
  /**
   * Asks the server's provider to check now whether the server still runs (it fires `onServerDied` if not).
   * Called when the server answered that it is not running: a JupyterHub's 424 for a stopped user server.
   */
  checkServer?: () => void;
  logger?: Logger;
  /** Milliseconds clock for `durationMs`; `performance.now` by default. */
  now?: () => number;
  /**
   * For kernels on remote servers: when the connection drops and the server does not answer, keep trying this
   * long (state 'reconnecting') before reporting the server gone. Without it the server is declared dead at once,
   * which is right for the local server: its process is ours and a refused connection means it exited.
   */
  reconnectForMs?: number;
  /** Schedules reconnect attempts; the real clock by default. */
  timer?: Timer;
}

/** How often a starting kernel is looked up on its server, to notice one that died before it answered. */
const START_CHECK_MS = 500;

/** A kernel process that exited before it answered its first request (a broken kernelspec or environment). */
export class KernelStartDiedError extends Error {
  override readonly name = 'KernelStartDiedError';

  constructor(readonly kernelName: string) {
    super(`Kernel ${kernelName} died while starting.`);
  }
}

/**
 * One kernel on a Jupyter Server, driven through a single @jupyterlab/services `KernelConnection`
 * (no `KernelManager`: it polls every 10 s and keeps Node alive). Outputs are attributed by msg_id.
 */
export class WebSocketKernelSession implements KernelSession {
  readonly id: string;
  readonly kernelName: string;
  readonly language: string;
  private readonly kernel: KernelConnection;
  private readonly settings: ServerConnection.ISettings;
  private readonly logger: Logger;
  private readonly now: () => number;
  /** State events, the sticky end state, abort reason and execution count. */
  private readonly life = new SessionLifecycle({
    kernel: this,
    currentState: () => this.state,
    disposeSession: () => this.dispose(),
    warn: (message) => this.logger.warn(message),
  });
  private readonly store = new DisposableStore();
  /** Routes display updates from later runs to the run that asked for them, by parent msg_id. */
  private readonly running = new Map<string, (e: OutputEvent) => void>();
  private checkingServer = false;
  private readonly reconnectForMs: number | undefined;
  private readonly askProvider: (() => void) | undefined;
  private readonly timer: Timer;
  /** Set while a remote kernel waits for its server to answer again. */
  private reconnecting: { since: number; attempt: number } | undefined;

  readonly onDidChangeState: Event<KernelState> = this.life.onDidChangeState;
  readonly onDidLoseState: Event<StateLostEvent> = this.life.onDidLoseState;
  private readonly debugEvents = this.store.add(new Emitter<DapEvent>());
  readonly onDebugEvent: Event<DapEvent> = this.debugEvents.event;

  private constructor(options: WebSocketKernelSessionOptions) {
    this.id = options.model.id;
    this.kernelName = options.model.name;
    this.language = options.language;
    this.settings = options.serverSettings;
    this.logger = options.logger ?? nullLogger;
    this.now = options.now ?? (() => performance.now());
    this.reconnectForMs = options.reconnectForMs;
    this.askProvider = options.checkServer;
    this.timer = options.timer ?? realTimer;
    this.kernel = new (jupyterServices().KernelConnection)({
      model: options.model,
      serverSettings: options.serverSettings,
    });
    this.kernel.statusChanged.connect(this.onStatus, this);
    this.kernel.connectionStatusChanged.connect(this.onConnection, this);
    this.kernel.iopubMessage.connect(this.onAnyIopub, this);
    if (options.onServerDied) {
      this.store.add(
        options.onServerDied((e) => this.life.markGone(e.lostMessage ?? lossMessages.serverDied, 'server-died')),
      );
    }
  }

  /** Connects to a started kernel and resolves once it answered `kernel_info` (ready to run code). */
  static async connect(options: WebSocketKernelSessionOptions): Promise<WebSocketKernelSession> {
    const session = new WebSocketKernelSession(options);
    try {
      await session.whenReady();
    } catch (err) {
      session.dispose();
      throw err;
    }
    return session;
  }

  get state(): KernelState {
    if (this.life.final) {
      return this.life.final;
    }
    return this.reconnecting ? 'reconnecting' : toKernelState(this.kernel.status, this.kernel.connectionStatus);
  }

  get executionCount(): number | null {
    return this.life.executionCount;
  }

  execute(code: string, options: ExecuteOptions = {}): Promise<ExecutionResult> {
    const transport = {
      kernel: this.kernel,
      now: this.now,
      logger: this.logger,
      track: (msgId: string, deliver: (e: OutputEvent) => void) => {
        this.running.set(msgId, deliver);
        return { dispose: () => this.running.delete(msgId) };
      },
      interrupt: () => this.interrupt(),
    };
    return this.life.execute(transport, code, options);
  }

  async complete(code: string, cursor: number): Promise<CompletionResult> {
    this.life.throwIfGone();
    const reply = await this.kernel.requestComplete(completeRequestContent(code, cursor));
    return completionFromReply(code, cursor, reply.content);
  }

  async inspect(code: string, cursor: number, detailLevel: 0 | 1 = 0): Promise<InspectResult> {
    this.life.throwIfGone();
    const reply = await this.kernel.requestInspect(inspectRequestContent(code, cursor, detailLevel));
    return inspectFromReply(reply.content);
  }

  async debugRequest(request: DapRequest): Promise<DapResponse | null> {
    this.life.throwIfGone();
    const reply = await this.kernel.requestDebug(request as KernelMessage.IDebugRequestMsg['content']).done;
    return reply.content as unknown as DapResponse | null;
  }

  async interrupt(): Promise<void> {
    this.life.throwIfGone();
    await this.kernel.interrupt();
  }

  async restart(): Promise<void> {
    this.life.throwIfGone();
    // Fired first so that listeners mark the state lost before any run queued behind the restart is sent.
    this.life.loseState('restarted');
    await this.kernel.restart();
  }

  shutdown(): Promise<void> {
    return this.life.shutdown(() => this.kernel.shutdown());
  }

  dispose(): void {
    if (this.store.isDisposed) {
      return;
    }
    this.life.end({ kind: 'session-closed' });
    // Unlike the ZMQ session, this also replaces a death's reason: futures still pending on the websocket are
    // cancelled by the kernel's dispose below and read it then.
    this.life.abortReason = { kind: 'session-closed' };
    this.store.dispose();
    this.kernel.statusChanged.disconnect(this.onStatus, this);
    this.kernel.connectionStatusChanged.disconnect(this.onConnection, this);
    this.kernel.iopubMessage.disconnect(this.onAnyIopub, this);
    this.kernel.dispose();
    this.life.dispose();
  }

  private whenReady(): Promise<void> {
    return new Promise((resolve, reject) => {
      const died = (): void => {
        done();
        reject(new KernelStartDiedError(this.kernelName));
      };
      const sub = this.onDidChangeState((state) => {
        if (state === 'dead' || state === 'shutdown') {
          died();
        }
      });
      // A kernel whose process exits at once never answers, and the server holds the websocket up to 60 s
      // waiting for it; the server drops the kernel after its restarts fail, which this poll sees in seconds.
      const poll = setInterval(() => {
        jupyterServices()
          .KernelAPI.getKernelModel(this.id, this.settings)
          .then(
            (model) => model === undefined && died(),
            (err: unknown) => this.logger.warn(`Kernel ${this.id}: could not check the start: ${String(err)}`),
          );
      }, START_CHECK_MS);
      const done = (): void => {
        sub.dispose();
        clearInterval(poll);
      };
      this.kernel.info.then(
        () => {
          done();
          resolve();
        },
        (err: unknown) => {
          done();
          reject(err instanceof Error ? err : new Error(String(err)));
        },
      );
    });
  }

  private onStatus(_: unknown, status: Kernel.Status): void {
    if (status === 'autorestarting') {
      // The server noticed the kernel process died and started a new one; futures are cancelled next.
      this.life.loseState('kernel-died');
    } else if (status === 'dead' && !this.life.final) {
      this.life.markGone(lossMessages.deadForGood, 'kernel-died');
      return;
    }
    this.life.fireStateIfChanged();
  }

  private onConnection(_: unknown, status: Kernel.ConnectionStatus): void {
    if (status === 'connected') {
      this.reconnecting = undefined;
    } else if (!this.life.final && !this.reconnecting) {
      this.checkServer();
    }
    this.life.fireStateIfChanged();
  }

  /**
   * Display updates for displays made by earlier runs reach no future; hand them to the run that sent them.
   * A `shutdown_reply` we did not ask for means someone shut the kernel down: Jupyter Server 1.x keeps the
   * websocket open then, so without this a later run would wait forever.
   */
  private onAnyIopub(_: unknown, msg: KernelMessage.IIOPubMessage): void {
    const type = msg.header.msg_type as string;
    if (type === 'update_display_data') {
      const deliver = this.running.get((msg.parent_header as Partial<KernelMessage.IHeader>).msg_id ?? '');
      const e = deliver && toOutputEvent(msg);
      if (e) {
        deliver(e);
      }
    } else if (type === 'debug_event') {
      this.debugEvents.fire(msg.content as unknown as DapEvent);
    } else if (type === 'shutdown_reply' && (msg.content as { restart?: boolean }).restart !== true) {
      this.life.markGone(lossMessages.removed, 'kernel-died');
    }
  }

  /** A lost websocket means a restart, a network blip, or a dead server: ask the server which. */
  private checkServer(): void {
    if (this.checkingServer) {
      return;
    }
    this.checkingServer = true;
    jupyterServices()
      .KernelAPI.getKernelModel(this.id, this.settings)
      .then(
        (model) => {
          if (!model) {
            this.life.markGone(lossMessages.removed, 'kernel-died');
          }
        },
        (err: unknown) => {
          if (err instanceof jupyterServices().ServerConnection.NetworkError && this.reconnectForMs !== undefined) {
            this.startReconnecting();
          } else if (err instanceof jupyterServices().ServerConnection.NetworkError) {
            this.life.markGone(lossMessages.serverDied, 'server-died');
          } else if (isServerNotRunning(err) && this.askProvider) {
            // The hub's proxy answers for a user server that stopped, or the token was refused: its provider asks
            // the hub (or the server) and says why.
            this.askProvider();
          } else {
            this.logger.warn(`Kernel ${this.id}: could not check the server: ${String(err)}`);
          }
        },
      )
      .finally(() => {
        this.checkingServer = false;
      });
  }

  /** A remote server stopped answering: retry with backoff (1 s, 2 s, 4 s, capped at 8 s) until the deadline. */
  private startReconnecting(): void {
    if (this.life.final || this.reconnecting) {
      return;
    }
    this.logger.warn(`Kernel ${this.id}: its server does not answer; reconnecting.`);
    this.reconnecting = { since: this.now(), attempt: 0 };
    this.life.fireStateIfChanged();
    this.scheduleReconnect();
  }

  private scheduleReconnect(): void {
    const r = this.reconnecting;
    if (!r || this.life.final) {
      return;
    }
    const delay = Math.min(8000, 1000 * 2 ** r.attempt);
    r.attempt += 1;
    this.store.add(this.timer.setTimeout(() => void this.tryReconnect(), delay));
  }

  /** The kernel still there: reconnect its websocket. Gone (server restarted): its state is lost. */
  private async tryReconnect(): Promise<void> {
    const r = this.reconnecting;
    if (!r || this.life.final) {
      return;
    }
    let model: Kernel.IModel | undefined;
    try {
      model = await jupyterServices().KernelAPI.getKernelModel(this.id, this.settings);
    } catch {
      // Still unreachable (or answering errors): keep trying until the deadline.
      if (this.now() - r.since >= (this.reconnectForMs ?? 0)) {
        this.reconnecting = undefined;
        this.life.markGone(lossMessages.serverUnreachable, 'server-died');
      } else {
        this.scheduleReconnect();
      }
      return;
    }
    if (this.life.final) {
      return;
    }
    if (!model) {
      this.reconnecting = undefined;
      this.life.markGone(lossMessages.remoteRestarted, 'server-died');
      return;
    }
    this.logger.info(`Kernel ${this.id}: its server answers again; reconnecting the websocket.`);
    try {
      await this.kernel.reconnect();
      this.reconnecting = undefined;
      this.life.fireStateIfChanged();
    } catch (err) {
      this.logger.warn(`Kernel ${this.id}: reconnect failed: ${String(err)}`);
      this.scheduleReconnect();
    }
  }
}

/**
 * HTTP 424 (Failed Dependency) is how JupyterHub answers an API request for a user server that is not running
 * ("JupyterHub server no longer running at …"); no Jupyter Server answers it for its own resources. 401 and 403:
 * the token was refused (revoked, expired, or the server restarted with another), which only the provider can word.
 */
function isServerNotRunning(err: unknown): boolean {
  return (
    err instanceof jupyterServices().ServerConnection.ResponseError && [401, 403, 424].includes(err.response.status)
  );
}
