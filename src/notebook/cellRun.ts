/**
 * One cell's run: `start` → clear → the code goes through the registry into the notebook's kernel → outputs
 * stream into the cell → `executionOrder` from the kernel → `end(success)`.
 */
import type * as nbformat from '@jupyterlab/nbformat';
import * as vscode from 'vscode';
import { traceMark } from '../common/trace';
import type { Logger } from '../common/log';
import type {
  ContextSpec,
  ExecutionResult,
  IContextRegistry,
  OutputEvent,
  StdinRequest,
  Timer,
} from '../kernels/types';
import type { QueuedCell } from './cellQueue';
import { CellOutputWriter, type NotebookDisplays } from './cellOutputWriter';
import { ExecutionOutputTarget } from './vscodeOutputs';

/** What a cell run needs from its notebook. */
export interface CellRunHost {
  readonly registry: IContextRegistry;
  readonly displays: NotebookDisplays<vscode.NotebookCellOutput, vscode.NotebookCell>;
  readonly timer: Timer;
  readonly logger: Logger;
  /** The context to run in, read when the cell's turn comes (the notebook may have been renamed meanwhile). */
  spec(kernelName: string): ContextSpec;
  /** Makes sure the context runs the kernelspec the cell's controller stands for. */
  prepareKernel(kernelName: string): Promise<void>;
  askInput(request: StdinRequest): Promise<string | undefined>;
  /** Counts user interrupts, restarts and shutdowns: a run they abort needs no error output. */
  readonly abortGeneration: number;
}

/** An error output for a run that could not run or was cut short, in the kernel's own error format. */
function failureOutput(ename: string, evalue: string): nbformat.IError {
  return { output_type: 'error', ename, evalue, traceback: [] };
}

export class CellRun implements QueuedCell {
  constructor(
    private readonly execution: vscode.NotebookCellExecution,
    private readonly kernelName: string,
    private readonly host: CellRunHost,
  ) {}

  async run(): Promise<boolean> {
    const { execution, host } = this;
    if (execution.cell.document.getText().trim() === '') {
      return this.skipEmpty();
    }
    traceMark('notebook.cellStart');
    execution.start(Date.now());
    const target = new ExecutionOutputTarget(execution, (err) => host.logger.error(asError(err)));
    const writer = new CellOutputWriter(target, host.displays, execution.cell, host.timer);
    writer.start();
    const generation = host.abortGeneration;
    let success = false;
    try {
      await host.prepareKernel(this.kernelName);
      const result = await host.registry.execute(host.spec(this.kernelName), execution.cell.document.getText(), {
        source: 'notebook',
        onOutput: (e) => this.onOutput(writer, e),
        onStdin: (request) => host.askInput(request),
      });
      success = result.status === 'ok';
      this.noteAbort(writer, result, generation);
      if (result.executionCount !== null) {
        execution.executionOrder = result.executionCount;
      }
    } catch (err) {
      // The kernel could not start (unknown kernelspec, no Python, server down): say so in the cell.
      const error = asError(err);
      writer.appendOutput(failureOutput(error.name === 'Error' ? 'KernelError' : error.name, error.message));
    } finally {
      writer.finish();
      // The cell shows as finished only once its last outputs are in the notebook (a save or a reader right after
      // the end would otherwise miss the tail of a flood).
      await target.settled();
      // Ending fails only when VS Code dropped the execution (its notebook closed); the kernel run is over anyway.
      try {
        traceMark('notebook.cellEnd');
        execution.end(success, Date.now());
      } catch (err) {
        host.logger.warn(`Could not end a cell execution: ${asError(err).message}`);
      }
    }
    return success;
  }

  skip(): void {
    this.execution.end(false);
  }

  /**
   * An empty (or whitespace-only) cell, as Jupyter treats it: nothing goes to the kernel, its outputs are cleared,
   * it keeps no execution count (VS Code resets it when the execution starts), and the cells after it run.
   */
  private async skipEmpty(): Promise<boolean> {
    const { execution, host } = this;
    execution.start(Date.now());
    try {
      await execution.clearOutput();
      execution.end(true, Date.now());
    } catch (err) {
      host.logger.warn(`Could not end an empty cell's execution: ${asError(err).message}`);
    }
    return true;
  }

  private onOutput(writer: CellOutputWriter<vscode.NotebookCellOutput, vscode.NotebookCell>, e: OutputEvent): void {
    const count = e.kind === 'output' ? e.output.execution_count : undefined;
    if (typeof count === 'number') {
      this.execution.executionOrder = count;
    }
    writer.apply(e);
  }

  /** A run cut short by something other than the user (kernel died, input cancelled) says why in the cell. */
  private noteAbort(
    writer: CellOutputWriter<vscode.NotebookCellOutput, vscode.NotebookCell>,
    result: ExecutionResult,
    generation: number,
  ): void {
    if (result.status === 'aborted' && result.error && generation === this.host.abortGeneration) {
      writer.appendOutput(failureOutput(result.error.ename, result.error.evalue));
    }
  }
}

function asError(err: unknown): Error {
  return err instanceof Error ? err : new Error(String(err));
}
