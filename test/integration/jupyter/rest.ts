import type { JupyterServerConnection } from '../../../src/jupyter/types';

/** Plain REST calls the tests use to drive a server without the kernels layer. */
export async function restCall(
  connection: JupyterServerConnection,
  apiPath: string,
  init: { method?: string; body?: unknown; token?: string | null } = {},
): Promise<{ status: number; body: unknown }> {
  const token = init.token === undefined ? connection.settings.token : init.token;
  const response = await fetch(`${connection.settings.baseUrl}${apiPath}`, {
    method: init.method ?? 'GET',
    headers: token ? { Authorization: `token ${token}` } : {},
    body: init.body === undefined ? undefined : JSON.stringify(init.body),
  });
  const text = await response.text();
  let body: unknown = text;
  try {
    body = text ? JSON.parse(text) : undefined;
  } catch {
    // Error pages are HTML; keep the text for the assertion message.
    body = text;
  }
  return { status: response.status, body };
}

/** Starts a kernel through `POST /api/kernels` and returns its id. */
export async function startKernel(connection: JupyterServerConnection, name = 'python3'): Promise<string> {
  const { status, body } = await restCall(connection, 'api/kernels', { method: 'POST', body: { name } });
  if (status !== 201) {
    throw new Error(`starting kernel ${name} failed: HTTP ${status} ${JSON.stringify(body)}`);
  }
  return (body as { id: string }).id;
}
