/**
 * The output reducer, once, on recorded ipykernel runs: each row is a recorded case (one or more runs in one
 * kernel), the messages go in, and every surface must show the expected outputs: a notebook's cells, the results
 * panel's runs, and the output list each request returns (the API, the LM tool, inline results). A request's list
 * is final when it returns, so a later run's display update shows in the others only (`returned` then differs).
 * A notebook cell keeps the kernel's stream text and VS Code's notebook renders `\r` and `\b` itself (`inCell`
 * then differs).
 */
import * as assert from 'node:assert/strict';
import { OutputCollector } from '../../../../src/kernels/output/outputCollector';
import { StreamText } from '../../../../src/kernels/output/streamText';
import type { IOutput } from '../../../../src/kernels/types';
import { CellOutputWriter, NotebookDisplays } from '../../../../src/notebook/cellOutputWriter';
import { type CellOutputData, STDERR_MIME, STDOUT_MIME } from '../../../../src/notebook/outputMapping';
import { type OutputView, toOutputView } from '../../../../src/ui/results/outputView';
import { ContextResults } from '../../../../src/ui/results/resultsModel';
import { recordedCells, recordedEvents } from '../../fixtures/recorded';
import { FakeNotebook } from '../../notebook/fakeNotebook';
import { FakeTimer } from '../../fakeTimer';

/** One output in a few words: `stdout: text`, `text: 'b'`, `html: <b>x</b>`, `image/png`, `error: E: v`. */
function summary(view: OutputView | undefined): string {
  switch (view?.kind) {
    case undefined:
      return 'nothing the panel can show';
    case 'stream':
      return `${view.name}: ${view.text}`;
    case 'text':
      return `text: ${view.text}`;
    case 'html':
      return `html: ${view.html}`;
    case 'markdown':
      return `markdown: ${view.markdown}`;
    case 'json':
      return `json: ${JSON.stringify(JSON.parse(view.text))}`;
    case 'image':
      return view.mime;
    case 'error':
      return `error: ${view.ename}: ${view.evalue}`;
  }
}

/** A notebook cell output read back as the nbformat output it shows. */
function nbformatOf(cell: CellOutputData): IOutput {
  const [first] = cell.items;
  if (first?.kind === 'error') {
    return { output_type: 'error', ename: first.name, evalue: first.message, traceback: [] };
  }
  if (first?.kind === 'text' && (first.mime === STDOUT_MIME || first.mime === STDERR_MIME)) {
    const text = cell.items.map((item) => (item.kind === 'text' ? item.text : '')).join('');
    return { output_type: 'stream', name: first.mime === STDOUT_MIME ? 'stdout' : 'stderr', text };
  }
  const data: Record<string, unknown> = {};
  for (const item of cell.items) {
    if (item.kind === 'bytes') {
      data[item.mime] = Buffer.from(item.bytes).toString('base64');
    } else if (item.kind === 'text') {
      data[item.mime] = item.mime.endsWith('json') ? (JSON.parse(item.text) as unknown) : item.text;
    }
  }
  return { output_type: 'display_data', data: data as IOutput['data'], metadata: {} };
}

/** What each surface shows after all runs of a recorded case, one list of summaries per run. */
const surfaces: Record<string, (name: string) => string[][]> = {
  'request results (API, LM tool)': (name) =>
    recordedCells(name).map((_, run) => {
      const collector = new OutputCollector();
      recordedEvents(name, run).forEach((e) => collector.apply(e));
      return collector.result().map((o) => summary(toOutputView(o)));
    }),
  'notebook cells': (name) => {
    const notebook = new FakeNotebook();
    const displays = new NotebookDisplays<number, string>();
    const timer = new FakeTimer();
    const cells = recordedCells(name).map((_, run) => `cell${run}`);
    cells.forEach((cell, run) => {
      const writer = new CellOutputWriter(notebook.target(cell), displays, cell, timer);
      writer.start();
      recordedEvents(name, run).forEach((e) => writer.apply(e));
      writer.finish();
    });
    return cells.map((cell) => (notebook.cells.get(cell) ?? []).map((o) => summary(toOutputView(nbformatOf(o.data)))));
  },
  'results panel': (name) => {
    const results = new ContextResults();
    recordedCells(name).forEach((cell, run) => {
      results.start(run, cell.code);
      recordedEvents(name, run).forEach((e) => results.apply(run, e));
      results.end(run, { status: 'ok', executionCount: cell.reply.execution_count, outputs: [], durationMs: 1 });
    });
    return results.runs.map((run) => run.outputs.map(summary));
  },
};

