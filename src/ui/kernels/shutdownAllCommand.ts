import * as vscode from 'vscode';
import type { Logger } from '../../common/log';
import type { ReloadState } from '../../workbench/reloadState';
import type { ErrorReporter } from '../../workbench/reportError';
import { commandRegistrar } from '../../workbench/reportedCommands';
import type { LocalJupyterServer } from '../../jupyter/localServer';
import type { ContextRegistry } from '../../kernels/registry/contextRegistry';

/**
 * "Kernel Islands: Shut Down All Kernels": every context's kernel, the warm ones and the local server stop now,
 * and nothing is kept for a window reload. The next run starts a fresh server. A failure goes to `report` (the
 * one error-reporting path).
 */
export function registerShutdownAll(
  registry: ContextRegistry,
  server: LocalJupyterServer,
  state: ReloadState,
  log: Logger,
  report: ErrorReporter,
): vscode.Disposable {
  return commandRegistrar(report)('kernelIslands.shutdownAll', async () => {
    try {
      await Promise.all(registry.list().map((c) => registry.shutdown(c.id)));
      await server.stop();
      await state.forget();
      state.track(registry, () => 0);
      log.info('Shut down all kernels and the local Jupyter Server.');
    } catch (err) {
      // Reported by commandRegistrar, saying what could not be done.
      throw new Error(`Could not shut down all kernels: ${err instanceof Error ? err.message : String(err)}`);
    }
  });
}
