import * as assert from 'node:assert/strict';
import { cellMarkerRegExp, parseCells } from '../../../src/editor/cells';
import { EditorRunner } from '../../../src/editor/editorRunner';
import { inlineSummary } from '../../../src/editor/inlineResultText';
import { RunLocations } from '../../../src/editor/runLocations';
import { ContextRegistry } from '../../../src/kernels/registry/contextRegistry';
import type { ExecutionResult } from '../../../src/kernels/types';
import { FakeFactory } from '../kernels/fakes';
import { FakeTimer } from '../fakeTimer';
import { waitFor } from '../../shared/poll';

const SOURCE = ['# %%', 'a = 1', '# %%', 'raise ValueError("stop")', '# %%', 'c = 3', '# %%', 'd = 4'];
const doc = { uri: { toString: () => 'file:///work/cells.py' } };
const spec = { id: 'file:///work/cells.py', kind: 'file' as const, label: 'cells.py', cwd: '/work' };

describe('EditorRunner Run Below (fake kernel, real registry)', () => {
  let factory: FakeFactory;
  let registry: ContextRegistry;
  let locations: RunLocations;
  /** Each inline result's text, by its last line. */
  let inline: Map<number, string>;
  let runner: EditorRunner;

  beforeEach(() => {
    factory = new FakeFactory();
    factory.manual = true;
    registry = new ContextRegistry({ factory, timer: new FakeTimer() });
    locations = new RunLocations();
    inline = new Map();
    const lines = SOURCE;
    const deps = {
      registry,
      contexts: { forDocument: () => spec },
      cells: { of: () => ({ lines, cells: parseCells(lines, cellMarkerRegExp('^\\s*#\\s*%%', 'python')) }) },
      inline: {
        start: (_doc: unknown, _first: number, last: number) => {
          inline.set(last, 'running');
          return {
            finish: (r: ExecutionResult) => inline.set(last, inlineSummary(r).text),
            fail: (message: string) => inline.set(last, `failed: ${message}`),
          };
        },
      },
      locations,
      stdin: async () => undefined,
      statements: {},
    };
    runner = new EditorRunner(deps as never);
  });
  afterEach(() => registry.disposeAsync());

  it('queues the cells as one group: one in the kernel at a time, and the ones after a failure show as not run', async () => {
    const editor = { document: doc, selection: { active: { line: 0 } } };
    const done = runner.runBelow(editor as never, 1);
    await waitFor('the first cell in the kernel', () => factory.started[0]?.pendingCount === 1, 2000, 1);
    const [session] = factory.started;
    assert.deepEqual([...inline.keys()], [1, 3, 5, 7], 'every cell shows its inline result at once');
    session.answerNext();
    await waitFor('the second cell in the kernel', () => session.pendingCode[0]?.startsWith('raise'), 2000, 1);
    assert.equal(session.pendingCount, 1);
    session.failNext('stop');
    const last = await done;
    assert.equal(last?.error?.evalue, 'stop', 'Run Below resolves the failing result');
    assert.deepEqual(
      [...inline.values()],
      [
        'a = 1',
        '✗ ValueError: stop',
        '✗ Aborted: not run: an earlier cell failed',
        '✗ Aborted: not run: an earlier cell failed',
      ],
    );
    assert.deepEqual(session.userCode, ['a = 1', 'raise ValueError("stop")']);
    assert.deepEqual(
      locations.resolve(spec.id, 2, 1),
      { uri: doc.uri.toString(), line: 3 },
      'the failing cell is located',
    );
  });
});