describe('output reducer (recorded ipykernel runs, every surface)', () => {
  const rows: Array<{
    name: string;
    does: string;
    expected: string[][];
    returned?: string[][];
    inCell?: string[][];
  }> = [
    { name: 'stdout', does: 'a print', expected: [['stdout: hello\n']] },
    { name: 'stderr', does: 'stderr', expected: [['stderr: warn\n']] },
    { name: 'streamChunks', does: 'merges three flushed prints into one output', expected: [['stdout: 0\n1\n2\n']] },
    {
      name: 'stdoutThenStderr',
      does: 'starts a new output when the stream changes',
      expected: [['stdout: out\n', 'stderr: err\n', 'stdout: out again\n']],
    },
    {
      name: 'streamAroundDisplay',
      does: 'does not merge prints across a display',
      expected: [['stdout: a\n', 'html: <i>x</i>', 'stdout: b\n']],
    },
    { name: 'executeResult', does: 'an execute result', expected: [['text: 2']] },
    { name: 'html', does: 'html', expected: [['html: <b>bold</b>']] },
    { name: 'markdown', does: 'markdown', expected: [['markdown: # Title']] },
    { name: 'json', does: 'json', expected: [['json: {"a":[1,2],"b":null}']] },
    { name: 'png', does: 'a matplotlib figure', expected: [['image/png']] },
    { name: 'imageWithMetadata', does: 'an image with metadata', expected: [['image/png']] },
    { name: 'svg', does: 'svg', expected: [['image/svg+xml']] },
    { name: 'error', does: 'an error', expected: [['error: ZeroDivisionError: division by zero']] },
    {
      name: 'clearWaitLoop',
      does: 'clear_output(wait=True) in a loop ends with the last step',
      expected: [['stdout: step 2\n']],
    },
    {
      name: 'clearWaitAtEnd',
      does: 'a waiting clear that no output follows is dropped',
      expected: [['stdout: done\n']],
    },
    { name: 'clearNow', does: 'clear_output() clears at once', expected: [['stdout: new\n']] },
    {
      name: 'clearWaitThenUpdate',
      does: 'a display update is not the output a waiting clear waits for',
      expected: [["text: 'b'"]],
    },
    {
      name: 'clearedDisplayUpdate',
      does: 'an update of a cleared display changes nothing',
      expected: [['stdout: kept\n']],
    },
    { name: 'displayUpdateSameCell', does: 'updates a display of the same run', expected: [["text: 'second'"]] },
    {
      name: 'displayUpdateLaterCell',
      does: 'updates a display of an earlier run',
      expected: [["text: 'updated from a later cell'"], []],
      returned: [["text: 'first'"], []],
    },
    {
      name: 'sameDisplayIdTwice',
      does: 'a second display with the same id updates the first; an update reaches both',
      expected: [["text: 'c'", "text: 'c'", 'text: <DisplayHandle display_id=twice>'], []],
      returned: [["text: 'b'", "text: 'b'", 'text: <DisplayHandle display_id=twice>'], []],
    },
    {
      name: 'progressBar',
      does: '\\r returns to the line start: a progress bar stays one line',
      expected: [['stderr:  75%|###', 'stdout: done\n', 'stderr: \n']],
      inCell: [['stderr: \r  0%|\r 25%|#\r 50%|##\r 75%|###', 'stdout: done\n', 'stderr: \n']],
    },
    {
      name: 'returnAtChunkEnd',
      does: 'a chunk ending in \\r is overwritten by the next chunk',
      expected: [['stdout: 100%\n']],
      inCell: [['stdout: 50%\r100%\n']],
    },
    {
      name: 'backspace',
      does: '\\b deletes the character before it; \\r\\n is a newline',
      expected: [['stdout: aX\na\nb\n']],
      inCell: [['stdout: abc\b\bX\na\r\nb\n']],
    },
  ];
  const expectedOn = (surface: string, row: (typeof rows)[number]): string[][] =>
    (surface.startsWith('request') ? row.returned : surface.startsWith('notebook') ? row.inCell : undefined) ??
    row.expected;
  for (const row of rows) {
    for (const [surface, show] of Object.entries(surfaces)) {
      it(`${row.name}: ${row.does} (${surface})`, () => {
        assert.deepEqual(show(row.name), expectedOn(surface, row));
      });
    }
  }
});

describe('stream text split across chunks (the kernel flushes anywhere)', () => {
  const rows: Array<{ chunks: string[]; shown: string }> = [
    { chunks: ['a\r', '\nb'], shown: 'a\nb' },
    { chunks: ['abc', '\b', 'X'], shown: 'abX' },
    { chunks: ['12345\r', 'ab'], shown: 'ab345' },
    { chunks: ['line\n', 'x\ry'], shown: 'line\ny' },
  ];
  for (const { chunks, shown } of rows) {
    it(`${JSON.stringify(chunks)} shows ${JSON.stringify(shown)}`, () => {
      const text = new StreamText();
      chunks.forEach((chunk) => text.append(chunk));
      assert.equal(text.value, shown);
    });
  }
});
