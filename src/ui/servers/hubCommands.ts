import * as vscode from 'vscode';
import type { ErrorReporter } from '../../workbench/reportError';
import { commandRegistrar, givenAnArgument } from '../../workbench/reportedCommands';
import type { Logger } from '../../common/log';
import { hubServerNames, serverNameProblem } from '../../workbench/hubNames';
import { hubTokenKey, storeHubCredentials } from '../../workbench/hubServers';
import type { ServerCatalog } from '../../workbench/serverCatalog';
import type { ConfiguredHub, ConfiguredServer } from '../../workbench/settings';
import { HubError, parseHubUrl, requestToken, tokenOwner, userServers } from '../../jupyter/hubApi';
import type { HubCredentials } from '../../jupyter/hubServer';

/** Reads and writes the configured hubs (and sees the remote servers, whose names a hub's must not repeat). */
interface HubListStore {
  servers(): readonly ConfiguredServer[];
  hubs(): readonly ConfiguredHub[];
  setHubs(hubs: readonly ConfiguredHub[]): Thenable<void>;
}

/** How long a token made from a password lasts: the hub may cap it; the user signs in again when it ends. */
const TOKEN_LIFETIME_SECONDS = 30 * 24 * 3600;
/** The note the hub shows next to a token Kernel Islands made, on its token page and to admins. */
export const TOKEN_NOTE = 'Kernel Islands (VS Code)';

/** One way to sign in: a token the user pasted, or a username and password exchanged once for a token. */
type HubSecret = { token: string } | { password: string };

/** Arguments a script or test passes instead of answering the prompts. */
type AddHubArgs = { url: string; user: string; name?: string; servers?: string[] } & HubSecret;

async function askSecret(hubUrl: string, user: string): Promise<HubSecret | undefined> {
  const how = await vscode.window.showQuickPick(
    [
      {
        label: 'Username and password',
        detail: 'Exchanged once for a token with an expiry; the password is kept nowhere',
      },
      { label: 'Paste a token', detail: `Made on ${hubUrl}hub/token` },
    ],
    { title: `Sign in to JupyterHub as ${user}`, ignoreFocusOut: true },
  );
  if (!how) {
    return undefined;
  }
  const password = how.label.startsWith('Username');
  const secret = await vscode.window.showInputBox({
    title: `Sign in to JupyterHub as ${user}`,
    prompt: password ? `The password of ${user} on ${hubUrl} (used once, never stored)` : 'A JupyterHub API token',
    password: true,
    ignoreFocusOut: true,
  });
  if (!secret) {
    return undefined;
  }
  return password ? { password: secret } : { token: secret };
}

async function prompt(store: HubListStore): Promise<AddHubArgs | undefined> {
  const url = await vscode.window.showInputBox({
    title: 'Add JupyterHub (1/4): URL',
    prompt: 'The address of your JupyterHub, as you open it in a browser',
    placeHolder: 'https://hub.example.org/',
    ignoreFocusOut: true,
    validateInput: (v) => (/^https?:\/\/\S+$/i.test(v.trim()) ? undefined : 'Start with http:// or https://'),
  });
  if (!url) {
    return undefined;
  }
  const user = await vscode.window.showInputBox({
    title: 'Add JupyterHub (2/4): username',
    prompt: 'Your username on the hub',
    ignoreFocusOut: true,
    validateInput: (v) => (v.trim() ? undefined : 'A username is needed'),
  });
  if (!user) {
    return undefined;
  }
  const secret = await askSecret(parseHubUrl(url), user.trim());
  if (!secret) {
    return undefined;
  }
  const name = await vscode.window.showInputBox({
    title: 'Add JupyterHub (3/4): name',
    prompt: 'Shown in the kernel picker and the status bar; named servers appear as <name>/<server>',
    value: new URL(url.trim()).hostname,
    ignoreFocusOut: true,
    validateInput: (v) => serverNameProblem(v, { servers: store.servers(), hubs: store.hubs() }),
  });
  if (!name) {
    return undefined;
  }
  const servers = await vscode.window.showInputBox({
    title: 'Add JupyterHub (4/4): named servers',
    prompt: 'Named servers you use besides your default one, comma-separated (e.g. gpu, cpu); empty for none',
    ignoreFocusOut: true,
  });
  if (servers === undefined) {
    return undefined;
  }
  return { url, user: user.trim(), name, servers: splitNames(servers), ...secret };
}

function splitNames(list: string): string[] {
  return list
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
}

/**
 * Signs in: exchanges a password for a token (with a note and an expiry), or checks a pasted token, and makes sure
 * the token is the user's own. Nothing is saved here; the password goes in one request and is dropped.
 */
async function signIn(hubUrl: string, user: string, secret: HubSecret): Promise<HubCredentials> {
  const credentials =
    'password' in secret
      ? await requestToken(hubUrl, user, secret.password, {
          note: TOKEN_NOTE,
          expiresInSeconds: TOKEN_LIFETIME_SECONDS,
        })
      : { token: secret.token.trim() };
  const owner = await tokenOwner(hubUrl, credentials.token);
  if (owner.name !== user) {
    throw new HubError(`The token belongs to "${owner.name}", not to "${user}".`, 'refused');
  }
  return credentials;
}

