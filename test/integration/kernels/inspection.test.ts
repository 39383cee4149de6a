import * as assert from 'node:assert/strict';
import { listVariables, tablePage } from '../../../src/kernels/inspection/kernelInspector';
import type { KernelSession } from '../../../src/kernels/types';
import { useTestServer } from '../fixtures/localServer';
import { textOf } from './helpers';
import { expectTransport, factoryWith, TRANSPORTS } from './transports';

/** What the user can see of a Python kernel's state: the count, Out, _, the input history and the names. */
const PY_STATE = [
  'import json as __j',
  'print(__j.dumps({"count": get_ipython().execution_count, "out": repr(sorted(Out)), "under": repr(_),',
  '  "history": len(In), "names": sorted(n for n in dir() if n != "__j")}))',
  'del __j',
].join('\n');

async function pythonState(session: KernelSession): Promise<unknown> {
  const result = await session.execute(PY_STATE, { silent: true });
  assert.equal(result.status, 'ok', JSON.stringify(result.error));
  return JSON.parse(textOf(result));
}

for (const transport of TRANSPORTS)
  describe(`Kernel inspection over ${transport} (real server, real kernels)`, function () {
    this.timeout(90_000);
    const t = useTestServer();
    let session: KernelSession;

    beforeEach(async () => {
      session = await factoryWith(t.server, transport).start('python3');
      expectTransport(session, transport);
    });
    afterEach(() => session.shutdown());

    it('the variables query leaves execution_count, Out, _, In and dir() unchanged', async () => {
      await session.execute('x = 41\nd = {"k": [1, 2, 3]}');
      await session.execute('x + 1');
      const before = await pythonState(session);
      const list = await listVariables(session);
      await listVariables(session, [{ a: 'd' }]);
      await tablePage(session, [{ a: 'x' }], 0).catch(() => undefined); // an error inside leaves nothing either
      assert.deepEqual(await pythonState(session), before);
      assert.deepEqual(
        list.entries.map((e) => [e.name, e.type, e.value]),
        [
          ['x', 'int', '41'],
          ['d', 'dict', "{'k': [1, 2, 3]}"],
        ],
      );
      const next = await session.execute('x');
      assert.equal(next.executionCount, 3, 'the next run gets the count after the two user runs');
      assert.equal(session.executionCount, 3);
    });

    it('expands dicts, lists and object attributes, at most 500 entries a level, values cut to 200 characters', async () => {
      await session.execute(
        [
          'class P:\n    def __init__(self):\n        self.name = "p"\n        self.size = 3',
          'p = P()',
          'big = list(range(2000))',
          'long = "y" * 5000',
          'd = {"a": {"b": [10, 20]}}',
        ].join('\n'),
      );
      const top = await listVariables(session);
      const long = top.entries.find((e) => e.name === 'long');
      assert.equal(long?.size, '5000');
      assert.equal(long?.value.length, 200);
      assert.deepEqual(
        (await listVariables(session, [{ a: 'p' }])).entries.map((e) => [e.name, e.value]),
        [
          ['name', "'p'"],
          ['size', '3'],
        ],
      );
      const items = await listVariables(session, [{ a: 'big' }]);
      assert.deepEqual([items.total, items.entries.length, items.entries[499].value], [2000, 500, '499']);
      const inner = await listVariables(session, [{ a: 'd' }, { i: 0 }, { i: 0 }]);
      assert.deepEqual(
        inner.entries.map((e) => e.value),
        ['10', '20'],
      );
    });

    it('lists a 10-million-row DataFrame from its shape, without sending it, and pages and sorts it in the kernel', async () => {
      await session.execute(
        [
          'import numpy as np, pandas as pd',
          'df = pd.DataFrame({"a": np.arange(10_000_000), "b": np.arange(10_000_000)[::-1] * 0.5, "c": "x"})',
          'arr = np.arange(12).reshape(3, 4)',
        ].join('\n'),
      );
      const list = await listVariables(session);
      const df = list.entries.find((e) => e.name === 'df');
      assert.deepEqual([df?.type, df?.size, df?.table], ['DataFrame', '(10000000, 3)', 'dataframe']);
      assert.ok(JSON.stringify(list).length < 2000, 'the answer is a summary, not the frame');
      const columns = await listVariables(session, [{ a: 'df' }]);
      assert.deepEqual(
        columns.entries.map((e) => [e.name, e.type, e.size]),
        [
          ['a', 'Series', '(10000000,)'],
          ['b', 'Series', '(10000000,)'],
          ['c', 'Series', '(10000000,)'],
        ],
      );

      const page = await tablePage(session, [{ a: 'df' }], 5000, 200);
      assert.equal(page.rowCount, 10_000_000);
      assert.deepEqual(page.columns, [
        { name: 'a', dtype: 'int64' },
        { name: 'b', dtype: 'float64' },
        { name: 'c', dtype: 'object' },
      ]);
      assert.deepEqual([page.start, page.rows.length, page.labels[0], page.labels[199]], [5000, 200, '5000', '5199']);
      assert.deepEqual(page.rows[0], ['5000', String((10_000_000 - 1 - 5000) * 0.5), 'x']);
      const last = await tablePage(session, [{ a: 'df' }], 9_999_990, 200);
      assert.deepEqual([last.rows.length, last.rows[9][0]], [10, '9999999']);

      const sorted = await tablePage(session, [{ a: 'df' }], 0, 3, { column: 0, ascending: false });
      assert.deepEqual(
        sorted.rows.map((r) => r[0]),
        ['9999999', '9999998', '9999997'],
      );
      const byB = await tablePage(session, [{ a: 'df' }], 0, 2, { column: 1, ascending: true });
      assert.deepEqual(byB.labels, ['9999999', '9999998']);

      const arr = await tablePage(session, [{ a: 'arr' }], 1, 200);
      assert.deepEqual(
        [arr.rowCount, arr.columns.length, arr.rows],
        [
          3,
          4,
          [
            ['4', '5', '6', '7'],
            ['8', '9', '10', '11'],
          ],
        ],
      );
    });

    it('answers inspect_request on a live object, in UTF-16 offsets', async () => {
      await session.execute('def greet(name):\n    """Says hello to NAME."""\n    return name');
      const found = await session.inspect('greet', 3);
      assert.equal(found.found, true);
      assert.match(String(found.data['text/plain']), /Says hello to NAME/);
      assert.equal((await session.inspect('nothing_here', 5)).found, false);
      // Four emoji before the name: unconverted UTF-16 offsets would land four code points later, on `nope`.
      const code = '"😀😀😀😀"; greet; nope';
      const astral = await session.inspect(code, code.indexOf('; nope'));
      assert.match(String(astral.data['text/plain']), /Says hello to NAME/, 'the cursor counted in code points');
    });
  });

