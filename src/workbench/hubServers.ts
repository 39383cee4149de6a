import * as vscode from 'vscode';
import type { Logger } from '../common/log';
import { progressLine, type HubProgressEvent } from '../jupyter/hubProgress';
import type { HubCredentials, HubServerHooks } from '../jupyter/hubServer';
import type { ConfiguredHub } from './settings';

/** The button that starts a server again after the hub stopped it. */
export const START_AGAIN_CHOICE = 'Start Again';
/** The button that signs in again after the hub refused the token. */
export const SIGN_IN_AGAIN_CHOICE = 'Sign In Again';

/** Where a hub's token (and its expiry) is kept in secret storage. Never a password: none is kept anywhere. */
export function hubTokenKey(hubName: string): string {
  return `kernelIslands.hub.${hubName}.token`;
}

/** Reads a hub's stored token; undefined when the user is not signed in. */
export async function readHubCredentials(
  secrets: vscode.SecretStorage,
  hubName: string,
): Promise<HubCredentials | undefined> {
  const stored = await secrets.get(hubTokenKey(hubName));
  if (!stored) {
    return undefined;
  }
  try {
    const parsed = JSON.parse(stored) as Partial<HubCredentials>;
    return typeof parsed.token === 'string' ? { token: parsed.token, expiresAt: parsed.expiresAt } : undefined;
  } catch {
    return undefined;
  }
}

/** Keeps a hub token and its expiry in secret storage. */
export function storeHubCredentials(
  secrets: vscode.SecretStorage,
  hubName: string,
  credentials: HubCredentials,
): Thenable<void> {
  return secrets.store(hubTokenKey(hubName), JSON.stringify(credentials));
}

/**
 * What a hub server shows in VS Code: its start as a progress notification fed by the hub's own progress events
 * (each also logged), a warning with **Start Again** before starting a server the hub stopped, and a warning with
 * **Sign In Again** (once per refusal) when the hub refused the token.
 */
export function hubHooks(hub: ConfiguredHub, log: Logger): HubServerHooks {
  let refusalShown: string | undefined;
  return {
    showStart: (title, start) =>
      Promise.resolve(
        vscode.window.withProgress(
          { location: vscode.ProgressLocation.Notification, title: `Kernel Islands: ${title}` },
          async (progress) => {
            let shown = 0;
            await start((e: HubProgressEvent) => {
              log.info(`JupyterHub ${hub.name}: ${progressLine(e)}`);
              const increment = e.progress !== undefined ? Math.max(0, e.progress - shown) : undefined;
              shown = Math.max(shown, e.progress ?? shown);
              progress.report({ message: e.message, increment });
            });
          },
        ),
      ),
    confirmRestart: async (message) => {
      const choice = await vscode.window.showWarningMessage(`Kernel Islands: ${message}`, START_AGAIN_CHOICE);
      log.info(`JupyterHub ${hub.name}: start again ${choice === START_AGAIN_CHOICE ? 'accepted' : 'declined'}.`);
      return choice === START_AGAIN_CHOICE;
    },
    refused: (message) => {
      log.warn(message);
      if (refusalShown === message) {
        return;
      }
      refusalShown = message;
      void Promise.resolve(vscode.window.showWarningMessage(`Kernel Islands: ${message}`, SIGN_IN_AGAIN_CHOICE))
        .then(async (choice) => {
          refusalShown = undefined;
          if (choice === SIGN_IN_AGAIN_CHOICE) {
            log.info(`JupyterHub ${hub.name}: signing in again.`);
            await vscode.commands.executeCommand('kernelIslands.signInToJupyterHub', hub.name);
          }
        })
        .catch((err: unknown) => log.warn(`The sign-in offer: ${String(err)}`));
    },
  };
}