async function signInWithProgress(hubUrl: string, user: string, secret: HubSecret): Promise<HubCredentials> {
  try {
    return await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: `Kernel Islands: signing in to ${hubUrl} as ${user}…` },
      () => signIn(hubUrl, user, secret),
    );
  } catch (err) {
    if (err instanceof HubError) {
      throw new Error(`${err.message} Nothing was saved.`);
    }
    throw err;
  }
}

/**
 * "Add JupyterHub…": asks for the hub URL, username, a token or password, a name and named servers; signs in,
 * and only then saves the hub URL, user and server names in settings and the token in secret storage.
 */
async function addHub(
  store: HubListStore,
  catalog: ServerCatalog,
  secrets: vscode.SecretStorage,
  log: Logger,
  scripted?: AddHubArgs,
): Promise<string | undefined> {
  const answers = scripted ?? (await prompt(store));
  if (!answers) {
    return undefined;
  }
  const hubUrl = parseHubUrl(answers.url);
  const name = (answers.name ?? '').trim() || new URL(hubUrl).hostname;
  const invalid = serverNameProblem(name, { servers: store.servers(), hubs: store.hubs() });
  if (invalid) {
    throw new Error(`Cannot add the hub: ${invalid}.`);
  }
  const credentials = await signInWithProgress(hubUrl, answers.user, answers);
  // Named servers the user already has there are offered too (only the user's own: the hub lists no one else's).
  const existing = await userServers(hubUrl, answers.user, credentials.token).catch(() => new Map());
  const servers = [...new Set([...(answers.servers ?? []), ...[...existing.keys()].filter((s) => s !== '')])];
  await storeHubCredentials(secrets, name, credentials);
  const hub: ConfiguredHub = { name, url: hubUrl, user: answers.user, ...(servers.length ? { servers } : {}) };
  await store.setHubs([...store.hubs(), hub]);
  catalog.forget(name);
  log.info(
    `Signed in to JupyterHub ${hubUrl} as ${answers.user}` +
      (credentials.expiresAt ? ` (token expires ${credentials.expiresAt})` : '') +
      `; servers: ${hubServerNames(hub).join(', ')}.`,
  );
  void vscode.window.showInformationMessage(
    `Kernel Islands: signed in to ${name} as ${answers.user}. Its servers (${hubServerNames(hub).join(', ')}) start when a context first runs there; choose one with "Select Kernel…" or kernelIslands.defaultServer.`,
  );
  return name;
}

/** "Sign In to JupyterHub Again": a new token for a configured hub (after its token expired or was revoked). */
async function signInAgain(
  store: HubListStore,
  catalog: ServerCatalog,
  secrets: vscode.SecretStorage,
  log: Logger,
  scripted?: string | ({ name: string } & HubSecret),
): Promise<boolean> {
  const name =
    typeof scripted === 'object'
      ? scripted.name
      : (scripted ??
        (await vscode.window.showQuickPick(
          store.hubs().map((h) => h.name),
          { title: 'Kernel Islands: sign in to which JupyterHub?' },
        )));
  const hub = store.hubs().find((h) => h.name === name);
  if (!hub) {
    throw new Error(`No JupyterHub is named "${name ?? ''}".`);
  }
  const secret = typeof scripted === 'object' ? scripted : await askSecret(hub.url, hub.user);
  if (!secret) {
    return false;
  }
  await storeHubCredentials(secrets, hub.name, await signInWithProgress(hub.url, hub.user, secret));
  catalog.forget(hub.name);
  log.info(`Signed in to JupyterHub ${hub.url} as ${hub.user} again.`);
  return true;
}

/** "Remove JupyterHub…": forgets the hub and its token here. The token stays valid on the hub until it expires. */
async function removeHub(
  store: HubListStore,
  catalog: ServerCatalog,
  secrets: vscode.SecretStorage,
  scripted?: string,
): Promise<void> {
  const name =
    scripted ??
    (await vscode.window.showQuickPick(
      store.hubs().map((h) => h.name),
      { title: 'Kernel Islands: remove which JupyterHub?' },
    ));
  if (!name) {
    return;
  }
  if (!store.hubs().some((h) => h.name === name)) {
    throw new Error(`No JupyterHub is named "${name}".`);
  }
  await store.setHubs(store.hubs().filter((h) => h.name !== name));
  await secrets.delete(hubTokenKey(name));
  catalog.forget(name);
}

/** Registers the hub commands. Failures are shown by `report`; a scripted call also rejects, so the caller learns why. */
export function registerHubCommands(
  store: HubListStore,
  catalog: ServerCatalog,
  secrets: vscode.SecretStorage,
  log: Logger,
  report: ErrorReporter,
): vscode.Disposable {
  const command = commandRegistrar(report);
  const scripted = { rejectsWhen: givenAnArgument };
  return vscode.Disposable.from(
    command('kernelIslands.addJupyterHub', (args?: AddHubArgs) => addHub(store, catalog, secrets, log, args), scripted),
    command(
      'kernelIslands.signInToJupyterHub',
      (arg?: string | ({ name: string } & HubSecret)) => signInAgain(store, catalog, secrets, log, arg),
      scripted,
    ),
    command('kernelIslands.removeJupyterHub', (name?: string) => removeHub(store, catalog, secrets, name), scripted),
  );
}
