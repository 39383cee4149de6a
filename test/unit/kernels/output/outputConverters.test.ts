import * as assert from 'node:assert/strict';
import { toOutputEvent } from '../../../../src/kernels/output/outputConverters';
import type { IOutput, OutputEvent } from '../../../../src/kernels/types';
import { recordedCells, recordedEvents } from '../../fixtures/recorded';

/** Execution count the kernel gave a recorded cell (read from its reply, never assumed). */
function countOf(name: string): number | null {
  return recordedCells(name)[0].reply.execution_count;
}

describe('toOutputEvent (recorded iopub messages)', () => {
  const displayId = (
    recordedCells('displayUpdateSameCell')[0].iopub.find((m) => m.header.msg_type === 'display_data')?.content as {
      transient: { display_id: string };
    }
  ).transient.display_id;
  const stream = (name: 'stdout' | 'stderr', text: string): OutputEvent => ({
    kind: 'output',
    output: { output_type: 'stream', name, text },
  });
  const display = (text: string): IOutput => ({
    output_type: 'display_data',
    data: { 'text/plain': text },
    metadata: {},
    transient: { display_id: displayId },
  });
  const cases: Array<{ name: string; expected: OutputEvent[] }> = [
    { name: 'stdout', expected: [stream('stdout', 'hello\n')] },
    { name: 'stderr', expected: [stream('stderr', 'warn\n')] },
    {
      name: 'executeResult',
      expected: [
        {
          kind: 'output',
          output: {
            output_type: 'execute_result',
            execution_count: countOf('executeResult'),
            data: { 'text/plain': '2' },
            metadata: {},
          },
        },
      ],
    },
    {
      name: 'html',
      expected: [
        {
          kind: 'output',
          output: {
            output_type: 'display_data',
            data: { 'text/plain': '<IPython.core.display.HTML object>', 'text/html': '<b>bold</b>' },
            metadata: {},
          },
        },
      ],
    },
    {
      name: 'displayUpdateSameCell',
      expected: [
        { kind: 'output', output: display("'first'") },
        { kind: 'update', displayId, output: display("'second'") },
      ],
    },
    {
      name: 'clearWaitAtEnd',
      expected: [stream('stdout', 'done\n'), { kind: 'clear', wait: true }],
    },
    {
      name: 'clearNow',
      expected: [stream('stdout', 'old\n'), { kind: 'clear', wait: false }, stream('stdout', 'new\n')],
    },
  ];
  for (const { name, expected } of cases) {
    it(`converts ${name}`, () => {
      assert.deepEqual(recordedEvents(name), expected);
    });
  }

  it('converts an error with its traceback', () => {
    const [event] = recordedEvents('error');
    assert.equal(event.kind, 'output');
    const output = (event as { output: IOutput }).output;
    assert.equal(output.output_type, 'error');
    assert.equal(output.ename, 'ZeroDivisionError');
    assert.equal(output.evalue, 'division by zero');
    assert.ok((output.traceback as string[]).length > 1);
  });

  it('ignores status and execute_input messages', () => {
    const ignored = recordedCells('stdout')[0].iopub.filter((m) =>
      ['status', 'execute_input'].includes(m.header.msg_type),
    );
    assert.equal(ignored.length, 3);
    assert.deepEqual(ignored.map(toOutputEvent), [undefined, undefined, undefined]);
  });
});
