import * as assert from 'node:assert/strict';
import { IopubLike, toOutputEvent } from '../../../src/kernels/outputConverters';
import type { IOutput, OutputEvent } from '../../../src/kernels/types';
import recorded from './fixtures/iopubMessages.json';

// Real messages recorded from ipykernel 6.17 by fixtures/recordIopub.ts.
const messages = recorded as Record<string, IopubLike[]>;

function eventsOf(name: string): OutputEvent[] {
  return messages[name].map(toOutputEvent).filter((e): e is OutputEvent => e !== undefined);
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
