import { KernelAPI, KernelConnection, type KernelMessage, type ServerConnection } from '@jupyterlab/services';

/** What one run on a fresh kernel produced. */
export interface RunOutcome {
  /** `text/plain` of the execute_result, or '' when there was none. */
  result: string;
  /** Characters received on stdout. */
  stdoutChars: number;
}

/**
 * Proves settings work end to end: REST (start a kernel) and the websocket (run `code`), then shuts
 * the kernel down.
 */
export async function runOnFreshKernel(settings: ServerConnection.ISettings, code = '6*7'): Promise<RunOutcome> {
  const model = await KernelAPI.startNew({ name: 'python3' }, settings);
  const kernel = new KernelConnection({ model, serverSettings: settings, handleComms: false });
  try {
    const outcome: RunOutcome = { result: '', stdoutChars: 0 };
    const future = kernel.requestExecute({ code });
    future.onIOPub = (msg) => {
      if (msg.header.msg_type === 'execute_result') {
        outcome.result = String((msg as KernelMessage.IExecuteResultMsg).content.data['text/plain']);
      } else if (msg.header.msg_type === 'stream') {
        const content = (msg as KernelMessage.IStreamMsg).content;
        outcome.stdoutChars += content.name === 'stdout' ? content.text.length : 0;
      }
    };
    await future.done;
    return outcome;
  } finally {
    kernel.dispose();
    await KernelAPI.shutdownKernel(model.id, settings);
  }
}
