import * as assert from 'node:assert/strict';
import { contextSpec } from '../../../src/kernels/contextSpec';
import type { ExecutionResult, OutputEvent } from '../../../src/kernels/types';
import { PanelReveal } from '../../../src/ui/results/panelReveal';
import type { RunView } from '../../../src/ui/results/outputView';
import { type FakeSession } from '../kernels/fakes';
import type { FakeWebviewPanel } from '../../shared/vscodeDouble';
import { resultsPanelsHarness, type ResultsPanelsHarness } from './resultsPanelsHarness';
import { FakeTimer } from '../fakeTimer';

const DELAYS = { settleMs: 50, maxWaitMs: 200 };
const stdout = (text: string): OutputEvent => ({
  kind: 'output',
  output: { output_type: 'stream', name: 'stdout', text },
});
/** The panel's throttled updates go on the real clock. */
const flushed = () => new Promise((resolve) => setTimeout(resolve, 150));

describe('PanelReveal (a new results panel waits for its run’s inline result)', () => {
  function setUp() {
    const timer = new FakeTimer();
    const shown: string[] = [];
    return { timer, shown, reveal: new PanelReveal((id) => shown.push(id), timer, DELAYS) };
  }

  it('shows the panel settleMs after the run ended, not when it started', () => {
    const { timer, shown, reveal } = setUp();
    reveal.started('a');
    timer.advance(10);
    reveal.ended('a');
    timer.advance(DELAYS.settleMs - 1);
    assert.deepEqual(shown, []);
    timer.advance(1);
    assert.deepEqual(shown, ['a']);
    timer.advance(1000);
    assert.deepEqual(shown, ['a'], 'once');
  });

  it('shows the panel of a run still going after maxWaitMs; more starts do not push it back', () => {
    const { timer, shown, reveal } = setUp();
    reveal.started('a');
    timer.advance(150);
    reveal.started('a');
    timer.advance(DELAYS.maxWaitMs - 151);
    assert.deepEqual(shown, []);
    timer.advance(1);
    assert.deepEqual(shown, ['a']);
  });

  it('ignores ends of contexts that wait for nothing; a cancelled or disposed wait shows nothing', () => {
    const { timer, shown, reveal } = setUp();
    reveal.ended('a');
    reveal.started('b');
    reveal.cancel('b');
    reveal.started('c');
    reveal.dispose();
    timer.advance(1000);
    assert.deepEqual(shown, []);
    assert.equal(timer.pendingCount, 0);
  });

  it('a renamed context’s panel comes under its new id', () => {
    const { timer, shown, reveal } = setUp();
    reveal.started('untitled:1');
    reveal.move('untitled:1', 'file:///w/a.py');
    reveal.move('nothing', 'else');
    timer.advance(1000);
    assert.deepEqual(shown, ['file:///w/a.py']);
  });
});

describe('ResultsPanels: the first run of a new context is drawn inline before its panel is built', () => {
  let h: ResultsPanelsHarness;
  let timer: FakeTimer;
  let order: string[];
  beforeEach(() => {
    timer = new FakeTimer();
    order = [];
    h = resultsPanelsHarness({ timer, onCreate: () => order.push('panel') });
  });
  afterEach(() => h.done());

  /** What the editor runner does: a run from the editor, its inline result set when the run's promise resolves. */
  const editorRun = (id: string, code: string) =>
    h.registry.execute(contextSpec({ id }), code, { source: 'editor' }).then((result) => {
      order.push('inline');
      return result;
    });

  async function heldRun(id: string): Promise<{ session: FakeSession; done: Promise<ExecutionResult> }> {
    h.factory.manual = true;
    const done = editorRun(id, 'long()');
    for (let i = 0; i < 50 && !h.factory.started[0]?.pendingCount; i++) {
      await new Promise((resolve) => setImmediate(resolve));
    }
    const session = h.factory.started[0];
    assert.equal(session?.pendingCount, 1, 'the run reached the kernel');
    return { session, done };
  }

  const runsOf = (panel: FakeWebviewPanel) => panel.last<{ runs: RunView[] }>('reset').runs;
  const emit = (session: FakeSession, e: OutputEvent) => session.runs.at(-1)!.options.onOutput!(e);

  it('creates the panel only after the run’s result went inline (and settleMs), with the run in it', async () => {
    await editorRun('file:///w/new.py', '1+1');
    assert.deepEqual(order, ['inline'], 'no webview is built before the inline result is set');
    timer.advance(DELAYS.settleMs - 1);
    assert.equal(h.created.length, 0);
    timer.advance(1);
    assert.deepEqual(order, ['inline', 'panel']);
    const panel = h.created[0];
    panel.send({ type: 'ready' });
    assert.deepEqual(
      runsOf(panel).map((r) => [r.code, r.status, r.outputs]),
      [['1+1', 'ok', [{ kind: 'stream', name: 'stdout', text: '1+1' }]]],
    );
  });

  it('a long run’s panel comes after maxWaitMs while it runs, then gets its streamed output and its error', async () => {
    const { session, done } = await heldRun('file:///w/long.py');
    emit(session, stdout('part 1\n'));
    timer.advance(DELAYS.maxWaitMs - 1);
    assert.equal(h.created.length, 0);
    timer.advance(1);
    assert.equal(h.created.length, 1, 'the panel appears while the run goes on');
    const panel = h.created[0];
    panel.send({ type: 'ready' });
    assert.deepEqual(
      runsOf(panel).map((r) => [r.status, r.outputs]),
      [['running', [{ kind: 'stream', name: 'stdout', text: 'part 1\n' }]]],
    );

    emit(session, stdout('part 2\n'));
    await flushed();
    let run = panel.last<{ run: RunView }>('run').run;
    assert.deepEqual(run.outputs, [{ kind: 'stream', name: 'stdout', text: 'part 1\npart 2\n' }]);

    const error = { ename: 'ValueError', evalue: 'bad', traceback: ['ValueError: bad'] };
    emit(session, { kind: 'output', output: { output_type: 'error', ...error } });
    session.runs.at(-1)!.resolve({ status: 'error', executionCount: 1, outputs: [], durationMs: 5, error });
    await done;
    await flushed();
    run = panel.last<{ run: RunView }>('run').run;
    assert.equal(run.status, 'error');
    assert.deepEqual(
      run.outputs.map((o) => o.kind),
      ['stream', 'error'],
    );
    timer.advance(1000);
    assert.equal(h.created.length, 1, 'one panel');
  });

  it('a context that has its panel reveals it at once; API runs bring no panel', async () => {
    await editorRun('file:///w/a.py', 'x = 1');
    timer.advance(DELAYS.settleMs);
    const panel = h.created[0];
    const reveals = panel.reveals;
    await editorRun('file:///w/a.py', 'x = 2');
    assert.equal(panel.reveals, reveals + 1, 'revealed without waiting');

    await h.registry.execute(contextSpec({ id: 'agent:quiet' }), '1', { source: 'api' });
    timer.advance(1000);
    assert.equal(h.created.length, 1);
  });

  it('Show Results during the wait makes the one panel; a context gone before the wait ends gets none', async () => {
    const { session, done } = await heldRun('file:///w/b.py');
    h.panels.show('file:///w/b.py');
    assert.equal(h.created.length, 1);
    session.answerNext();
    await done;
    timer.advance(1000);
    assert.equal(h.created.length, 1);

    h.factory.manual = false;
    await editorRun('file:///w/c.py', '1');
    await h.registry.shutdown('file:///w/c.py');
    timer.advance(1000);
    assert.equal(h.created.length, 1, 'no panel for the context that went');
  });
});
