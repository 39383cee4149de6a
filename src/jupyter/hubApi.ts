import { authorizedFetch, describeFetchError } from './jupyterRequest';

/**
 * The JupyterHub REST calls Kernel Islands makes, all about one user (the signed-in one): never a list of users or
 * of other users' servers. Each call goes through `authorizedFetch`, with a timeout.
 */

/** Scopes a Kernel Islands token asks for: reach, start and stop the user's own servers, and renew its token. */
export function tokenScopes(user: string): string[] {
  return [`access:servers!user=${user}`, `servers!user=${user}`, `tokens!user=${user}`];
}

type HubErrorKind =
  | 'invalid-url'
  | 'unreachable'
  | 'not-hub'
  /** The hub refused the credentials: a wrong password or token, or one that expired or was revoked. */
  | 'refused'
  /** No token is stored for this hub. */
  | 'signed-out'
  | 'spawn-failed'
  | 'spawn-timeout'
  /** The hub stopped the server (idle culler, admin) and the user chose not to start it again. */
  | 'stopped';

/** Why a hub call failed, worded for the user; `status` is the HTTP status when the hub answered. */
export class HubError extends Error {
  override readonly name = 'HubError';
  constructor(
    message: string,
    readonly kind: HubErrorKind,
    readonly status?: number,
  ) {
    super(message);
  }
}

/** One of the user's servers as the hub's user model lists it (`servers[name]`). */
export interface HubServerModel {
  name: string;
  ready: boolean;
  /** `spawn`, `stop` or null. */
  pending: string | null;
  /** Absolute path of the server on the hub's host, e.g. `/user/alice/gpu/`. */
  url: string;
  progress_url?: string;
}

/** A token the hub made: the secret and when it expires (ISO time), if it does. */
interface HubToken {
  token: string;
  expiresAt?: string;
}

