/**
 * The thin VS Code side of the output mapping: plain {@link CellOutputData} → `NotebookCellOutput`, and an
 * {@link OutputTarget} that writes through a `NotebookCellExecution`.
 */
import * as vscode from 'vscode';
import { traceMark } from '../common/trace';
import type { OutputTarget } from './cellOutputWriter';
import type { CellOutputData, OutputItemData } from './outputMapping';

function toVsItem(item: OutputItemData): vscode.NotebookCellOutputItem {
  switch (item.kind) {
    case 'text':
      return vscode.NotebookCellOutputItem.text(item.text, item.mime);
    case 'bytes':
      return new vscode.NotebookCellOutputItem(item.bytes, item.mime);
    case 'error':
      return vscode.NotebookCellOutputItem.error({ name: item.name, message: item.message, stack: item.stack });
  }
}

function toVsOutput(output: CellOutputData): vscode.NotebookCellOutput {
  return new vscode.NotebookCellOutput(output.items.map(toVsItem), { ...output.metadata });
}

/**
 * Writes a run's outputs through its cell execution. The execution's edit calls are queued in call order by VS
 * Code, so they are not awaited one by one; their failures go to `onError`. A display update may name an output
 * of another cell: VS Code finds outputs by id across the notebook and skips ids that no longer exist.
 */
export class ExecutionOutputTarget implements OutputTarget<vscode.NotebookCellOutput> {
  private readonly inFlight = new Set<Promise<void>>();

  constructor(
    private readonly execution: vscode.NotebookCellExecution,
    private readonly onError: (err: unknown) => void,
  ) {}

  clear(): void {
    this.track(this.execution.clearOutput());
  }

  append(output: CellOutputData): vscode.NotebookCellOutput {
    const vsOutput = toVsOutput(output);
    traceMark('notebook.appendOutput');
    this.track(this.execution.appendOutput(vsOutput));
    return vsOutput;
  }

  appendItems(handle: vscode.NotebookCellOutput, items: OutputItemData[]): void {
    this.track(this.execution.appendOutputItems(items.map(toVsItem), handle));
  }

  replaceItems(handle: vscode.NotebookCellOutput, items: OutputItemData[]): void {
    this.track(this.execution.replaceOutputItems(items.map(toVsItem), handle));
  }

  /** Resolves when every edit made so far has been applied (or failed and was reported). */
  async settled(): Promise<void> {
    while (this.inFlight.size > 0) {
      await Promise.all([...this.inFlight]);
    }
  }

  private track(edit: Thenable<void>): void {
    const applied: Promise<void> = Promise.resolve(edit)
      .catch(this.onError)
      .finally(() => this.inFlight.delete(applied));
    this.inFlight.add(applied);
  }
}
