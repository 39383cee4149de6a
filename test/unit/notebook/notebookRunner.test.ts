import * as assert from 'node:assert/strict';
import { nullLogger } from '../../../src/common/log';
import { ContextRegistry } from '../../../src/kernels/registry/contextRegistry';
import { NotebookRunner } from '../../../src/notebook/notebookRunner';
import { FakeFactory, type FakeSession } from '../kernels/fakes';
import { FakeTimer } from '../fakeTimer';
import { waitFor } from '../../shared/poll';

const CODE = 2;

type Cell = { kind: number; index: number; document: { getText(): string } };

/** A cell execution as VS Code's: records `start:<code>` and `end:<code>:<success>` in the shared log. */
class FakeExecution {
  executionOrder: number | undefined;
  outputs = 0;

  constructor(
    readonly cell: Cell,
    private readonly log: string[],
  ) {}

  private get name(): string {
    return this.cell.document.getText().trim() || `empty${this.cell.index}`;
  }

  start(): void {
    this.log.push(`start:${this.name}`);
  }

  end(success: boolean): void {
    this.log.push(`end:${this.name}:${success}`);
  }

  async clearOutput(): Promise<void> {}

  async appendOutput(): Promise<void> {
    this.outputs++;
  }
}

const settle = () => new Promise<void>((resolve) => setImmediate(resolve));

describe('NotebookRunner (fake kernels, real registry)', () => {
  let factory: FakeFactory;
  let registry: ContextRegistry;
  let runner: NotebookRunner;
  let log: string[];
  let executions: FakeExecution[];
  const notebook = { uri: { toString: () => 'file:///work/a.ipynb' } };
  const controller = {
    createNotebookCellExecution: (cell: Cell) => {
      const execution = new FakeExecution(cell, log);
      executions.push(execution);
      return execution;
    },
  };
  const cells = (...codes: string[]): Cell[] =>
    codes.map((code, index) => ({ kind: CODE, index, document: { getText: () => code } }));
  const run = (...codes: string[]) =>
    runner.execute(cells(...codes) as never, notebook as never, 'python3', controller as never);
  const starts = () => log.filter((l) => l.startsWith('start:')).map((l) => l.slice('start:'.length));
  /** Each cell's end, in cell order (`end` is called once per cell). */
  const ends = () =>
    log
      .filter((l) => l.startsWith('end:'))
      .map((l) => l.slice('end:'.length))
      .sort();
  const session = (): FakeSession => factory.started[0];
  /** Lets the pipeline hand the next run to the kernel. */
  const answer = async (ok = true) => {
    if (ok) {
      session().answerNext();
    } else {
      session().failNext();
    }
    await settle();
    await settle();
  };

  beforeEach(() => {
    factory = new FakeFactory();
    factory.manual = true;
    registry = new ContextRegistry({ factory, timer: new FakeTimer() });
    log = [];
    executions = [];
    runner = new NotebookRunner(registry, {
      specs: {
        forNotebook: (_nb, kernelName) => ({
          id: notebook.uri.toString(),
          kind: 'notebook',
          label: 'a.ipynb',
          kernelName,
        }),
        chooseKernel: () => undefined,
      },
      timer: new FakeTimer(),
      logger: nullLogger,
      askInput: async () => undefined,
      prompt: async () => undefined,
    });
  });
  afterEach(async () => {
    runner.dispose();
    await registry.disposeAsync();
  });

  it('Run All: cells start one at a time, in order; a failure ends the cells behind it unrun', async () => {
    run('c0', 'c1', 'c2', 'c3', 'c4');
    await settle();
    assert.deepEqual(session().pendingCode, ['c0'], 'one cell in the kernel at a time');
    await answer();
    await answer();
    await answer(false);
    // A cell's execution ends once its outputs are written, which may be just after the next cell started.
    assert.deepEqual(starts(), ['c0', 'c1', 'c2']);
    assert.deepEqual(ends(), ['c0:true', 'c1:true', 'c2:false', 'c3:false', 'c4:false']);
    assert.deepEqual(session().userCode, ['c0', 'c1', 'c2'], 'the skipped cells never reached the kernel');
    assert.deepEqual(
      executions.map((e) => [e.executionOrder, e.outputs]),
      [
        [1, 0],
        [2, 0],
        [3, 0],
        [undefined, 0],
        [undefined, 0],
      ],
      'skipped cells keep no count and get no output',
    );
  });

  it('empty cells start between their neighbours, send nothing, and end unrun after a failure', async () => {
    run('c0', '', 'c1', ' ');
    await settle();
    await answer();
    assert.deepEqual(starts(), ['c0', 'empty1', 'c1']);
    await answer(false);
    assert.ok(log.includes('end:empty1:true'), log.join(' '));
    assert.equal(log.at(-1), 'end:empty3:false', 'the empty cell after the failure ends unrun');
    assert.ok(!log.includes('start:empty3'));
    assert.deepEqual(session().userCode, ['c0', 'c1']);
  });

  it('a cell queued by a second request while one fails ends unrun too, as in Jupyter', async () => {
    run('c0');
    run('c1');
    await settle();
    assert.deepEqual(session().pendingCode, ['c0']);
    await answer(false);
    assert.deepEqual([starts(), ends()], [['c0'], ['c0:false', 'c1:false']]);
    run('c2');
    await settle();
    await answer();
    assert.deepEqual(
      [starts(), ends()],
      [
        ['c0', 'c2'],
        ['c0:false', 'c1:false', 'c2:true'],
      ],
      'c2 came after',
    );
  });

  it('the stop button ends the waiting cells unrun at once; the running one ends as its kernel says', async () => {
    run('c0', 'c1', 'c2');
    await settle();
    await runner.interrupt(notebook as never);
    await settle();
    assert.deepEqual(log, ['start:c0', 'end:c1:false', 'end:c2:false']);
    await answer();
    assert.deepEqual(log.slice(3), ['end:c0:true']);
    assert.deepEqual(session().userCode, ['c0']);
  });

  it('cells for another kernelspec wait for the cells before them, then get a fresh kernel of that spec', async () => {
    run('c0');
    await settle();
    runner.execute(cells('r0') as never, notebook as never, 'ir', controller as never);
    await settle();
    assert.equal(session().shutdowns, 0, 'c0 still runs in python3');
    await answer();
    await waitFor('the ir kernel to start', () => factory.started.length === 2, 2000, 1);
    assert.equal(factory.started[0].shutdowns, 1);
    assert.deepEqual(
      factory.started.map((s) => s.kernelName),
      ['python3', 'ir'],
    );
    await waitFor('r0 to reach the ir kernel', () => factory.started[1].pendingCount === 1, 2000, 1);
    factory.started[1].answerNext();
    await waitFor('r0 to end', () => ends().length === 2, 2000, 1);
    assert.deepEqual(
      [starts(), ends()],
      [
        ['c0', 'r0'],
        ['c0:true', 'r0:true'],
      ],
    );
  });
});
