import type { Disposable } from '../../common/disposable';
import type { Event } from '../../common/event';
import { realTimer } from '../timer';
import type { KernelSession, Timer } from '../types';
import type { DapEvent, DapResponse } from './dapMessages';

/** How long a kernel may take to answer the `debugInfo` probe; one without the debug protocol never answers. */
export const DEBUG_PROBE_MS = 5000;

/** The kernel cannot debug: not Python, or its Python lacks ipykernel ≥ 6 with debugpy. The message names the fix. */
export class DebuggerUnavailableError extends Error {
  override readonly name = 'DebuggerUnavailableError';
}

/** A DAP request the kernel's debugger refused (`success: false`). */
export class DebugRequestError extends Error {
  override readonly name = 'DebugRequestError';
}

/** What the kernel's `debugInfo` answers (the fields we use). */
interface DebugInfo {
  isStarted?: boolean;
  tmpFilePrefix?: string;
}

/** Arguments of the kernel-side DAP `initialize` (the client is us, lines and columns from 1, plain paths). */
const INITIALIZE_ARGS = {
  clientID: 'kernel-islands',
  clientName: 'Kernel Islands',
  adapterID: 'python',
  pathFormat: 'path',
  linesStartAt1: true,
  columnsStartAt1: true,
  supportsVariableType: true,
  supportsVariablePaging: true,
  supportsRunInTerminalRequest: false,
  locale: 'en',
};

/**
 * One debug session with a context's own kernel over the Jupyter debug protocol: DAP requests as `debug_request`
 * on the control channel (answered while the debugged run executes on shell, or sits paused), events as
 * `debug_event` on iopub. `open` checks the kernel can debug, starts its debugger (debugpy inside the kernel) and
 * attaches; `disconnect` detaches without touching the kernel or its state.
 */
export class KernelDebugger implements Disposable {
  private seq = 0;
  private connected = true;
  /** The kernel debugger's DAP events (stopped, continued, output, ...). */
  readonly onEvent: Event<DapEvent>;
  /** The kernel debugger's `initialize` answer: its DAP capabilities. */
  capabilities: Record<string, unknown> = {};

  private constructor(private readonly session: KernelSession) {
    this.onEvent = session.onDebugEvent;
  }

  /** Checks the kernel has a debugger (refusing with the fix when not), starts it and attaches. */
  static async open(
    session: KernelSession,
    timer: Timer = realTimer,
    probeMs = DEBUG_PROBE_MS,
  ): Promise<KernelDebugger> {
    await checkDebugger(session, timer, probeMs);
    const debug = new KernelDebugger(session);
    const init = await debug.request('initialize', INITIALIZE_ARGS);
    debug.capabilities = init.body ?? {};
    await debug.request('attach', {});
    return debug;
  }

  /** Sends one DAP request to the kernel; rejects with the debugger's message when it refuses. */
  async request(command: string, args: Record<string, unknown> = {}): Promise<DapResponse> {
    const reply = await this.session.debugRequest({ seq: ++this.seq, type: 'request', command, arguments: args });
    if (!reply || reply.success === false) {
      throw new DebugRequestError(`The kernel's debugger refused "${command}": ${reply?.message ?? 'no answer'}.`);
    }
    return reply;
  }

  /** Writes `code` where the kernel will name it when it runs; resolves with that file's path. */
  async dumpCell(code: string): Promise<string> {
    const reply = await this.request('dumpCell', { code });
    const path = reply.body?.sourcePath;
    if (typeof path !== 'string') {
      throw new DebugRequestError(`The kernel's debugger answered dumpCell without a source path.`);
    }
    return path;
  }

  /** Detaches from the kernel's debugger (a paused run goes on); the kernel and its state stay. Safe twice. */
  async disconnect(): Promise<void> {
    if (!this.connected) {
      return;
    }
    this.connected = false;
    await this.request('disconnect', { restart: false, terminateDebuggee: false });
  }

  get isConnected(): boolean {
    return this.connected;
  }

  dispose(): void {
    void this.disconnect().catch(() => undefined);
  }
}

/**
 * Checks that `session`'s kernel can debug, without starting its debugger: a Python kernel whose `debugInfo`
 * answers (ipykernel 6 or later with debugpy) and whose debugger no other session has started. Rejects with a {@link DebuggerUnavailableError} that names the fix
 * (for Python, the install command for the kernel's own interpreter); a kernel that never answers is given
 * `probeMs`.
 */
export async function checkDebugger(
  session: KernelSession,
  timer: Timer = realTimer,
  probeMs = DEBUG_PROBE_MS,
): Promise<DebugInfo> {
  if (session.language.toLowerCase() !== 'python') {
    throw new DebuggerUnavailableError(
      `Kernel ${session.kernelName} (${session.language}) has no debugger: debugging needs a Python kernel with ipykernel 6 or later and debugpy.`,
    );
  }
  let timeout: Disposable | undefined;
  const silent = new Promise<null>((resolve) => (timeout = timer.setTimeout(() => resolve(null), probeMs)));
  try {
    const reply = await Promise.race([session.debugRequest({ seq: 0, type: 'request', command: 'debugInfo' }), silent]);
    const body = reply?.body as DebugInfo | undefined;
    if (reply?.success && typeof body?.tmpFilePrefix === 'string') {
      if (body.isStarted) {
        throw new DebuggerUnavailableError(
          `The kernel of this context is already being debugged (kernel ${session.kernelName}); stop that debug session first.`,
        );
      }
      return body;
    }
  } finally {
    timeout?.dispose();
  }
  throw new DebuggerUnavailableError(await noDebuggerMessage(session));
}

/** The refusal for a Python kernel without a debugger, with the install command for its own interpreter. */
async function noDebuggerMessage(session: KernelSession): Promise<string> {
  const python = await interpreterOf(session);
  const quoted = python ? (/\s/.test(python) ? `"${python}"` : python) : 'python';
  const where = python ? '' : ' in the kernel’s environment';
  return (
    `Kernel ${session.kernelName} cannot debug: its Python has no debugger (ipykernel 6 or later with debugpy). ` +
    `Install it${where}: ${quoted} -m pip install debugpy "ipykernel>=6", then restart the kernel.`
  );
}

/** The kernel's `sys.executable`, asked in a silent run; undefined when it does not say. */
async function interpreterOf(session: KernelSession): Promise<string | undefined> {
  try {
    const result = await session.execute('', {
      silent: true,
      storeHistory: false,
      userExpressions: { exe: '__import__("sys").executable' },
    });
    const answer = result.userExpressions?.exe;
    const text = answer?.status === 'ok' ? answer.data['text/plain'] : undefined;
    return typeof text === 'string' ? text.replace(/^'(.*)'$/, '$1') : undefined;
  } catch {
    // The session ended meanwhile: the message then names no interpreter.
    return undefined;
  }
}
