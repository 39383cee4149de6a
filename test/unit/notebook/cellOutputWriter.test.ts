import * as assert from 'node:assert/strict';
import type { OutputEvent } from '../../../src/kernels/types';
import { CellOutputWriter, NotebookDisplays } from '../../../src/notebook/cellOutputWriter';
import { FakeNotebook } from './fakeNotebook';
import { recordedEvents } from '../fixtures/recorded';
import { FakeTimer } from '../fakeTimer';

const stdout = (text: string): OutputEvent => ({
  kind: 'output',
  output: { output_type: 'stream', name: 'stdout', text },
});

// What the outputs are is tested once, for every surface, in test/unit/kernels/output/outputReducer.test.ts; these are
// the notebook adapter's own parts: buffered stream edits, the final rewrite, cells as display owners.
describe('CellOutputWriter', () => {
  let notebook: FakeNotebook;
  let displays: NotebookDisplays<number, string>;
  let timer: FakeTimer;

  beforeEach(() => {
    notebook = new FakeNotebook();
    displays = new NotebookDisplays<number, string>();
    timer = new FakeTimer();
  });

  /** Runs `events` as one run of `cell`, optionally firing the flush timer after each event. */
  function run(cell: string, events: OutputEvent[], fireTimerEachEvent = false): CellOutputWriter<number, string> {
    const writer = new CellOutputWriter(notebook.target(cell), displays, cell, timer);
    writer.start();
    for (const e of events) {
      writer.apply(e);
      if (fireTimerEachEvent) {
        timer.fireAll();
      }
    }
    writer.finish();
    return writer;
  }

  it('starts a run by clearing the cell', () => {
    notebook.target('a').append({ items: [], metadata: { outputType: 'stream' } });
    run('a', []);
    assert.deepEqual(notebook.texts('a'), []);
  });

  it('joins consecutive chunks of one stream into one output (recorded: three flushed prints)', () => {
    const events = recordedEvents('streamChunks');
    assert.equal(events.length, 3, 'the recording should hold three separate stream messages');
    run('a', events);
    assert.deepEqual(notebook.texts('a'), ['0\n1\n2\n']);
    assert.equal(notebook.count('append'), 1);
  });

  it('appends later chunks to the same output when the timer flushed in between', () => {
    run('a', recordedEvents('streamChunks'), true);
    assert.deepEqual(notebook.texts('a'), ['0\n1\n2\n']);
    assert.equal(notebook.count('append'), 1);
    assert.equal(notebook.count('appendItems'), 2);
  });

  it('writes a stream output that took appends once more in full when the run ends', () => {
    run('a', recordedEvents('streamChunks'), true);
    assert.equal(notebook.count('replaceItems'), 1, 'one full rewrite at the end');
    assert.deepEqual(notebook.texts('a'), ['0\n1\n2\n']);
  });

  it('does not rewrite a stream output that was written in one piece', () => {
    run('a', recordedEvents('streamChunks'));
    assert.equal(notebook.count('replaceItems'), 0);
  });

  it('sends 100k printed lines as a handful of updates', () => {
    const lines = Array.from({ length: 100_000 }, (_, i) => stdout(`line ${i}\n`));
    const writer = new CellOutputWriter(notebook.target('a'), displays, 'a', timer);
    writer.start();
    lines.forEach((e, i) => {
      writer.apply(e);
      // The flush timer fires every 1000 chunks, standing in for chunks arriving over time.
      if (i % 1000 === 999) {
        timer.fireAll();
      }
    });
    writer.finish();
    assert.equal(notebook.count('append') + notebook.count('appendItems'), 100);
    const all = notebook.texts('a');
    assert.equal(all.length, 1);
    assert.equal(all[0].split('\n').length, 100_001);
    assert.ok(all[0].startsWith('line 0\nline 1\n') && all[0].endsWith('line 99999\n'));
  });

  it('flushes buffered text before a rich output, keeping the order', () => {
    run('a', [stdout('before\n'), ...recordedEvents('executeResult'), stdout('after\n')]);
    assert.deepEqual(notebook.texts('a'), ['before\n', '2', 'after\n']);
  });

  it('never sends text that a waiting clear erased before it was shown', () => {
    run('a', recordedEvents('clearWaitLoop'));
    const sent = notebook.edits.filter((e) => e.startsWith('append')).length;
    assert.equal(sent, 1, `only the last step should be sent, edits: ${notebook.edits.join(', ')}`);
  });

  it('forgets a cell’s display ids when the cell runs again', () => {
    run('first', recordedEvents('displayUpdateLaterCell', 0));
    assert.equal(displays.size, 1);
    run('first', []);
    assert.equal(displays.size, 0);
    run('second', recordedEvents('displayUpdateLaterCell', 1));
    assert.equal(notebook.count('replaceItems'), 0);
  });

  it('ignores events after finish and cancels its timer', () => {
    const writer = run('a', [stdout('x\n')]);
    writer.apply(stdout('late\n'));
    timer.fireAll();
    assert.deepEqual(notebook.texts('a'), ['x\n']);
    assert.equal(timer.pendingCount, 0);
  });
});
