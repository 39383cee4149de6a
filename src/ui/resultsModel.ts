import type { ExecutionResult, IOutput, OutputEvent } from '../kernels/types';

/** One output as the results webview draws it. */
export type OutputView =
  | { kind: 'stream'; name: 'stdout' | 'stderr'; text: string }
  | { kind: 'text'; text: string }
  | { kind: 'image'; mime: string; data: string }
  | { kind: 'error'; ename: string; evalue: string; traceback: string };

/** One run (code + outputs) as the results webview draws it. */
export interface RunView {
  id: number;
  code: string;
  executionCount: number | null;
  status: 'running' | ExecutionResult['status'];
  durationMs?: number;
  /** Why the run was aborted, when it was. */
  message?: string;
  outputs: OutputView[];
  /** Characters of output dropped because the run exceeded its bound. */
  droppedChars: number;
}

export interface ResultsLimits {
  /** Runs kept per context (oldest dropped first). */
  maxRuns: number;
  /** Characters of text output kept per run. */
  maxCharsPerRun: number;
}

export const defaultLimits: ResultsLimits = { maxRuns: 200, maxCharsPerRun: 2_000_000 };

const imageMimes = ['image/png', 'image/jpeg'];

/** Maps one nbformat output to what the panel shows. Pure. */
export function toOutputView(output: IOutput): OutputView | undefined {
  switch (output.output_type) {
    case 'stream': {
      const text = Array.isArray(output.text) ? output.text.join('') : String(output.text);
      return { kind: 'stream', name: output.name === 'stderr' ? 'stderr' : 'stdout', text };
    }
    case 'error':
      return {
        kind: 'error',
        ename: String(output.ename),
        evalue: String(output.evalue),
        traceback: (output.traceback as string[]).join('\n'),
      };
    case 'execute_result':
    case 'display_data': {
      const data = (output.data ?? {}) as Record<string, unknown>;
      const image = imageMimes.find((m) => typeof data[m] === 'string');
      if (image) {
        return { kind: 'image', mime: image, data: String(data[image]).replace(/\s/g, '') };
      }
      const plain = data['text/plain'];
      if (plain !== undefined) {
        return { kind: 'text', text: Array.isArray(plain) ? plain.join('') : String(plain) };
      }
      return undefined;
    }
    default:
      return undefined;
  }
}

function textSize(view: OutputView): number {
  switch (view.kind) {
    case 'stream':
    case 'text':
      return view.text.length;
    case 'error':
      return view.traceback.length + view.evalue.length;
    case 'image':
      return 0;
  }
}

/**
 * The results of one context: a bounded list of runs, updated from execution events.
 * Streams append to the previous output of the same stream; `clear_output(wait)` and display updates are honoured.
 */
export class ContextResults {
  readonly runs: RunView[] = [];
  private pendingClear = new Set<number>();
  private readonly displayIds = new Map<string, { run: RunView; index: number }>();
  /** Characters of text held per run, so appending stays O(1). */
  private readonly usedChars = new WeakMap<RunView, number>();

  constructor(private readonly limits: ResultsLimits = defaultLimits) {}

  start(id: number, code: string): RunView {
    const run: RunView = { id, code, executionCount: null, status: 'running', outputs: [], droppedChars: 0 };
    this.runs.push(run);
    while (this.runs.length > this.limits.maxRuns) {
      this.runs.shift();
    }
    return run;
  }

  /** Applies one output event to its run; returns the run when it changed. */
  apply(runId: number, event: OutputEvent): RunView | undefined {
    const run = this.find(runId);
    if (!run) {
      return undefined;
    }
    if (event.kind === 'clear') {
      if (event.wait) {
        this.pendingClear.add(runId);
      } else {
        this.clear(run);
      }
      return run;
    }
    if (this.pendingClear.delete(runId)) {
      this.clear(run);
    }
    const view = toOutputView(event.output);
    if (!view) {
      return undefined;
    }
    if (event.kind === 'update') {
      const target = this.displayIds.get(event.displayId);
      if (target && target.run.outputs[target.index]) {
        target.run.outputs[target.index] = view;
        return target.run;
      }
      return undefined;
    }
    this.append(run, view, displayIdOf(event.output));
    return run;
  }

  end(runId: number, result: ExecutionResult): RunView | undefined {
    const run = this.find(runId);
    if (!run) {
      return undefined;
    }
    this.pendingClear.delete(runId);
    run.status = result.status;
    run.executionCount = result.executionCount;
    run.durationMs = result.durationMs;
    if (result.status === 'aborted' && result.error) {
      run.message = result.error.evalue || result.error.ename;
    }
    return run;
  }

  clearAll(): void {
    this.runs.length = 0;
    this.displayIds.clear();
    this.pendingClear.clear();
  }

  private find(runId: number): RunView | undefined {
    for (let i = this.runs.length - 1; i >= 0; i--) {
      if (this.runs[i].id === runId) {
        return this.runs[i];
      }
    }
    return undefined;
  }

  private clear(run: RunView): void {
    run.outputs = [];
    run.droppedChars = 0;
    this.usedChars.set(run, 0);
  }

  private append(run: RunView, view: OutputView, displayId: string | undefined): void {
    const used = this.usedChars.get(run) ?? 0;
    const room = this.limits.maxCharsPerRun - used;
    let size = textSize(view);
    if (size > room) {
      run.droppedChars += size - Math.max(room, 0);
      if (room <= 0 || (view.kind !== 'stream' && view.kind !== 'text')) {
        return;
      }
      view = { ...view, text: view.text.slice(0, room) };
      size = room;
    }
    this.usedChars.set(run, used + size);
    const last = run.outputs[run.outputs.length - 1];
    if (view.kind === 'stream' && last?.kind === 'stream' && last.name === view.name) {
      last.text += view.text;
      return;
    }
    run.outputs.push(view);
    if (displayId) {
      this.displayIds.set(displayId, { run, index: run.outputs.length - 1 });
    }
  }
}

function displayIdOf(output: IOutput): string | undefined {
  const transient = (output as { transient?: { display_id?: unknown } }).transient;
  return typeof transient?.display_id === 'string' ? transient.display_id : undefined;
}
