import * as vscode from 'vscode';
import type { Logger } from '../common/log';
import { EnvironmentNotReadyError } from '../python/environmentCheck';
import { isInterruptTimeout, offerRestart } from './restartOffer';

/**
 * Reports a failure to the user and the log: `reportCommandError` with the extension's log bound. `command` is the
 * id of the command that failed, when one did (`workbench/reportedCommands` passes it).
 */
export type ErrorReporter = (err: unknown, command?: string) => void;

/** The reporter every surface and `ui/` is given; `showLog` opens the extension's log (the Show Log button). */
export function errorReporter(log: Logger, showLog: () => void): ErrorReporter {
  return (err, command) => reportCommandError(err, log, showLog, command);
}

/**
 * The one place where failures reach the user (no other file calls `showErrorMessage`; every command's failure
 * comes here through `workbench/reportedCommands`): a message that says what went wrong and what to do,
 * with buttons for the usual fixes. It does not wait for the user, so the command itself resolves.
 */
export function reportCommandError(err: unknown, log: Logger, showLog: () => void, command?: string): undefined {
  const message = err instanceof Error ? err.message : String(err);
  if (command !== undefined) {
    log.error(`${command} failed:`);
  }
  log.error(err instanceof Error ? err : message);
  if (isInterruptTimeout(err)) {
    // Code that ignores SIGINT can only be stopped by a restart: offer it, since it costs the kernel's state.
    const restart = () => vscode.commands.executeCommand('kernelIslands.restartKernel', err.contextId);
    void offerRestart(err, vscode.window.showWarningMessage, restart, log).catch((e: unknown) =>
      log.error(`Offering a restart: ${String(e)}`),
    );
    return undefined;
  }
  if (err instanceof EnvironmentNotReadyError) {
    offerEnvironmentFixes(err, log);
    return undefined;
  }
  void vscode.window.showErrorMessage(`Kernel Islands: ${message}`, 'Show Log', 'Open Settings').then((choice) => {
    if (choice === 'Show Log') {
      showLog();
    } else if (choice === 'Open Settings') {
      void vscode.commands.executeCommand('workbench.action.openSettings', 'kernelIslands');
    }
  });
  return undefined;
}

/** Labels of the buttons of an environment's error (the in-host tests press them by name). */
const ENVIRONMENT_ACTIONS = {
  install: 'Install ipykernel in a Terminal',
  serverPython: "Use the Server's Python for This Context",
} as const;

/**
 * A project environment that cannot run the kernel: nothing ran elsewhere, and the user picks what happens. The fix
 * (`<python> -m pip install ipykernel`) runs in a terminal they can see; the server's Python applies to this
 * context only (`kernelIslands.useServerPython`), from its next run.
 */
function offerEnvironmentFixes(err: EnvironmentNotReadyError, log: Logger): void {
  const fix = err.fix;
  const contextId = err.contextId;
  const actions = [
    ...(fix ? [ENVIRONMENT_ACTIONS.install] : []),
    ...(contextId ? [ENVIRONMENT_ACTIONS.serverPython] : []),
  ];
  void vscode.window.showErrorMessage(`Kernel Islands: ${err.message}`, ...actions).then(
    (choice) => {
      if (choice === ENVIRONMENT_ACTIONS.install && fix) {
        const terminal = vscode.window.createTerminal({ name: `Install ipykernel (${err.environment.label})` });
        terminal.show();
        terminal.sendText(fix);
      } else if (choice === ENVIRONMENT_ACTIONS.serverPython && contextId) {
        void vscode.commands.executeCommand('kernelIslands.useServerPython', contextId);
      }
    },
    (e: unknown) => log.error(`Offering the environment's fixes: ${String(e)}`),
  );
}
