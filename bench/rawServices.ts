import { KernelAPI, KernelConnection, KernelMessage, ServerConnection } from '@jupyterlab/services';
import { timeIt, withDeadline } from './stats';

/** Longest a raw kernel start may take before the bench calls it hung. */
const START_TIMEOUT_MS = 120_000;

/** What one cell run through a raw connection gave back. */
export interface RawRun {
  ms: number;
  streamBytes: number;
  /** `text/plain` of the execute_result, when there was one. */
  result?: string;
}

/**
 * Baseline (b): one kernel driven straight through @jupyterlab/services (KernelAPI + KernelConnection),
 * without any of our layers. This is what a minimal front end on the same server pays.
 */
export class RawKernel {
  private constructor(private readonly kernel: KernelConnection) {}

  /**
   * Starts a kernel on the server and waits until it answered `kernel_info`. The connection gets the library's own
   * settings for that server (our settings carry a faster message unpacker, which the baseline must not have).
   */
  static async start(server: ServerConnection.ISettings, name = 'python3'): Promise<RawKernel> {
    const settings = ServerConnection.makeSettings({
      baseUrl: server.baseUrl,
      wsUrl: server.wsUrl,
      token: server.token,
    });
    const model = await withDeadline(KernelAPI.startNew({ name }, settings), START_TIMEOUT_MS, 'POST /api/kernels');
    const kernel = new KernelConnection({ model, serverSettings: settings });
    try {
      await withDeadline(kernel.info, START_TIMEOUT_MS, `kernel_info of new kernel ${model.id}`);
    } catch (err) {
      kernel.dispose();
      // The hung start is the error to report; a failed clean-up of that kernel adds nothing to it.
      await KernelAPI.shutdownKernel(model.id, settings).catch(() => undefined);
      throw err;
    }
    return new RawKernel(kernel);
  }

  /** Runs `code` and resolves when both its reply and the kernel's idle status arrived (`future.done`). */
  async run(code: string): Promise<RawRun> {
    let streamBytes = 0;
    let result: string | undefined;
    const timed = await timeIt(async () => {
      const future = this.kernel.requestExecute({ code, store_history: true });
      future.onIOPub = (msg) => {
        if (KernelMessage.isStreamMsg(msg)) {
          streamBytes += msg.content.text.length;
        } else if (KernelMessage.isExecuteResultMsg(msg)) {
          result = String(msg.content.data['text/plain']);
        }
      };
      const reply = await future.done;
      if (reply.content.status !== 'ok') {
        throw new Error(`Raw baseline cell failed (${reply.content.status}): ${code.slice(0, 60)}`);
      }
    });
    return { ms: timed.ms, streamBytes, result };
  }

  /** Shuts the kernel down on the server and closes the websocket. */
  async shutdown(): Promise<void> {
    await this.kernel.shutdown();
    this.kernel.dispose();
  }
}

/** Cold start of baseline (b): start a kernel, connect, and get the first `1+1` result. */
export async function rawColdFirstResult(settings: ServerConnection.ISettings): Promise<number> {
  const start = performance.now();
  const kernel = await RawKernel.start(settings);
  try {
    const first = await kernel.run('1+1');
    if (first.result !== '2') {
      throw new Error(`Raw baseline: 1+1 gave ${first.result}`);
    }
    return performance.now() - start;
  } finally {
    await kernel.shutdown();
  }
}
