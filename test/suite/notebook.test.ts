/**
 * Notebooks in a real VS Code: each .ipynb runs in a kernel of its own through the `kernel-islands:<spec>`
 * controllers, with VS Code's own Run All / Run Cell commands, and outputs mapped like Jupyter shows them.
 */
import * as assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import * as vscode from 'vscode';
import {
  cellError,
  cellItems,
  cellText,
  notebookSuite,
  plain,
  runAll,
  runCellAndWait,
  waitForCells,
} from './notebookUtil';
import { waitFor } from '../shared/poll';
import { findContext } from './util';

const SLEEP_S = 3;

function orders(notebook: vscode.NotebookDocument): Array<number | undefined> {
  return notebook.getCells().map((cell) => cell.executionSummary?.executionOrder);
}

/** The `execution_count` each cell's metadata holds: what the ipynb serializer saves. */
function metadataCounts(notebook: vscode.NotebookDocument): unknown[] {
  return notebook.getCells().map((cell) => (cell.metadata as { execution_count?: unknown }).execution_count);
}

export function notebookTests(): void {
  suite('notebooks: a kernel per notebook', () => {
    const fixture = notebookSuite();
    const open = fixture.open;

    test('two notebooks Run All at the same time, each with its own x', async () => {
      const sleepThenPrint = `import time\ntime.sleep(${SLEEP_S})\nprint(x)`;
      const a = await open('island_a.ipynb', ['x = 1', sleepThenPrint], vscode.ViewColumn.One);
      const b = await open('island_b.ipynb', ['x = 2', sleepThenPrint], vscode.ViewColumn.Two);
      const since = Date.now();
      await Promise.all([runAll(a), runAll(b)]);
      await Promise.all([waitForCells(a, [0, 1], since), waitForCells(b, [0, 1], since)]);

      assert.equal(cellText(a.cellAt(1)), '1\n');
      assert.equal(cellText(b.cellAt(1)), '2\n');
      const [ta, tb] = [a.cellAt(1).executionSummary?.timing, b.cellAt(1).executionSummary?.timing];
      assert.ok(ta && tb, 'both cells should carry start and end times');
      assert.ok(ta.startTime < tb.endTime && tb.startTime < ta.endTime, 'the two sleeps should overlap in time');
      const [ca, cb] = [findContext(fixture.api, a.uri), findContext(fixture.api, b.uri)];
      assert.ok(ca && cb, 'each notebook should be a context');
      assert.notEqual(ca.kernelId, cb.kernelId);
    });

    test('execution order comes from each notebook’s own kernel', async () => {
      const [a, b] = fixture.opened;
      assert.deepEqual(orders(a), [1, 2], 'first Run All in notebook a');
      assert.deepEqual(orders(b), [1, 2], 'first Run All in notebook b: its own count, not continuing a’s');
      const since = Date.now();
      await runAll(a);
      await waitForCells(a, [0, 1], since);
      assert.deepEqual(orders(a), [3, 4]);
      assert.deepEqual(orders(b), [1, 2]);
    });

    test('an error shows its traceback and stops the cells queued after it', async () => {
      const nb = await open('errors.ipynb', ['def f():\n    return 1 / 0\nf()', 'y = 5', 'print("y" in globals())']);
      const since = Date.now();
      await runAll(nb);
      await waitForCells(nb, [0, 1, 2], since);
      const error = cellError(nb.cellAt(0));
      assert.ok(error, 'the failing cell should show an error output');
      assert.equal(error.name, 'ZeroDivisionError');
      assert.equal(error.message, 'division by zero');
      assert.match(plain(error.stack), /return 1 \/ 0/);
      assert.equal(nb.cellAt(0).executionSummary?.success, false);
      for (const i of [1, 2]) {
        assert.equal(nb.cellAt(i).executionSummary?.success, false, `cell ${i} should end unsuccessfully`);
        assert.equal(nb.cellAt(i).executionSummary?.executionOrder, undefined, `cell ${i} should not have run`);
      }
      const check = await runCellAndWait(nb, 2);
      assert.equal(cellText(check), 'False\n', 'y = 5 must not have run');
    });

    test('empty and whitespace-only cells are skipped as in Jupyter: nothing runs, no execution count, the queue goes on', async () => {
      const nb = await open('empty-cells.ipynb', ['x = 41', '', '  \n\t\n', 'print(x + 1)']);
      const since = Date.now();
      await runAll(nb);
      await waitForCells(nb, [0, 1, 2, 3], since);
      for (const i of [1, 2]) {
        const summary = nb.cellAt(i).executionSummary;
        assert.equal(summary?.success, true, `empty cell ${i} ends successfully`);
        assert.equal(summary?.executionOrder, undefined, `empty cell ${i} keeps no execution count`);
        assert.equal(nb.cellAt(i).outputs.length, 0);
      }
      assert.equal(cellText(nb.cellAt(3)), '42\n', 'the cell after the empty ones ran');
      assert.deepEqual(orders(nb), [1, undefined, undefined, 2]);
    });

    test('a saved notebook keeps its outputs as nbformat (round trip through the ipynb serializer)', async () => {
      const nb = await open('saved.ipynb', ['print("out")\n6 * 7', '1 / 0']);
      const since = Date.now();
      await runAll(nb);
      await waitForCells(nb, [0], since);
      await runCellAndWait(nb, 1);
      await nb.save();
      const saved = JSON.parse(await readFile(nb.uri.fsPath, 'utf8')) as {
        cells: Array<{ execution_count: number | null; outputs: Array<Record<string, unknown>> }>;
      };
      const [first, second] = saved.cells;
      assert.equal(
        first.execution_count,
        nb.cellAt(0).executionSummary?.executionOrder,
        `cells' metadata counts now: ${JSON.stringify(metadataCounts(nb))}, their orders: ${JSON.stringify(orders(nb))}`,
      );
      assert.deepEqual(first.outputs[0], { output_type: 'stream', name: 'stdout', text: ['out\n'] });
      assert.equal(first.outputs[1].output_type, 'execute_result');
      assert.equal(first.outputs[1].execution_count, first.execution_count);
      assert.deepEqual(first.outputs[1].data, { 'text/plain': ['42'] });
      assert.equal(second.outputs[0].output_type, 'error');
      assert.equal(second.outputs[0].ename, 'ZeroDivisionError');
      assert.ok((second.outputs[0].traceback as string[]).length > 1, 'the traceback is saved line by line');
    });

    test('Run All of quick cells, saved at once: every cell keeps its execution count in the file', async () => {
      // The ipynb extension alone keeps only the last of several counts that land within its 200 ms debounce.
      const nb = await open('counts.ipynb', ['a = 1', 'b = 2', 'c = 3', 'a + b + c']);
      const since = Date.now();
      await runAll(nb);
      await waitForCells(nb, [0, 1, 2, 3], since);
      // Written once the runs end, not only at the save: a notebook saved by another extension or tool keeps them.
      await waitFor('every cell to have its execution count in its metadata', () =>
        metadataCounts(nb).every((count, i) => count === orders(nb)[i]),
      );
      await nb.save();
      const saved = JSON.parse(await readFile(nb.uri.fsPath, 'utf8')) as {
        cells: Array<{ execution_count: number | null }>;
      };
      const ran = orders(nb);
      assert.equal(ran.length, 4);
      assert.ok(
        ran.every((n) => typeof n === 'number'),
        `every cell ran: ${JSON.stringify(ran)}`,
      );
      assert.deepEqual(
        saved.cells.map((c) => c.execution_count),
        ran,
      );
    });

    test('clear_output(wait=True) in a loop ends with a single output', async () => {
      const loop =
        'import time\nfrom IPython.display import clear_output\nfor i in range(20):\n' +
        '    clear_output(wait=True)\n    print(f"step {i}")\n    time.sleep(0.01)';
      const nb = await open('progress.ipynb', [loop]);
      const cell = await runCellAndWait(nb, 0);
      assert.equal(cell.outputs.length, 1, `expected one output, got ${JSON.stringify(cellItems(cell))}`);
      assert.equal(cellText(cell), 'step 19\n');
    });

    test('update_display_data from a later cell updates the earlier output', async () => {
      const nb = await open('display.ipynb', [
        'from IPython.display import display\nh = display("first", display_id=True)',
        'h.update("updated later")',
      ]);
      const since = Date.now();
      await runAll(nb);
      await waitForCells(nb, [0, 1], since);
      assert.equal(cellText(nb.cellAt(1)), '', 'the updating cell shows nothing itself');
      assert.equal(cellText(nb.cellAt(0)), "'updated later'");
    });

    test('restart clears the notebook’s state', async () => {
      const nb = await open('restart.ipynb', ['z = 42', 'print("z" in globals())']);
      await runCellAndWait(nb, 0);
      assert.equal(cellText(await runCellAndWait(nb, 1)), 'True\n');
      await vscode.commands.executeCommand('kernelIslands.notebook.restartKernel', nb.uri);
      assert.equal(cellText(await runCellAndWait(nb, 1)), 'False\n');
    });
  });
}
