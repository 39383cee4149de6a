/**
 * One cell's run: the code goes through the registry into the notebook's kernel, in the notebook's run group;
 * when the kernel starts it, `start` → clear → outputs stream into the cell → `executionOrder` from the kernel →
 * `end(success)`. A cell the registry never started (an earlier cell failed, or the user stopped) ends unrun.
 */
import type * as nbformat from '@jupyterlab/nbformat';
import * as vscode from 'vscode';
import { traceMark } from '../common/trace';
import type { Logger } from '../common/log';
import type { RunGroup } from '../kernels/registry/runGroup';
import type {
  ContextSpec,
  ExecutionResult,
  IContextRegistry,
  OutputEvent,
  StdinRequest,
  Timer,
} from '../kernels/types';
import { CellOutputWriter, type NotebookDisplays } from './cellOutputWriter';
import { ExecutionOutputTarget } from './vscodeOutputs';

/** What a cell run needs from its notebook. */
export interface CellRunHost {
  readonly registry: IContextRegistry;
  readonly displays: NotebookDisplays<vscode.NotebookCellOutput, vscode.NotebookCell>;
  readonly timer: Timer;
  readonly logger: Logger;
  /** The context to run in. */
  spec(kernelName: string): ContextSpec;
  askInput(request: StdinRequest): Promise<string | undefined>;
  /** Counts user interrupts, restarts and shutdowns: a run they abort needs no error output. */
  readonly abortGeneration: number;
}

/** An error output for a run that could not run or was cut short, in the kernel's own error format. */
function failureOutput(ename: string, evalue: string): nbformat.IError {
  return { output_type: 'error', ename, evalue, traceback: [] };
}

type Writer = CellOutputWriter<vscode.NotebookCellOutput, vscode.NotebookCell>;

/** True for a cell Jupyter does not send to the kernel: empty or whitespace only. */
export function isEmptyCell(cell: vscode.NotebookCell): boolean {
  return cell.document.getText().trim() === '';
}

/**
 * An empty (or whitespace-only) cell, as Jupyter treats it: nothing goes to the kernel, its outputs are cleared,
 * it keeps no execution count (VS Code resets it when the execution starts), and the cells after it run.
 */
export function finishEmptyCell(execution: vscode.NotebookCellExecution, logger: Logger): void {
  const fail = (err: unknown) => logger.warn(`Could not end an empty cell's execution: ${asError(err).message}`);
  try {
    execution.start(Date.now());
    execution
      .clearOutput()
      .then(() => execution.end(true, Date.now()))
      .then(undefined, fail);
  } catch (err) {
    fail(err);
  }
}

/** Ends a cell's execution unrun (an earlier cell failed, or the user stopped): no outputs, not successful. */
export function skipCell(execution: vscode.NotebookCellExecution, logger: Logger): void {
  try {
    execution.end(false);
  } catch (err) {
    logger.warn(`Could not end a skipped cell's execution: ${asError(err).message}`);
  }
}

export class CellRun {
  /** Set when the kernel starts the run. */
  private started: { writer: Writer; target: ExecutionOutputTarget; generation: number } | undefined;

  /**
   * @param emptyBefore the empty cells queued just before this one: they finish when this cell starts (so cells
   * start in notebook order), or end unrun with it.
   */
  constructor(
    private readonly execution: vscode.NotebookCellExecution,
    private readonly kernelName: string,
    private readonly host: CellRunHost,
    private readonly emptyBefore: readonly vscode.NotebookCellExecution[] = [],
  ) {}

  /** Hands the cell to the registry in `group`; resolves true when it ran and succeeded, once its execution ended. */
  async run(group: RunGroup): Promise<boolean> {
    const { execution, host } = this;
    let success = false;
    try {
      const result = await host.registry.execute(host.spec(this.kernelName), execution.cell.document.getText(), {
        source: 'notebook',
        group,
        onStart: () => this.begin(),
        onOutput: (e) => this.onOutput(e),
        onStdin: (request) => host.askInput(request),
      });
      if (!this.started) {
        this.skip();
        return false;
      }
      success = result.status === 'ok';
      this.noteAbort(this.started, result);
      if (result.executionCount !== null) {
        execution.executionOrder = result.executionCount;
      }
    } catch (err) {
      // The kernel could not start (unknown kernelspec, no Python, server down): say so in the cell.
      this.showFailure(err);
    }
    await this.finish(success);
    return success;
  }

  /** Ends the cell, and the empty cells before it, without running them. */
  skip(): void {
    for (const empty of this.emptyBefore) {
      skipCell(empty, this.host.logger);
    }
    skipCell(this.execution, this.host.logger);
  }

  /** Shows `err` in the cell, which never reached the kernel (switching the notebook's kernel failed). */
  async fail(err: unknown): Promise<void> {
    this.showFailure(err);
    await this.finish(false);
  }

  /** The kernel starts the run: the empty cells before it finish, then it starts (clearing its old outputs). */
  private begin(): void {
    const { execution, host } = this;
    for (const empty of this.emptyBefore) {
      finishEmptyCell(empty, host.logger);
    }
    traceMark('notebook.cellStart');
    execution.start(Date.now());
    const target = new ExecutionOutputTarget(execution, (err) => host.logger.error(asError(err)));
    const writer = new CellOutputWriter(target, host.displays, execution.cell, host.timer);
    writer.start();
    this.started = { writer, target, generation: host.abortGeneration };
  }

  private showFailure(err: unknown): void {
    if (!this.started) {
      this.begin();
    }
    const error = asError(err);
    this.started?.writer.appendOutput(
      failureOutput(error.name === 'Error' ? 'KernelError' : error.name, error.message),
    );
  }

  private async finish(success: boolean): Promise<void> {
    if (!this.started) {
      return;
    }
    const { writer, target } = this.started;
    writer.finish();
    // The cell shows as finished only once its last outputs are in the notebook (a save or a reader right after
    // the end would otherwise miss the tail of a flood).
    await target.settled();
    // Ending fails only when VS Code dropped the execution (its notebook closed); the kernel run is over anyway.
    try {
      traceMark('notebook.cellEnd');
      this.execution.end(success, Date.now());
    } catch (err) {
      this.host.logger.warn(`Could not end a cell execution: ${asError(err).message}`);
    }
  }

  private onOutput(e: OutputEvent): void {
    const count = e.kind === 'output' ? e.output.execution_count : undefined;
    if (typeof count === 'number') {
      this.execution.executionOrder = count;
    }
    this.started?.writer.apply(e);
  }

  /** A run cut short by something other than the user (kernel died, input cancelled) says why in the cell. */
  private noteAbort(started: NonNullable<CellRun['started']>, result: ExecutionResult): void {
    if (result.status === 'aborted' && result.error && started.generation === this.host.abortGeneration) {
      started.writer.appendOutput(failureOutput(result.error.ename, result.error.evalue));
    }
  }
}

function asError(err: unknown): Error {
  return err instanceof Error ? err : new Error(String(err));
}
