import * as assert from 'node:assert/strict';
import { OutputCollector } from '../../../src/kernels/outputCollector';
import { IopubLike, toOutputEvent } from '../../../src/kernels/outputConverters';
import type { IOutput, OutputEvent } from '../../../src/kernels/types';
import recorded from './fixtures/iopubMessages.json';

// Real messages recorded from ipykernel 6.17 by fixtures/recordIopub.ts.
const messages = recorded as Record<string, IopubLike[]>;

function eventsOf(name: string): OutputEvent[] {
  return messages[name].map(toOutputEvent).filter((e): e is OutputEvent => e !== undefined);
}

function collect(name: string): IOutput[] {
  const collector = new OutputCollector();
  eventsOf(name).forEach((e) => collector.apply(e));
  return collector.result();
}

describe('toOutputEvent (recorded iopub messages)', () => {
  const displayId = (messages.displayUpdate[2].content as { transient: { display_id: string } }).transient.display_id;
  const cases: Array<{ name: string; expected: OutputEvent[] }> = [
    {
      name: 'stdout',
      expected: [{ kind: 'output', output: { output_type: 'stream', name: 'stdout', text: 'hello\n' } }],
    },
    {
      name: 'stderr',
      expected: [
        { kind: 'output', output: { output_type: 'stream', name: 'stderr', text: 'warn\n' } },
        {
          kind: 'output',
          output: { output_type: 'execute_result', execution_count: 2, data: { 'text/plain': '5' }, metadata: {} },
        },
      ],
    },
    {
      name: 'executeResult',
      expected: [
        {
          kind: 'output',
          output: { output_type: 'execute_result', execution_count: 3, data: { 'text/plain': '2' }, metadata: {} },
        },
      ],
    },
    {
      name: 'displayData',
      expected: [
        {
          kind: 'output',
          output: {
            output_type: 'display_data',
            data: { 'text/plain': '<IPython.core.display.HTML object>', 'text/html': '<b>x</b>' },
            metadata: {},
          },
        },
      ],
    },
    {
      name: 'displayUpdate',
      expected: [
        {
          kind: 'output',
          output: {
            output_type: 'display_data',
            data: { 'text/plain': "'a'" },
            metadata: {},
            transient: { display_id: displayId },
          },
        },
        {
          kind: 'update',
          displayId,
          output: {
            output_type: 'display_data',
            data: { 'text/plain': "'b'" },
            metadata: {},
            transient: { display_id: displayId },
          },
        },
      ],
    },
    {
      name: 'clearWait',
      expected: [
        { kind: 'output', output: { output_type: 'stream', name: 'stdout', text: 'old\n' } },
        { kind: 'clear', wait: true },
        { kind: 'output', output: { output_type: 'stream', name: 'stdout', text: 'new\n' } },
      ],
    },
    {
      name: 'clearNow',
      expected: [
        { kind: 'output', output: { output_type: 'stream', name: 'stdout', text: 'old\n' } },
        { kind: 'clear', wait: false },
        { kind: 'output', output: { output_type: 'stream', name: 'stdout', text: 'new\n' } },
      ],
    },
  ];
  for (const { name, expected } of cases) {
    it(`converts ${name}`, () => {
      assert.deepEqual(eventsOf(name), expected);
    });
  }

  it('converts an error with its traceback', () => {
    const [event] = eventsOf('error');
    assert.equal(event.kind, 'output');
    const output = (event as { output: IOutput }).output;
    assert.equal(output.output_type, 'error');
    assert.equal(output.ename, 'ZeroDivisionError');
    assert.equal(output.evalue, 'division by zero');
    assert.ok((output.traceback as string[]).length > 1);
  });

  it('ignores status and execute_input messages', () => {
    const ignored = messages.stdout.filter((m) => ['status', 'execute_input'].includes(m.header.msg_type));
    assert.equal(ignored.length, 3);
    assert.deepEqual(ignored.map(toOutputEvent), [undefined, undefined, undefined]);
  });
});

describe('OutputCollector', () => {
  const table: Array<{ name: string; expected: IOutput[] }> = [
    { name: 'clearWait', expected: [{ output_type: 'stream', name: 'stdout', text: 'new\n' }] },
    { name: 'clearNow', expected: [{ output_type: 'stream', name: 'stdout', text: 'new\n' }] },
  ];
  for (const { name, expected } of table) {
    it(`applies ${name}`, () => {
      assert.deepEqual(collect(name), expected);
    });
  }

  it('applies a display update to the output with that display id', () => {
    const [output] = collect('displayUpdate');
    assert.deepEqual(output.data, { 'text/plain': "'b'" });
  });

  it('coalesces consecutive chunks of one stream, and only those', () => {
    const c = new OutputCollector();
    const chunk = (name: 'stdout' | 'stderr', text: string): OutputEvent => ({
      kind: 'output',
      output: { output_type: 'stream', name, text },
    });
    [
      chunk('stdout', 'a'),
      chunk('stdout', 'b'),
      chunk('stderr', 'x'),
      chunk('stdout', 'c'),
      chunk('stdout', 'd'),
    ].forEach((e) => c.apply(e));
    assert.deepEqual(c.result(), [
      { output_type: 'stream', name: 'stdout', text: 'ab' },
      { output_type: 'stream', name: 'stderr', text: 'x' },
      { output_type: 'stream', name: 'stdout', text: 'cd' },
    ]);
  });

  it('keeps a wait-clear pending until the next output, and ignores updates for unknown ids', () => {
    const c = new OutputCollector();
    c.apply({ kind: 'output', output: { output_type: 'stream', name: 'stdout', text: 'old' } });
    c.apply({ kind: 'clear', wait: true });
    c.apply({ kind: 'update', displayId: 'nope', output: { output_type: 'display_data', data: {}, metadata: {} } });
    assert.deepEqual(c.result(), [{ output_type: 'stream', name: 'stdout', text: 'old' }]);
  });
});
