/**
 * A notebook's outputs kept in memory, for driving `CellOutputWriter` without VS Code. Like VS Code it finds an
 * output by its handle across all cells and ignores handles that no longer exist; it also counts every edit.
 */
import type { OutputTarget } from '../../../src/notebook/cellOutputWriter';
import type { CellOutputData, OutputItemData } from '../../../src/notebook/outputMapping';

export interface FakeOutput {
  handle: number;
  data: CellOutputData;
}

export class FakeNotebook {
  readonly cells = new Map<string, FakeOutput[]>();
  /** Every edit, as `op:cell`, in order. */
  readonly edits: string[] = [];
  private nextHandle = 1;

  /** The target a run of `cell` writes through. */
  target(cell: string): OutputTarget<number> {
    const outputs = () => this.cells.get(cell) ?? [];
    return {
      clear: () => {
        this.edits.push(`clear:${cell}`);
        this.cells.set(cell, []);
      },
      append: (data) => {
        this.edits.push(`append:${cell}`);
        const output = { handle: this.nextHandle++, data: { ...data, items: [...data.items] } };
        this.cells.set(cell, [...outputs(), output]);
        return output.handle;
      },
      appendItems: (handle, items) => {
        this.edits.push(`appendItems:${cell}`);
        this.find(handle)?.data.items.push(...items);
      },
      replaceItems: (handle, items) => {
        this.edits.push(`replaceItems:${cell}`);
        const found = this.find(handle);
        if (found) {
          found.data.items = [...items];
        }
      },
    };
  }

  /** What a person reads in a cell: each output's text items joined (streams concatenated, as VS Code shows them). */
  texts(cell: string): string[] {
    return (this.cells.get(cell) ?? []).map((o) => o.data.items.map(itemText).join(''));
  }

  count(op: string): number {
    return this.edits.filter((e) => e.startsWith(`${op}:`)).length;
  }

  private find(handle: number): FakeOutput | undefined {
    for (const outputs of this.cells.values()) {
      const found = outputs.find((o) => o.handle === handle);
      if (found) {
        return found;
      }
    }
    return undefined;
  }
}

function itemText(item: OutputItemData): string {
  if (item.kind === 'text') {
    return item.text;
  }
  return item.kind === 'error' ? `${item.name}: ${item.message}` : `<${item.bytes.length} bytes>`;
}
