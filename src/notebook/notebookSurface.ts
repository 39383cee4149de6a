/**
 * The notebook surface: every `.ipynb` notebook runs in a kernel of its own, through one notebook controller per
 * kernelspec. Everything goes through the context registry; this folder never talks to the editor, API or UI.
 */
import * as vscode from 'vscode';
import { type Logger, nullLogger } from '../common/log';
import type { PromptFunction } from '../host/restartOffer';
import { realTimer } from '../kernels/timer';
import type { IContextRegistry, StdinRequest, Timer } from '../kernels/types';
import { registerNotebookCommands } from './notebookCommands';
import { type ListKernelSpecs, NotebookControllers } from './notebookControllers';
import { NotebookRunner } from './notebookRunner';
import { SaveAsTracker } from './saveAsTracker';

export type { ListKernelSpecs, NotebookKernelSpec } from './notebookControllers';
export { CONTROLLER_ID_PREFIX } from './notebookControllers';
export { NOTEBOOK_COMMANDS } from './notebookCommands';

/** Optional parts of the notebook surface; defaults suit the product. */
export interface NotebookSurfaceOptions {
  logger?: Logger;
  /** Kernelspec preferred for notebooks whose metadata names none (setting `kernelIslands.defaultKernel`). */
  defaultKernelName?: () => string;
  /** Answers `input()`; defaults to an input box (masked for passwords). */
  askInput?: (request: StdinRequest) => Promise<string | undefined>;
  /**
   * Shows the Restart Kernel offer after an interrupt the kernel ignored; defaults to a warning message.
   * Tests pass a recorder to see the offer and answer it without a click.
   */
  promptRestart?: PromptFunction;
  /** Timer for stream coalescing; tests may pass their own. */
  timer?: Timer;
  /** This extension's id (`context.extension.id`); `kernelislands.kernel-islands` by default. */
  extensionId?: string;
  /** Select the preferred controller for notebooks that have no kernel selected yet (default true). */
  autoSelectKernel?: boolean;
}

/** The registered notebook surface. `refresh` re-lists kernelspecs (e.g. after switching Jupyter servers). */
export interface NotebookSurface extends vscode.Disposable {
  refresh(): Promise<void>;
}

function showInputBox(request: StdinRequest): Promise<string | undefined> {
  return Promise.resolve(
    vscode.window.showInputBox({
      title: 'Kernel input',
      prompt: request.prompt || 'The kernel asks for input',
      password: request.password,
      ignoreFocusOut: true,
    }),
  );
}

/**
 * Builds the notebook surface: the notebook controllers (created when the first `.ipynb` opens, since listing
 * kernelspecs starts the Jupyter server), the notebook kernel commands and the Save As tracking. Dispose to remove
 * them all.
 */
export function createNotebookSurface(
  registry: IContextRegistry,
  listKernelSpecs: ListKernelSpecs,
  options: NotebookSurfaceOptions = {},
): NotebookSurface {
  const logger = options.logger ?? nullLogger;
  const runner = new NotebookRunner(registry, {
    timer: options.timer ?? realTimer,
    logger,
    askInput: options.askInput ?? showInputBox,
    prompt: options.promptRestart ?? vscode.window.showWarningMessage,
  });
  const controllers = new NotebookControllers(runner, listKernelSpecs, {
    logger,
    defaultKernelName: options.defaultKernelName ?? (() => 'python3'),
    extensionId: options.extensionId ?? 'kernelislands.kernel-islands',
    autoSelect: options.autoSelectKernel ?? true,
  });
  const disposables = vscode.Disposable.from(
    controllers,
    registerNotebookCommands(runner, logger),
    new SaveAsTracker(registry, runner, logger),
    runner,
  );
  return {
    refresh: () => controllers.refresh(),
    dispose: () => disposables.dispose(),
  };
}
