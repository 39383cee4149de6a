import { KernelAPI, KernelConnection, type KernelMessage, type ServerConnection } from '@jupyterlab/services';

/**
 * Proves settings work end to end: REST (start a kernel) and the websocket (run `6*7`), then cleans up.
 * Returns the `text/plain` result.
 */
export async function runOnFreshKernel(settings: ServerConnection.ISettings): Promise<string> {
  const model = await KernelAPI.startNew({ name: 'python3' }, settings);
  const kernel = new KernelConnection({ model, serverSettings: settings, handleComms: false });
  try {
    let result = '';
    const future = kernel.requestExecute({ code: '6*7' });
    future.onIOPub = (msg) => {
      if (msg.header.msg_type === 'execute_result') {
        const content = (msg as KernelMessage.IExecuteResultMsg).content;
        result = String(content.data['text/plain']);
      }
    };
    await future.done;
    return result;
  } finally {
    kernel.dispose();
    await KernelAPI.shutdownKernel(model.id, settings);
  }
}