/** Normalizes a hub URL to its public base (`scheme://host[:port]/base/`), dropping a pasted `/hub/...` path. */
export function parseHubUrl(url: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url.trim());
  } catch {
    throw new HubError('The JupyterHub URL is not a valid URL.', 'invalid-url');
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
    throw new HubError('The JupyterHub URL must start with http:// or https://.', 'invalid-url');
  }
  const base = parsed.pathname.replace(/\/(hub|user)(\/.*)?$/, '/').replace(/\/*$/, '/');
  return `${parsed.protocol}//${parsed.host}${base}`;
}

/** The path of a user's server in the hub API: `users/alice/server` or `users/alice/servers/gpu`. */
export function serverPath(user: string, serverName: string): string {
  const u = encodeURIComponent(user);
  return serverName ? `users/${u}/servers/${encodeURIComponent(serverName)}` : `users/${u}/server`;
}

/**
 * The name a hub server goes by when no hub name was given (the API's and agents' alias, and the MCP server's
 * `--hub`): `hub:<user>` for the default server, `hub:<user>/<server>` for a named one.
 */
export function hubServerAlias(user: string, serverName: string): string {
  return serverName ? `hub:${user}/${serverName}` : `hub:${user}`;
}

interface CallOptions {
  method?: string;
  token?: string;
  body?: unknown;
  timeoutMs?: number;
}

/** A hub API path, relative to the hub's base URL: `hub/api/<path>`. */
export function hubApiPath(path: string): string {
  return `hub/api/${path}`;
}

/** One call to the hub API. Rejects with a HubError; resolves with the status and the parsed JSON body, if any. */
async function hubCall(
  hubUrl: string,
  path: string,
  options: CallOptions = {},
): Promise<{ status: number; body: unknown }> {
  let response: Response;
  try {
    response = await authorizedFetch(hubUrl, hubApiPath(path), {
      method: options.method,
      token: options.token,
      body: options.body,
      timeoutMs: options.timeoutMs ?? 30_000,
    });
  } catch (err) {
    throw new HubError(`Cannot reach JupyterHub at ${hubUrl}: ${describeFetchError(err)}.`, 'unreachable');
  }
  const text = await response.text();
  let body: unknown;
  try {
    body = text ? JSON.parse(text) : undefined;
  } catch {
    body = undefined;
  }
  return { status: response.status, body };
}

/** The hub's own message in an error answer (`{"status": 400, "message": "..."}`), if it gave one. */
export function hubMessage(body: unknown): string | undefined {
  const message = (body as { message?: unknown } | undefined)?.message;
  return typeof message === 'string' && message ? message : undefined;
}

/** Turns a refused or unexpected answer into a HubError. */
function refusal(status: number, body: unknown, what: string): HubError {
  const said = hubMessage(body);
  if (status === 401 || status === 403) {
    return new HubError(`JupyterHub refused ${what} (HTTP ${status}${said ? `: ${said}` : ''}).`, 'refused', status);
  }
  if (status === 404 && !said) {
    return new HubError(`No JupyterHub API answered ${what} (HTTP 404). Check the hub URL.`, 'not-hub', status);
  }
  return new HubError(`JupyterHub answered ${what} with HTTP ${status}${said ? `: ${said}` : ''}.`, 'not-hub', status);
}

/**
 * Exchanges a username and password for a token, once (`POST /hub/api/users/{name}/tokens` with `auth`). The
 * password goes in this one request body and is kept nowhere.
 */
export async function requestToken(
  hubUrl: string,
  user: string,
  password: string,
  options: { note: string; expiresInSeconds?: number },
): Promise<HubToken> {
  const { status, body } = await hubCall(hubUrl, `users/${encodeURIComponent(user)}/tokens`, {
    method: 'POST',
    body: {
      auth: { username: user, password },
      note: options.note,
      scopes: tokenScopes(user),
      ...(options.expiresInSeconds ? { expires_in: options.expiresInSeconds } : {}),
    },
  });
  if (status !== 200 && status !== 201) {
    if (status === 403) {
      throw new HubError(
        `JupyterHub did not accept the username or password for "${user}" (HTTP 403).`,
        'refused',
        403,
      );
    }
    throw refusal(status, body, 'the token request');
  }
  const made = body as { token?: unknown; expires_at?: unknown };
  if (typeof made?.token !== 'string') {
    throw new HubError('JupyterHub made no token (its answer had none).', 'not-hub', status);
  }
  return { token: made.token, expiresAt: typeof made.expires_at === 'string' ? made.expires_at : undefined };
}

/** Whom a token belongs to (`GET /hub/api/user`), and when it expires if the hub says. */
export async function tokenOwner(hubUrl: string, token: string): Promise<{ name: string; scopes: string[] }> {
  const { status, body } = await hubCall(hubUrl, 'user', { token });
  if (status !== 200) {
    throw refusal(status, body, 'the token');
  }
  const model = body as { name?: unknown; scopes?: unknown };
  if (typeof model?.name !== 'string') {
    throw new HubError(`${hubUrl} did not answer like a JupyterHub (no user name in /hub/api/user).`, 'not-hub');
  }
  return { name: model.name, scopes: Array.isArray(model.scopes) ? model.scopes.map(String) : [] };
}

/** The user's own servers, by name (`''` is the default server), from `GET /hub/api/users/{name}`. */
export async function userServers(hubUrl: string, user: string, token: string): Promise<Map<string, HubServerModel>> {
  const { status, body } = await hubCall(hubUrl, `users/${encodeURIComponent(user)}`, { token });
  if (status !== 200) {
    throw refusal(status, body, `the server list of "${user}"`);
  }
  const servers = (body as { servers?: Record<string, HubServerModel> } | undefined)?.servers ?? {};
  return new Map(Object.entries(servers));
}

/**
 * Asks the hub to start a server. `ready` when it is up already (201, or 400 "already running"); `pending` when
 * the spawn goes on and its progress stream tells the rest (202).
 */
export async function startServer(
  hubUrl: string,
  user: string,
  serverName: string,
  token: string,
): Promise<'ready' | 'pending'> {
  const { status, body } = await hubCall(hubUrl, serverPath(user, serverName), { method: 'POST', token });
  if (status === 201) {
    return 'ready';
  }
  if (status === 202) {
    return 'pending';
  }
  if (status === 400 && /already running/i.test(hubMessage(body) ?? '')) {
    return 'ready';
  }
  if (status === 400 && /pending/i.test(hubMessage(body) ?? '')) {
    return 'pending';
  }
  const said = hubMessage(body);
  if (status >= 500 && said) {
    // The spawner failed before the spawn went on in the background (a pre-spawn hook, a quota): the hub says why.
    throw new HubError(`JupyterHub could not start the server: ${said}`, 'spawn-failed', status);
  }
  throw refusal(status, body, `the start of ${serverName ? `server "${serverName}"` : 'the server'}`);
}
