import * as vscode from 'vscode';
import type { ErrorReporter } from '../../workbench/reportError';
import { commandRegistrar, givenAnArgument } from '../../workbench/reportedCommands';
import { tokenKey, type ServerCatalog } from '../../workbench/serverCatalog';
import { serverNameProblem } from '../../workbench/hubNames';
import type { ConfiguredHub, ConfiguredServer } from '../../workbench/settings';
import {
  isPlainHttpToRemoteHost,
  parseServerUrl,
  RemoteJupyterServer,
  RemoteServerError,
} from '../../jupyter/remoteServer';

/** Reads and writes the configured server list (and sees the hubs, whose server names a server's must not repeat). */
interface ServerListStore {
  servers(): readonly ConfiguredServer[];
  hubs(): readonly ConfiguredHub[];
  setServers(servers: readonly ConfiguredServer[]): Thenable<void>;
}

/** Arguments a script or test passes instead of answering the prompts. */
interface AddServerArgs {
  name?: string;
  url: string;
  token: string;
}

/** What the user is told per failure kind, after the checker's own message. */
const hints: Record<RemoteServerError['kind'], string> = {
  'invalid-url': 'Enter the URL as http(s)://host:port/base/.',
  unreachable: 'Nothing was saved.',
  'wrong-token': 'Nothing was saved.',
  'not-jupyter': 'Nothing was saved.',
};

async function prompt(store: ServerListStore): Promise<AddServerArgs | undefined> {
  const url = await vscode.window.showInputBox({
    title: 'Add Jupyter Server (1/3): URL',
    prompt: 'Base URL of the Jupyter Server or gateway, including any base path',
    placeHolder: 'https://gpu-box:8888/jupyter/',
    ignoreFocusOut: true,
    validateInput: (v) => (/^https?:\/\/\S+$/i.test(v.trim()) ? undefined : 'Start with http:// or https://'),
  });
  if (!url) {
    return undefined;
  }
  const suggested = new URL(url.trim()).hostname;
  const name = await vscode.window.showInputBox({
    title: 'Add Jupyter Server (2/3): name',
    prompt: 'Shown in the kernel picker and the status bar',
    value: suggested,
    ignoreFocusOut: true,
    validateInput: (v) => serverNameProblem(v, { servers: store.servers(), hubs: store.hubs() }),
  });
  if (!name) {
    return undefined;
  }
  const token = await vscode.window.showInputBox({
    title: 'Add Jupyter Server (3/3): token',
    prompt: 'The server token (kept in VS Code secret storage; leave empty if the URL has ?token= or none is needed)',
    password: true,
    ignoreFocusOut: true,
  });
  return token === undefined ? undefined : { name, url, token };
}

/**
 * "Add Jupyter Server…": asks for URL, name and token, checks them against the server, and only then saves the
 * URL in settings and the token in secret storage. Returns the saved server's name, or undefined.
 */
async function addServer(
  store: ServerListStore,
  catalog: ServerCatalog,
  secrets: vscode.SecretStorage,
  scripted?: AddServerArgs,
): Promise<string | undefined> {
  const answers = scripted ?? (await prompt(store));
  if (!answers) {
    return undefined;
  }
  const name = (answers.name ?? '').trim() || new URL(answers.url.trim()).hostname;
  const invalid = serverNameProblem(name, { servers: store.servers(), hubs: store.hubs() });
  if (invalid) {
    throw new Error(`Cannot add the server: ${invalid}.`);
  }
  const probe = new RemoteJupyterServer({ name, url: answers.url, token: answers.token });
  try {
    await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: `Kernel Islands: checking ${name}…` },
      () => probe.getServer(),
    );
  } catch (err) {
    if (err instanceof RemoteServerError) {
      throw new Error(`${err.message} ${hints[err.kind]}`);
    }
    throw err;
  } finally {
    probe.dispose();
  }
  const { baseUrl, queryToken } = parseServerUrl(answers.url, name);
  await secrets.store(tokenKey(name), answers.token || queryToken);
  // The URL is saved without any pasted ?token=: tokens never go in settings.
  await store.setServers([...store.servers(), { name, url: baseUrl }]);
  catalog.forget(name);
  if (isPlainHttpToRemoteHost(baseUrl)) {
    catalog.warnOnce(
      `http:${name}`,
      `Kernel Islands: "${name}" is reached over plain http: its token, your code and outputs cross the network unencrypted. Prefer https or an SSH tunnel.`,
    );
  }
  void vscode.window.showInformationMessage(
    `Kernel Islands: added "${name}". Choose it per editor with "Select Kernel…", or for all new contexts with the setting kernelIslands.defaultServer.`,
  );
  return name;
}

/** "Remove Jupyter Server…": forgets the URL and the token. Kernels already running there keep running. */
async function removeServer(
  store: ServerListStore,
  catalog: ServerCatalog,
  secrets: vscode.SecretStorage,
  scripted?: string,
): Promise<void> {
  const servers = store.servers();
  if (servers.length === 0 && scripted === undefined) {
    void vscode.window.showInformationMessage('Kernel Islands: no remote Jupyter servers are configured.');
    return;
  }
  const name =
    scripted ??
    (
      await vscode.window.showQuickPick(
        servers.map((s) => ({ label: s.name, description: s.url })),
        { title: 'Kernel Islands: remove which Jupyter server?' },
      )
    )?.label;
  if (!name) {
    return;
  }
  if (!servers.some((s) => s.name === name)) {
    throw new Error(`No configured server is named "${name}".`);
  }
  await store.setServers(servers.filter((s) => s.name !== name));
  await secrets.delete(tokenKey(name));
  catalog.forget(name);
}

/**
 * Registers Add/Remove Jupyter Server. Failures are shown by `report`; a scripted call (with arguments) also
 * rejects, so the caller learns why.
 */
export function registerServerCommands(
  store: ServerListStore,
  catalog: ServerCatalog,
  secrets: vscode.SecretStorage,
  report: ErrorReporter,
): vscode.Disposable {
  const command = commandRegistrar(report);
  const scripted = { rejectsWhen: givenAnArgument };
  return vscode.Disposable.from(
    command('kernelIslands.addServer', (args?: AddServerArgs) => addServer(store, catalog, secrets, args), scripted),
    command('kernelIslands.removeServer', (name?: string) => removeServer(store, catalog, secrets, name), scripted),
  );
}
