/**
 * The recorded kernel traffic of `fixtures/notebookOutputs.json` (see `recordNotebookOutputs.py`), turned into
 * output events by the product's own iopub converter, as the registry hands them to the notebook surface.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { type IopubLike, toOutputEvent } from '../../../src/kernels/outputConverters';
import type { IOutput, OutputEvent } from '../../../src/kernels/types';

/** One recorded cell: its code, its iopub messages and its execute_reply summary. */
export interface RecordedCell {
  code: string;
  iopub: IopubLike[];
  reply: { status: string; execution_count: number | null };
}

const recorded = JSON.parse(readFileSync(join(__dirname, 'fixtures', 'notebookOutputs.json'), 'utf8')) as Record<
  string,
  RecordedCell[]
>;

/** The cells of a recorded case; throws on an unknown name so a typo cannot pass silently. */
export function recordedCells(name: string): RecordedCell[] {
  const cells = recorded[name];
  if (!cells) {
    throw new Error(`no recorded case "${name}"; known: ${Object.keys(recorded).join(', ')}`);
  }
  return cells;
}

/** The output events of one recorded cell, in arrival order. */
export function recordedEvents(name: string, cellIndex = 0): OutputEvent[] {
  return recordedCells(name)
    [cellIndex].iopub.map(toOutputEvent)
    .filter((e): e is OutputEvent => e !== undefined);
}

/** The only output event of a recorded cell that carries an output (fails when there is not exactly one). */
export function recordedOutput(name: string): IOutput {
  const outputs = recordedEvents(name).filter((e) => e.kind === 'output');
  if (outputs.length !== 1) {
    throw new Error(`case "${name}" has ${outputs.length} outputs, expected 1`);
  }
  return (outputs[0] as Extract<OutputEvent, { kind: 'output' }>).output;
}
