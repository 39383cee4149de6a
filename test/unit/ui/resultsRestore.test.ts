import * as assert from 'node:assert/strict';
import { contextSpec } from '../../../src/kernels/contextSpec';
import type { RunView } from '../../../src/ui/results/outputView';
import { panelState, restoredPanel, RESTORE_LIMITS } from '../../../src/ui/results/resultsRestore';
import { FakeWebviewPanel, Uri } from '../../shared/vscodeDouble';
import { waitFor } from '../../shared/poll';
import { resultsPanelsHarness, type ResultsPanelsHarness } from './resultsPanelsHarness';

function run(id: number, outputs: RunView['outputs'] = [], extra: Partial<RunView> = {}): RunView {
  return { id, code: `x = ${id}`, executionCount: id, status: 'ok', durationMs: 3, outputs, droppedChars: 0, ...extra };
}
const text = (t: string) => ({ kind: 'stream' as const, name: 'stdout' as const, text: t });

/** What VS Code does with webview state: JSON, written by the webview, handed to the serializer after a reload. */
const throughVsCode = (state: unknown): unknown => JSON.parse(JSON.stringify(state));

describe('results panel state across a window reload (ui/results/resultsRestore)', () => {
  it('keeps the newest runs within the run and character bounds, oldest first', () => {
    const runs = Array.from({ length: 50 }, (_, i) => run(i + 1, [text(`out ${i + 1}\n`)]));
    const state = panelState('file:///w/a.py', runs);
    assert.equal(state.contextId, 'file:///w/a.py');
    assert.deepEqual(
      state.runs.map((r) => r.id),
      Array.from({ length: RESTORE_LIMITS.maxRuns }, (_, i) => 50 - RESTORE_LIMITS.maxRuns + i + 1),
    );
    assert.deepEqual(state.runs.at(-1)?.outputs, [text('out 50\n')]);

    const big = Array.from({ length: 10 }, (_, i) => run(i + 1, [text('y'.repeat(4000))]));
    const small = panelState('c', big, { maxRuns: 20, maxChars: 10_000 });
    assert.ok(JSON.stringify(small).length <= 10_000, `${JSON.stringify(small).length} chars`);
    assert.deepEqual(
      small.runs.map((r) => r.id),
      [9, 10],
      'the newest that fit, whole',
    );
  });

  it('a run whose outputs do not all fit keeps those that do and says how many it lost', () => {
    const image = { kind: 'image' as const, mime: 'image/png', data: 'A'.repeat(20_000) };
    const state = panelState('c', [run(1, [text('before\n'), image, text('after\n')])], { maxRuns: 5, maxChars: 2000 });
    assert.deepEqual(state.runs[0].outputs, [text('before\n'), text('after\n')]);
    assert.match(state.runs[0].message ?? '', /1 output was too large to keep across the window reload/);
    assert.ok(JSON.stringify(state).length <= 2000);
  });

  it('brings runs back marked restored, below zero in order, a running one cut off by the reload', () => {
    const saved = throughVsCode(
      panelState('file:///w/a.py', [
        run(7, [text('7\n')]),
        run(8, [text('part')], { status: 'running', executionCount: null, durationMs: undefined, droppedChars: 12 }),
      ]),
    );
    const back = restoredPanel(saved);
    assert.equal(back?.contextId, 'file:///w/a.py');
    assert.deepEqual(
      back?.runs.map((r) => [r.id, r.status, r.restored, r.droppedChars]),
      [
        [-2, 'ok', true, 0],
        [-1, 'aborted', true, 0],
      ],
    );
    assert.deepEqual(back?.runs[0].outputs, [text('7\n')]);
    assert.match(back?.runs[1].message ?? '', /The window reloaded while this ran/);
    assert.match(back?.runs[1].message ?? '', /12 characters past the panel's bound were not kept/);
  });

  it('ignores state that is not a results panel state, and outputs or runs of the wrong shape', () => {
    for (const bad of [
      undefined,
      null,
      'x',
      [],
      {},
      { version: 2, contextId: 'a', runs: [] },
      { version: 1, runs: [] },
    ]) {
      assert.equal(restoredPanel(bad), undefined, JSON.stringify(bad));
    }
    const back = restoredPanel({
      version: 1,
      contextId: 'agent:x',
      runs: [
        { id: 1 },
        run(2, [text('ok'), { kind: 'script', src: 'x' } as never, { kind: 'html', html: 3 } as never]),
        'junk',
      ],
    });
    assert.deepEqual(back?.runs.length, 1);
    assert.deepEqual(back?.runs[0].outputs, [text('ok')]);
    assert.deepEqual(restoredPanel({ version: 1, contextId: 'agent:y' })?.runs, [], 'an empty panel comes back empty');
  });
});

describe('results panels restored after a window reload (ResultsPanels serializer)', () => {
  let h: ResultsPanelsHarness;
  let registry: ResultsPanelsHarness['registry'];
  let panels: ResultsPanelsHarness['panels'];
  let created: FakeWebviewPanel[];
  let serializers: ResultsPanelsHarness['serializers'];
  beforeEach(() => {
    h = resultsPanelsHarness();
    ({ registry, panels, created, serializers } = h);
  });
  afterEach(() => h.done());

  const saved = (contextId: string) =>
    throughVsCode(panelState(contextId, [run(3, [text('before the reload\n')]), run(4, [text('41\n')])]));

  it('registers for the results view type; a restored panel shows its saved runs, then the context’s new runs', async () => {
    const serializer = serializers.get('kernelIslands.results');
    assert.ok(serializer, 'a serializer for kernelIslands.results');
    const panel = new FakeWebviewPanel();
    await serializer.deserializeWebviewPanel(panel, saved('file:///w/a.py'));
    assert.equal(panel.disposed, false);
    assert.match(panel.webview.html, /<script nonce=/, 'the page is set again');
    assert.deepEqual(panel.webview.options, { enableScripts: true, localResourceRoots: [Uri.file('/ext/media')] });

    panel.send({ type: 'ready' });
    const reset = panel.last('reset') as { runs: RunView[]; contextId: string };
    assert.equal(reset.contextId, 'file:///w/a.py', 'the page learns whose runs it saves');
    assert.deepEqual(
      reset.runs.map((r) => [r.id, r.restored, r.outputs]),
      [
        [-2, true, [text('before the reload\n')]],
        [-1, true, [text('41\n')]],
      ],
    );

    await registry.execute(contextSpec({ id: 'file:///w/a.py' }), 'print(x)');
    // The panel posts run updates throttled: wait for the one of this run.
    const update = await waitFor('the new run posted to the restored panel', () => {
      const last = panel.last<{ run: RunView } | undefined>('run');
      return last?.run.code === 'print(x)' ? last : undefined;
    });
    assert.equal(update.run.code, 'print(x)', 'the new run reaches the restored panel');
    assert.equal(update.run.restored, undefined);
    assert.deepEqual(
      panels.runsOf('file:///w/a.py').map((r) => r.id),
      [-2, -1, update.run.id],
    );
    panels.show('file:///w/a.py');
    assert.equal(created.length, 0, 'showing the context reveals the restored panel, no second one');
  });

  it('closes a panel without usable state, and one whose context has a panel again (its runs go to that one)', async () => {
    const serializer = serializers.get('kernelIslands.results')!;
    const stateless = new FakeWebviewPanel();
    await serializer.deserializeWebviewPanel(stateless, undefined);
    assert.equal(stateless.disposed, true);

    panels.show('agent:x');
    const open = created[0];
    open.send({ type: 'ready' });
    const late = new FakeWebviewPanel();
    await serializer.deserializeWebviewPanel(late, saved('agent:x'));
    assert.equal(late.disposed, true);
    const reset = open.last<{ runs: RunView[] }>('reset');
    assert.deepEqual(
      reset.runs.map((r) => r.id),
      [-2, -1],
      'the open panel shows the saved runs',
    );
    await serializer.deserializeWebviewPanel(new FakeWebviewPanel(), saved('agent:x'));
    assert.equal(panels.runsOf('agent:x').length, 2, 'restored once');
  });
});
