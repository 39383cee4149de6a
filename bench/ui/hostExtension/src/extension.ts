/**
 * Bench-only extension installed next to Kernel Islands by `npm run bench:ui`. When the bench's environment
 * variables are present it listens on 127.0.0.1 and answers {@link HostRequests}: it times the engine through the
 * exported API inside the same extension host as the UI, runs commands, and hands out the product's trace marks.
 * Without them it does nothing.
 */
import * as vscode from 'vscode';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { KernelIslandsApi } from '../../../../types/kernel-islands';
import { takeTraceMarks } from '../../../../src/common/trace';
import { HOST_ENV, type HostPath, type HostRequests } from '../../hostProtocol';

const PRODUCT_ID = 'kernelislands.kernel-islands';
let server: Server | undefined;

export function activate(): void {
  const port = Number(process.env[HOST_ENV.port]);
  const token = process.env[HOST_ENV.token];
  if (!port || !token) {
    return;
  }
  let api: Promise<KernelIslandsApi> | undefined;
  const product = () => (api ??= activateProduct());
  registerFloor();
  server = createServer((req, res) => void answer(req, res, token, product));
  server.listen(port, '127.0.0.1');
}

export function deactivate(): void {
  server?.close();
  server = undefined;
}

/**
 * The workbench floor of U1: a key bound to a command of this extension, which draws `2` after the cursor's line
 * with the same kind of decoration the product's inline result is. No kernel, no product code: what the workbench
 * alone takes from a key press to an extension's decoration in the DOM.
 */
function registerFloor(): void {
  const echo = vscode.window.createTextEditorDecorationType({});
  vscode.commands.registerCommand('kernelIslandsBench.echoInline', () => {
    const editor = vscode.window.activeTextEditor;
    if (editor) {
      const end = editor.document.lineAt(editor.selection.active.line).range.end;
      editor.setDecorations(echo, [
        { range: new vscode.Range(end, end), renderOptions: { after: { contentText: '2' } } },
      ]);
    }
  });
  vscode.commands.registerCommand('kernelIslandsBench.clearEcho', () => {
    for (const editor of vscode.window.visibleTextEditors) {
      editor.setDecorations(echo, []);
    }
  });
}

async function activateProduct(): Promise<KernelIslandsApi> {
  const ext = vscode.extensions.getExtension<KernelIslandsApi>(PRODUCT_ID);
  if (!ext) {
    throw new Error(`${PRODUCT_ID} is not installed`);
  }
  return ext.activate();
}

async function answer(
  req: IncomingMessage,
  res: ServerResponse,
  token: string,
  product: () => Promise<KernelIslandsApi>,
): Promise<void> {
  try {
    if (req.headers['x-bench-token'] !== token || req.method !== 'POST') {
      res.writeHead(403).end();
      return;
    }
    const chunks: Buffer[] = [];
    for await (const chunk of req) {
      chunks.push(chunk as Buffer);
    }
    const body = JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}') as unknown;
    const path = (req.url ?? '/').slice(1) as HostPath;
    const result = await handle(path, body, await product());
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(result));
  } catch (err) {
    res.writeHead(500).end(err instanceof Error ? (err.stack ?? err.message) : String(err));
  }
}

const target = (id: string): vscode.Uri | string => (/^[a-z-]+:\//.test(id) ? vscode.Uri.parse(id) : id);

async function handle(path: HostPath, body: unknown, api: KernelIslandsApi): Promise<unknown> {
  switch (path) {
    case 'ready':
      return {
        vscode: vscode.version,
        node: process.version,
        tracing: process.env.KI_TRACE === '1',
      } satisfies HostRequests['ready']['response'];
    case 'execute':
      return { ms: await timeRuns(api, body as HostRequests['execute']['request']) };
    case 'command': {
      const { command, uriArgs = [] } = body as HostRequests['command']['request'];
      await vscode.commands.executeCommand(command, ...uriArgs.map((a) => vscode.Uri.parse(a)));
      return { ok: true };
    }
    case 'shutdown':
      await api.shutdown(target((body as HostRequests['shutdown']['request']).target));
      return { ok: true };
    case 'contexts':
      return { contexts: api.contexts().map((c) => ({ id: c.id, state: c.state })) };
    case 'trace':
      return { marks: takeTraceMarks() };
  }
  throw new Error(`unknown request ${String(path)}`);
}

async function timeRuns(api: KernelIslandsApi, request: HostRequests['execute']['request']): Promise<number[]> {
  const samples: number[] = [];
  for (let i = 0; i < request.count; i++) {
    const started = performance.now();
    const result = await api.execute(target(request.target), request.code);
    samples.push(performance.now() - started);
    check(result, request);
  }
  if (request.shutdownAfter) {
    await api.shutdown(target(request.target));
  }
  return samples;
}

/** A run that failed, or gave another answer than expected, must not count as a fast sample. */
function check(result: Awaited<ReturnType<KernelIslandsApi['execute']>>, request: HostRequests['execute']['request']) {
  if (result.status !== 'ok') {
    throw new Error(`${request.code} in ${request.target}: ${result.status}`);
  }
  if (request.expect !== undefined) {
    const text = result.outputs
      .map((o) =>
        o.output_type === 'stream' ? o.text : o.output_type === 'execute_result' ? String(o.data['text/plain']) : '',
      )
      .join('');
    if (!text.includes(request.expect)) {
      throw new Error(`${request.code} in ${request.target} gave ${JSON.stringify(text.slice(-200))}`);
    }
  }
}