describe('Kernel inspection of an R kernel (real server, IRkernel)', function () {
  this.timeout(90_000);
  const t = useTestServer();

  it('lists a data.frame with its dimensions, pages it, and leaves the global environment and count unchanged', async () => {
    const session = await factoryWith(t.server, 'zmq').start('ir');
    try {
      const made = await session.execute('df <- data.frame(a = 1:1000, b = (1000:1) / 2, s = "x")\nn <- 3');
      assert.equal(made.status, 'ok', JSON.stringify(made.error));
      const list = await listVariables(session);
      assert.deepEqual(
        list.entries.map((e) => [e.name, e.type, e.size, e.table ?? '']),
        [
          ['df', 'data.frame', '(1000, 3)', 'data.frame'],
          ['n', 'numeric', '1', ''],
        ],
      );
      const page = await tablePage(session, [{ a: 'df' }], 500, 2);
      assert.deepEqual([page.rowCount, page.labels, page.rows[0]], [1000, ['501', '502'], ['501', '250.0', 'x']]);
      const sorted = await tablePage(session, [{ a: 'df' }], 0, 1, { column: 1, ascending: true });
      assert.deepEqual(sorted.labels, ['1000']);
      const after = await session.execute('cat(paste(ls(), collapse = ","))');
      assert.equal(textOf(after), 'df,n');
      assert.equal(after.executionCount, 2, 'the inspections used no execution count');
    } finally {
      await session.shutdown();
    }
  });
});
