/**
 * Notebooks at scale and with rich output: Run All of 50 cells in order, a failure in the middle stopping the rest,
 * a matplotlib figure as PNG bytes, 10k flushed prints arriving as a handful of cell updates, and 100k printed
 * lines kept whole.
 */
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { cellItems, cellText, notebookSuite, runAll, runCellAndWait, waitForCells } from './notebookUtil';

const CELLS = 50;
const FAILING_CELL = 30;
const FLOOD_LINES = 100_000;
/**
 * Flushed prints each cost an iopub message; far beyond this, ZMQ's high-water mark on iopub starts dropping
 * messages (measured with plain jupyter_client here: 10k arrive whole, 100k lose messages, even the final idle).
 */
const FLUSHED_LINES = 10_000;
const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47];

export function notebookScaleTests(): void {
  suite('notebooks: Run All of 50 cells, images, floods', () => {
    const { open } = notebookSuite();

    test('Run All of 50 cells runs them in order, once each', async () => {
      const sources = Array.from({ length: CELLS }, (_, i) => `seen = globals().get("seen", []) + [${i}]\nprint(${i})`);
      const nb = await open('fifty.ipynb', sources);
      const since = Date.now();
      await runAll(nb);
      const all = Array.from({ length: CELLS }, (_, i) => i);
      await waitForCells(nb, all, since);
      const orders = all.map((i) => nb.cellAt(i).executionSummary?.executionOrder);
      assert.deepEqual(
        orders,
        all.map((i) => (orders[0] ?? 0) + i),
        'execution order is consecutive, in cell order',
      );
      assert.deepEqual(
        all.map((i) => cellText(nb.cellAt(i))),
        all.map((i) => `${i}\n`),
      );
      const check = await runCellAndWait(nb, CELLS - 1);
      assert.equal(cellText(check), `${CELLS - 1}\n`);
    });

    test('a failing cell in the middle of Run All stops the cells after it', async () => {
      const sources = Array.from({ length: CELLS }, (_, i) =>
        i === FAILING_CELL ? 'raise ValueError("stop here")' : `n = ${i}`,
      );
      const nb = await open('fifty_fail.ipynb', [...sources, 'print(n)']);
      const since = Date.now();
      await runAll(nb);
      await waitForCells(
        nb,
        Array.from({ length: CELLS + 1 }, (_, i) => i),
        since,
      );
      for (let i = 0; i < FAILING_CELL; i++) {
        assert.equal(nb.cellAt(i).executionSummary?.success, true, `cell ${i} should have run`);
      }
      for (let i = FAILING_CELL; i <= CELLS; i++) {
        assert.equal(nb.cellAt(i).executionSummary?.success, false, `cell ${i} should end unsuccessfully`);
      }
      assert.equal(nb.cellAt(FAILING_CELL + 1).executionSummary?.executionOrder, undefined, 'cells after it never ran');
      const check = await runCellAndWait(nb, CELLS);
      assert.equal(cellText(check), `${FAILING_CELL - 1}\n`, 'n keeps the value of the last cell that ran');
    });

    test('a matplotlib figure arrives as PNG bytes', async () => {
      const plot = '%matplotlib inline\nimport matplotlib.pyplot as plt\nplt.plot([1, 3, 2])\nplt.show()';
      const nb = await open('plot.ipynb', [plot]);
      const cell = await runCellAndWait(nb, 0);
      const png = cell.outputs.flatMap((o) => o.items).find((item) => item.mime === 'image/png');
      assert.ok(
        png,
        `expected an image/png item, got ${JSON.stringify(
          cellItems(cell)
            .flat()
            .map((i) => i.mime),
        )}`,
      );
      assert.deepEqual([...png.data.slice(0, 4)], PNG_SIGNATURE);
      assert.ok(png.data.length > 1000, 'a real figure, not an empty image');
    });

    test('10k flushed prints arrive whole, as a handful of cell updates', async () => {
      // Each flushed print is its own iopub message, so this is what the coalescing buffer is for.
      const flood = `for i in range(${FLUSHED_LINES}):\n    print(i, flush=True)`;
      const nb = await open('flood.ipynb', [flood]);
      let updates = 0;
      const counter = vscode.workspace.onDidChangeNotebookDocument((e) => {
        if (e.notebook === nb) {
          updates += e.cellChanges.filter((c) => c.outputs !== undefined).length;
        }
      });
      try {
        const cell = await runCellAndWait(nb, 0);
        const text = cellText(cell);
        assert.equal(cell.outputs.length, 1, 'one stream output');
        assert.equal(text, Array.from({ length: FLUSHED_LINES }, (_, i) => `${i}\n`).join(''));
        assert.ok(updates < FLUSHED_LINES / 20, `${updates} output updates for ${FLUSHED_LINES} prints`);
      } finally {
        counter.dispose();
      }
    });

    test('100k printed lines end up whole in one output', async () => {
      const nb = await open('flood100k.ipynb', [`for i in range(${FLOOD_LINES}):\n    print(i)`]);
      const cell = await runCellAndWait(nb, 0);
      const text = cellText(cell);
      assert.equal(cell.outputs.length, 1, 'one stream output');
      assert.equal(text.split('\n').length, FLOOD_LINES + 1);
      assert.ok(text.startsWith('0\n1\n2\n') && text.endsWith(`${FLOOD_LINES - 1}\n`));
    });
  });
}
