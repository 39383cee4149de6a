/**
 * Runs notebook cells in their notebook's own context. Each open notebook has its own cell queue (FIFO, stop on
 * error) and display map; notebooks never wait for each other because each is its own context in the registry.
 */
import * as vscode from 'vscode';
import { traceMark } from '../common/trace';
import type { Logger } from '../common/log';
import type { ContextSpecBuilder } from '../workbench/contextSpecBuilder';
import { isInterruptTimeout, offerRestart, type PromptFunction } from '../workbench/restartOffer';
import type { ContextSpec, IContextRegistry, StdinRequest, Timer } from '../kernels/types';
import { CellQueue } from './cellQueue';
import { CellRun, type CellRunHost } from './cellRun';
import { NotebookDisplays } from './cellOutputWriter';

/** What the runner is built from. */
interface NotebookRunnerOptions {
  /** The one builder of context specs, shared with the editor surface and the API. */
  specs: Pick<ContextSpecBuilder, 'forNotebook' | 'chooseKernel'>;
  timer: Timer;
  logger: Logger;
  /** Answers `input()` / `getpass()`. */
  askInput(request: StdinRequest): Promise<string | undefined>;
  /** Shows the restart offer after an ignored interrupt (a warning message with buttons in the product). */
  prompt: PromptFunction;
}

/** One open notebook's run state; also the host its cell runs read from. */
class NotebookState implements CellRunHost {
  readonly queue: CellQueue;
  readonly displays = new NotebookDisplays<vscode.NotebookCellOutput, vscode.NotebookCell>();
  abortGeneration = 0;

  constructor(
    public notebook: vscode.NotebookDocument,
    readonly registry: IContextRegistry,
    private readonly options: NotebookRunnerOptions,
  ) {
    this.queue = new CellQueue((err) => this.logger.error(err instanceof Error ? err : new Error(String(err))));
  }

  get timer(): Timer {
    return this.options.timer;
  }

  get logger(): Logger {
    return this.options.logger;
  }

  get id(): string {
    return this.notebook.uri.toString();
  }

  spec(kernelName: string): ContextSpec {
    return this.options.specs.forNotebook(this.notebook, kernelName);
  }

  /** A notebook switched to another kernelspec gets a fresh kernel of that spec, as in Jupyter. */
  async prepareKernel(kernelName: string): Promise<void> {
    const info = this.registry.get(this.id);
    if (info && info.attachedTo === undefined && info.kernelName !== kernelName) {
      this.options.logger.info(`${info.label}: switching kernel from ${info.kernelName} to ${kernelName}`);
      await this.registry.shutdown(this.id);
    }
  }

  askInput(request: StdinRequest): Promise<string | undefined> {
    return this.options.askInput(request);
  }

  /** Ends every waiting cell unrun and marks runs ending from now on as stopped by the user. */
  stopWaiting(): void {
    this.abortGeneration++;
    this.queue.skipWaiting();
  }
}

export class NotebookRunner implements vscode.Disposable {
  private readonly notebooks = new Map<string, NotebookState>();

  constructor(
    private readonly registry: IContextRegistry,
    private readonly options: NotebookRunnerOptions,
  ) {}

  /** Queues `cells` of `notebook` to run with `kernelName`, through `controller`'s cell executions. */
  execute(
    cells: readonly vscode.NotebookCell[],
    notebook: vscode.NotebookDocument,
    kernelName: string,
    controller: vscode.NotebookController,
  ): void {
    traceMark('notebook.execute');
    const state = this.stateFor(notebook);
    const runs: CellRun[] = [];
    for (const cell of cells) {
      if (cell.kind !== vscode.NotebookCellKind.Code) {
        continue;
      }
      try {
        runs.push(new CellRun(controller.createNotebookCellExecution(cell), kernelName, state));
      } catch (err) {
        // VS Code refuses a second execution of a cell that is already queued or running.
        this.options.logger.warn(`Cell ${cell.index + 1} of ${notebook.uri.toString()} not queued: ${String(err)}`);
      }
    }
    state.queue.push(...runs);
  }

  /**
   * Interrupts what the notebook's kernel runs and drops the cells waiting behind it. When the kernel is still
   * busy after `kernelIslands.interruptTimeoutSeconds` (code that ignores SIGINT), offers to restart this
   * notebook's kernel, as the editor commands do; it resolves without waiting for the user's answer.
   */
  async interrupt(notebook: vscode.NotebookDocument): Promise<void> {
    const id = notebook.uri.toString();
    this.notebooks.get(id)?.stopWaiting();
    if (!this.registry.get(id)) {
      return;
    }
    try {
      await this.registry.interrupt(id);
    } catch (err) {
      if (!isInterruptTimeout(err)) {
        throw err;
      }
      this.options.logger.warn(err.message);
      const restart = () => this.restart(notebook);
      void offerRestart(err, this.options.prompt, restart, this.options.logger).catch((e: unknown) =>
        this.options.logger.error(`Offering a restart: ${String(e)}`),
      );
    }
  }

  /** Restarts the notebook's kernel (its state is lost); waiting cells end unrun. Returns false without a kernel. */
  async restart(notebook: vscode.NotebookDocument): Promise<boolean> {
    const id = notebook.uri.toString();
    this.notebooks.get(id)?.stopWaiting();
    if (!this.registry.get(id)) {
      return false;
    }
    await this.registry.restart(id);
    return true;
  }

  /** Shuts the notebook's kernel down; the next run starts a new one. Returns false without a kernel. */
  async shutdown(notebook: vscode.NotebookDocument): Promise<boolean> {
    const id = notebook.uri.toString();
    this.notebooks.get(id)?.stopWaiting();
    if (!this.registry.get(id)) {
      return false;
    }
    await this.registry.shutdown(id);
    return true;
  }

  /** A controller was selected for a notebook: an idle context of another kernelspec makes way for it. */
  async onKernelSelected(notebook: vscode.NotebookDocument, kernelName: string): Promise<void> {
    // Runs from a cell's text editor or the API then start the kernel this notebook's controller runs.
    this.options.specs.chooseKernel(notebook.uri, kernelName);
    const state = this.notebooks.get(notebook.uri.toString());
    if (!state?.queue.busy) {
      await (state ?? new NotebookState(notebook, this.registry, this.options)).prepareKernel(kernelName);
    }
  }

  /** The notebook's editor state goes; its kernel is left to the lifecycle's delayed shutdown. */
  onClosed(notebook: vscode.NotebookDocument): void {
    const id = notebook.uri.toString();
    const state = this.notebooks.get(id);
    if (state && state.notebook === notebook) {
      state.stopWaiting();
      state.displays.clear();
      this.notebooks.delete(id);
    }
  }

  /** Save As / rename: the run state follows the notebook to its new URI. */
  moved(oldId: string, notebook: vscode.NotebookDocument): void {
    const state = this.notebooks.get(oldId);
    if (state) {
      this.notebooks.delete(oldId);
      state.notebook = notebook;
      this.notebooks.set(notebook.uri.toString(), state);
    }
  }

  dispose(): void {
    for (const state of this.notebooks.values()) {
      state.stopWaiting();
    }
    this.notebooks.clear();
  }

  private stateFor(notebook: vscode.NotebookDocument): NotebookState {
    const id = notebook.uri.toString();
    let state = this.notebooks.get(id);
    if (!state) {
      state = new NotebookState(notebook, this.registry, this.options);
      this.notebooks.set(id, state);
    }
    state.notebook = notebook;
    return state;
  }
}
