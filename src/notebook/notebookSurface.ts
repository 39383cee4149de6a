/**
 * The notebook surface: every `.ipynb` notebook runs in a kernel of its own, through one notebook controller per
 * kernelspec. Everything goes through the context registry; this folder never talks to the editor, API or UI.
 */
import * as vscode from 'vscode';
import { type Logger, nullLogger } from '../common/log';
import { errorReporter, type ErrorReporter } from '../workbench/reportError';
import type { ContextSpecBuilder } from '../workbench/contextSpecBuilder';
import type { PromptFunction } from '../workbench/restartOffer';
import { inputBoxStdin, type StdinPrompt } from '../workbench/stdinPrompt';
import { isEnvironmentKernel } from '../python/pythonEnvironment';
import { realTimer } from '../kernels/timer';
import type { IContextRegistry, Timer } from '../kernels/types';
import { registerNotebookCommands } from './notebookCommands';
import { type ListKernelSpecs, NotebookControllers } from './notebookControllers';
import { NotebookRunner } from './notebookRunner';
import { SaveAsTracker } from './saveAsTracker';
import { keepExecutionCounts } from './executionCounts';

/** Optional parts of the notebook surface; defaults suit the product. */
interface NotebookSurfaceOptions {
  logger?: Logger;
  /** Kernelspec preferred for notebooks whose metadata names none (setting `kernelIslands.defaultKernel`). */
  defaultKernelName?: () => string;
  /** Answers `input()`; defaults to an input box (masked for passwords). */
  askInput?: StdinPrompt;
  /**
   * Shows the Restart Kernel offer after an interrupt the kernel ignored; defaults to a warning message.
   * Tests pass a recorder to see the offer and answer it without a click.
   */
  promptRestart?: PromptFunction;
  /** The one error path (`workbench/reportError`); defaults to one whose Show Log runs `kernelIslands.showLog`. */
  report?: ErrorReporter;
  /** Timer for stream coalescing; tests may pass their own. */
  timer?: Timer;
  /** This extension's id (`context.extension.id`); `kernelislands.kernel-islands` by default. */
  extensionId?: string;
  /** Select the preferred controller for notebooks that have no kernel selected yet (default true). */
  autoSelectKernel?: boolean;
}

/** The registered notebook surface. */
interface NotebookSurface extends vscode.Disposable {
  /**
   * Re-lists kernelspecs, so the controllers offer the current default server's (call it when a server is added
   * or the default server changes). Does nothing before the first notebook opened; failures are reported.
   */
  refresh(): Promise<void>;
}

/**
 * Builds the notebook surface: the notebook controllers (created when the first `.ipynb` opens, since listing
 * kernelspecs starts the Jupyter server), the notebook kernel commands and the Save As tracking. Dispose to remove
 * them all.
 */
export function createNotebookSurface(
  registry: IContextRegistry,
  specs: ContextSpecBuilder,
  listKernelSpecs: ListKernelSpecs,
  options: NotebookSurfaceOptions = {},
): NotebookSurface {
  const logger = options.logger ?? nullLogger;
  const report =
    options.report ?? errorReporter(logger, () => void vscode.commands.executeCommand('kernelIslands.showLog'));
  const runner = new NotebookRunner(registry, {
    specs,
    timer: options.timer ?? realTimer,
    logger,
    askInput: options.askInput ?? inputBoxStdin,
    prompt: options.promptRestart ?? vscode.window.showWarningMessage,
  });
  const controllers = new NotebookControllers(runner, listKernelSpecs, {
    logger,
    report,
    defaultKernelName: options.defaultKernelName ?? (() => 'python3'),
    extensionId: options.extensionId ?? 'kernelislands.kernel-islands',
    autoSelect: options.autoSelectKernel ?? true,
    environmentKernel: (notebook) => {
      const kernelName = specs.forNotebook(notebook).kernelName;
      return isEnvironmentKernel(kernelName) ? kernelName : undefined;
    },
  });
  const disposables = vscode.Disposable.from(
    controllers,
    registerNotebookCommands(runner, report),
    new SaveAsTracker(registry, runner, logger),
    keepExecutionCounts((notebook) => registry.get(notebook.uri.toString()) !== undefined),
    runner,
  );
  return {
    refresh: () => controllers.relist(),
    dispose: () => disposables.dispose(),
  };
}
