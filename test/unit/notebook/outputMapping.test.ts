import * as assert from 'node:assert/strict';
import {
  type CellOutputData,
  type OutputItemData,
  STDERR_MIME,
  STDOUT_MIME,
  mimeItem,
  toCellOutput,
} from '../../../src/notebook/outputMapping';
import { recordedCells, recordedOutput } from '../fixtures/recorded';

const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

function text(item: OutputItemData): string {
  assert.equal(item.kind, 'text', `expected a text item, got ${item.kind}`);
  return (item as Extract<OutputItemData, { kind: 'text' }>).text;
}

function mimes(output: CellOutputData): string[] {
  return output.items.map((item) => (item.kind === 'error' ? 'error' : item.mime));
}

function isPng(item: OutputItemData): boolean {
  return item.kind === 'bytes' && PNG_SIGNATURE.every((byte, i) => item.bytes[i] === byte);
}

/** Execution count the kernel gave a recorded cell (read from its reply, never assumed). */
function countOf(name: string): number | null {
  return recordedCells(name)[0].reply.execution_count;
}

describe('notebook output mapping (recorded ipykernel outputs)', () => {
  const cases: Array<{ name: string; check: (out: CellOutputData) => void }> = [
    {
      name: 'stdout',
      check: (out) => {
        assert.deepEqual(out.items, [{ kind: 'text', mime: STDOUT_MIME, text: 'hello\n' }]);
        assert.deepEqual(out.metadata, { outputType: 'stream' });
      },
    },
    {
      name: 'stderr',
      check: (out) => assert.deepEqual(out.items, [{ kind: 'text', mime: STDERR_MIME, text: 'warn\n' }]),
    },
    {
      name: 'executeResult',
      check: (out) => {
        assert.deepEqual(out.items, [{ kind: 'text', mime: 'text/plain', text: '2' }]);
        assert.deepEqual(out.metadata, {
          outputType: 'execute_result',
          executionCount: countOf('executeResult'),
          metadata: {},
        });
      },
    },
    {
      name: 'html',
      check: (out) => {
        assert.deepEqual(mimes(out), ['text/html', 'text/plain']);
        assert.equal(text(out.items[0]), '<b>bold</b>');
        assert.equal(out.metadata.outputType, 'display_data');
        assert.equal(out.metadata.executionCount, undefined, 'display_data has no execution count');
      },
    },
    {
      name: 'markdown',
      check: (out) => {
        assert.deepEqual(mimes(out), ['text/markdown', 'text/plain']);
        assert.equal(text(out.items[0]), '# Title');
      },
    },
    {
      name: 'json',
      check: (out) => {
        assert.deepEqual(mimes(out), ['application/json', 'text/plain']);
        assert.deepEqual(JSON.parse(text(out.items[0])), { a: [1, 2], b: null });
        assert.deepEqual(out.metadata.metadata, { 'application/json': { expanded: false, root: 'root' } });
      },
    },
    {
      name: 'png',
      check: (out) => {
        assert.deepEqual(mimes(out), ['image/png', 'text/plain']);
        assert.ok(isPng(out.items[0]), 'the base64 PNG should decode to PNG bytes');
        assert.match(text(out.items[1]), /^<Figure size/);
      },
    },
    {
      name: 'imageWithMetadata',
      check: (out) => {
        assert.ok(isPng(out.items[0]), 'base64 with a trailing newline should still decode to PNG bytes');
        assert.deepEqual(out.metadata.metadata, { 'image/png': { width: 40 } });
        assert.equal(out.metadata.executionCount, countOf('imageWithMetadata'));
      },
    },
    {
      name: 'svg',
      check: (out) => {
        assert.deepEqual(mimes(out), ['image/svg+xml', 'text/plain']);
        assert.match(text(out.items[0]), /^<svg /, 'SVG stays text, it is not base64');
      },
    },
    {
      name: 'error',
      check: (out) => {
        const raw = recordedOutput('error') as { traceback: string[] };
        assert.equal(out.items.length, 1);
        const item = out.items[0];
        assert.equal(item.kind, 'error');
        const error = item as Extract<OutputItemData, { kind: 'error' }>;
        assert.equal(error.name, 'ZeroDivisionError');
        assert.equal(error.message, 'division by zero');
        assert.equal(error.stack, raw.traceback.join('\n'));
        assert.match(
          error.stack.replace(/\x1b\[[\d;]*m/g, ''),
          /return 1 \/ 0/,
          'the traceback shows the failing line',
        );
        assert.deepEqual(
          out.metadata.originalError?.traceback,
          raw.traceback,
          'saved .ipynb keeps the exact traceback',
        );
      },
    },
  ];
  for (const { name, check } of cases) {
    it(`maps "${name}"`, () => check(toCellOutput(recordedOutput(name))));
  }

  it('keeps the display id as transient metadata, as the ipynb serializer expects', () => {
    const display = recordedCells('displayUpdateLaterCell')[0].iopub.find((m) => m.header.msg_type === 'display_data');
    assert.ok(display, 'the recording should hold a display_data message');
    const out = toCellOutput({ output_type: 'display_data', ...(display.content as object), metadata: {} } as never);
    assert.deepEqual(out.metadata.transient, { display_id: 'progress' });
  });

  it('copies output metadata, so later edits of the message cannot change the cell', () => {
    const source = { output_type: 'display_data', data: { 'text/plain': 'x' }, metadata: { tag: { a: 1 } } };
    const out = toCellOutput(source);
    source.metadata.tag.a = 2;
    assert.deepEqual(out.metadata.metadata, { tag: { a: 1 } });
  });

  describe('mimeItem', () => {
    const cases: Array<[string, string, unknown, OutputItemData]> = [
      ['multiline text joins', 'text/plain', ['a\n', 'b'], { kind: 'text', mime: 'text/plain', text: 'a\nb' }],
      [
        'vendor JSON mime as JSON',
        'application/vnd.foo+json',
        { x: 1 },
        { kind: 'text', mime: 'application/vnd.foo+json', text: '{"x":1}' },
      ],
      [
        'unknown object value as JSON',
        'application/x-thing',
        { y: [1] },
        { kind: 'text', mime: 'application/x-thing', text: '{"y":[1]}' },
      ],
      [
        'javascript stays text',
        'application/javascript',
        'alert(1)',
        { kind: 'text', mime: 'application/javascript', text: 'alert(1)' },
      ],
      ['missing value is empty text', 'text/plain', null, { kind: 'text', mime: 'text/plain', text: '' }],
    ];
    for (const [title, mime, value, expected] of cases) {
      it(title, () => assert.deepEqual(mimeItem(mime, value), expected));
    }

    it('decodes base64 images split over lines', () => {
      const item = mimeItem('image/jpeg', 'AAEC\nAwQ=\n');
      assert.equal(item.kind, 'bytes');
      assert.deepEqual([...(item as Extract<OutputItemData, { kind: 'bytes' }>).bytes], [0, 1, 2, 3, 4]);
    });
  });
});
