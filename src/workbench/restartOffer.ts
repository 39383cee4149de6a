import type { Logger } from '../common/log';
import { InterruptTimeoutError } from '../kernels/session/interruptWait';

/** The button that restarts the kernel after an interrupt it ignored; the same label on every surface. */
export const RESTART_KERNEL_CHOICE = 'Restart Kernel';

/**
 * Shows a message with buttons and resolves with the label the user picked, or undefined when they dismissed it.
 * Production passes `vscode.window.showWarningMessage`; unit tests pass a recorder.
 */
export type PromptFunction = (message: string, ...choices: string[]) => PromiseLike<string | undefined>;

/**
 * The one offer every surface (editor commands, notebook toolbar and stop button) makes when an interrupt was
 * not acknowledged within `kernelIslands.interruptTimeoutSeconds`: the error's message, which names the
 * context and says a restart loses its variables, with a **Restart Kernel** button. Picking it calls `restart`,
 * which restarts that context's kernel only. Resolves true when the kernel was restarted; a failed restart is
 * logged and shown, never thrown, because nobody awaits a button click.
 */
export async function offerRestart(
  err: InterruptTimeoutError,
  prompt: PromptFunction,
  restart: () => PromiseLike<unknown>,
  logger: Logger,
): Promise<boolean> {
  const choice = await prompt(`Kernel Islands: ${err.message}`, RESTART_KERNEL_CHOICE);
  if (choice !== RESTART_KERNEL_CHOICE) {
    logger.info(`Restart declined after an ignored interrupt (${err.contextId}).`);
    return false;
  }
  try {
    await restart();
    logger.info(`Restarted the kernel of ${err.contextId} after an ignored interrupt.`);
    return true;
  } catch (restartErr) {
    const message = restartErr instanceof Error ? restartErr.message : String(restartErr);
    logger.error(`Restart after an ignored interrupt failed for ${err.contextId}: ${message}`);
    void Promise.resolve(prompt(`Kernel Islands: the restart failed: ${message}`)).catch((e: unknown) =>
      logger.warn(`Showing the failed restart: ${String(e)}`),
    );
    return false;
  }
}

/** True for the error `ContextRegistry.interrupt` rejects with when the kernel stayed busy. */
export function isInterruptTimeout(err: unknown): err is InterruptTimeoutError {
  return err instanceof InterruptTimeoutError;
}
