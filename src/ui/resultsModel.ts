import { DisplayIndex, OutputReducer, type OutputSink } from '../kernels/outputReducer';
import { StreamText } from '../kernels/streamText';
import type { ExecutionResult, OutputEvent } from '../kernels/types';
import { textSize, toOutputView, type OutputView } from './outputView';

export { toOutputView, type OutputView } from './outputView';

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
  /** Characters of output not shown because the run exceeded its bound (the full text is kept elsewhere). */
  droppedChars: number;
}

export interface ResultsLimits {
  /** Runs kept per context (oldest dropped first). */
  maxRuns: number;
  /** Characters of output kept per run. */
  maxCharsPerRun: number;
  /** Lines of text output kept per run (`kernelIslands.results.maxOutputLines`). */
  maxLinesPerRun?: number;
}

export const defaultLimits: ResultsLimits = { maxRuns: 200, maxCharsPerRun: 2_000_000, maxLinesPerRun: 5000 };

/**
 * Receives the full text of runs that went over their bound: first everything the run showed so far
 * (`restart` true), then every piece it could not show. Lets the host keep the full text outside the webview.
 */
export type SpillSink = (runId: number, text: string, restart: boolean) => void;

interface RunUsage {
  chars: number;
  lines: number;
  spilling: boolean;
}

/** One output of a run as the reducer knows it; `view` is undefined when the panel cannot show it. */
interface ResultSlot {
  run: RunView;
  view: OutputView | undefined;
  /** For a stream output: its name and its text as shown. */
  stream?: { name: 'stdout' | 'stderr'; text: StreamText };
}

/**
 * The results of one context: a bounded list of runs, updated from execution events. The kernel layer's
 * {@link OutputReducer} decides what the outputs are (stream merge, `clear_output(wait)`, display updates, also
 * of earlier runs); each run is its sink, which keeps within the run's bounds and spills the rest.
 */
export class ContextResults {
  readonly runs: RunView[] = [];
  private readonly reducers = new Map<number, OutputReducer<ResultSlot, RunView>>();
  private readonly displays = new DisplayIndex<ResultSlot, RunView>();
  /** Characters and lines held per run, so appending stays O(size of the new text). */
  private readonly usage = new WeakMap<RunView, RunUsage>();
  /** The runs the event being applied changed. */
  private readonly changed = new Set<RunView>();

  constructor(
    private readonly limits: ResultsLimits = defaultLimits,
    private readonly spill?: SpillSink,
  ) {}

  start(id: number, code: string): RunView {
    const run: RunView = { id, code, executionCount: null, status: 'running', outputs: [], droppedChars: 0 };
    this.runs.push(run);
    this.reducers.set(id, new OutputReducer(this.sinkOf(run), this.displays, run));
    while (this.runs.length > this.limits.maxRuns) {
      const dropped = this.runs.shift() as RunView;
      this.reducers.delete(dropped.id);
      this.displays.forgetOwner(dropped);
    }
    return run;
  }

  /** Applies one output event of a run; returns the runs it changed (a display update may change earlier ones). */
  apply(runId: number, event: OutputEvent): RunView[] {
    this.changed.clear();
    this.reducers.get(runId)?.apply(event);
    return [...this.changed];
  }

  end(runId: number, result: ExecutionResult): RunView | undefined {
    const run = this.find(runId);
    if (!run) {
      return undefined;
    }
    // Its outputs stay in the display index, so later runs can still update them.
    this.reducers.delete(runId);
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
    this.reducers.clear();
    this.displays.clear();
  }

  find(runId: number): RunView | undefined {
    for (let i = this.runs.length - 1; i >= 0; i--) {
      if (this.runs[i].id === runId) {
        return this.runs[i];
      }
    }
    return undefined;
  }

  private sinkOf(run: RunView): OutputSink<ResultSlot> {
    return {
      clear: () => {
        run.outputs = [];
        run.droppedChars = 0;
        this.usage.set(run, { chars: 0, lines: 0, spilling: false });
        this.changed.add(run);
      },
      append: (output) => {
        const view = toOutputView(output);
        const slot: ResultSlot = { run, view: undefined };
        if (view?.kind === 'stream') {
          slot.stream = { name: view.name, text: new StreamText() };
          this.appendStream(slot, view.text);
        } else if (view) {
          const kept = this.admit(run, view);
          if (kept) {
            this.usageOf(run).chars += textSize(kept);
            run.outputs.push(kept);
            slot.view = kept;
          }
          this.changed.add(run);
        }
        return slot;
      },
      appendText: (slot, text) => this.appendStream(slot, text),
      replace: (slot, output) => {
        const view = toOutputView(output);
        const index = slot.view ? slot.run.outputs.indexOf(slot.view) : -1;
        if (view && index !== -1) {
          slot.run.outputs[index] = view;
          slot.view = view;
          this.changed.add(slot.run);
        }
      },
    };
  }

  /** Adds what fits of a chunk to its stream output (the run's last), which shows it as a terminal would. */
  private appendStream(slot: ResultSlot, text: string): void {
    const { run, stream } = slot;
    this.changed.add(run);
    const kept = stream && this.admit(run, { kind: 'stream', name: stream.name, text });
    if (!stream || kept?.kind !== 'stream') {
      return;
    }
    const before = stream.text.value.length;
    stream.text.append(kept.text);
    this.usageOf(run).chars += stream.text.value.length - before;
    if (slot.view?.kind === 'stream') {
      slot.view.text = stream.text.value;
    } else {
      slot.view = { kind: 'stream', name: stream.name, text: stream.text.value };
      run.outputs.push(slot.view);
    }
  }

  private usageOf(run: RunView): RunUsage {
    let used = this.usage.get(run);
    if (!used) {
      used = { chars: 0, lines: 0, spilling: false };
      this.usage.set(run, used);
    }
    return used;
  }

  /**
   * What of `view` the run's bounds let it show: all of it, the lines that fit, or nothing. Counts its lines (the
   * caller counts its characters), and spills everything once the run is over its bounds.
   */
  private admit(run: RunView, view: OutputView): OutputView | undefined {
    const used = this.usageOf(run);
    if (used.spilling) {
      this.drop(run, view, 0);
      return undefined;
    }
    const kept = this.fit(used, view);
    if (kept !== view) {
      // Over the bound: hand the text shown so far to the spill, then all of this output; show what fits.
      used.spilling = true;
      this.spill?.(run.id, run.outputs.map(plainTextOf).join(''), true);
      this.drop(run, view, kept ? textSize(kept) : 0);
    }
    if (kept) {
      used.lines += lineCount(kept);
    }
    return kept;
  }

  /**
   * The view itself when it fits the run's bounds, the part of a text that fits (cut at a line end), or
   * undefined when nothing of it fits.
   */
  private fit(used: RunUsage, view: OutputView): OutputView | undefined {
    const maxLines = this.limits.maxLinesPerRun ?? Infinity;
    const roomChars = this.limits.maxCharsPerRun - used.chars;
    const roomLines = maxLines - used.lines;
    if (textSize(view) <= roomChars && lineCount(view) <= roomLines) {
      return view;
    }
    if ((view.kind !== 'stream' && view.kind !== 'text') || roomChars <= 0 || roomLines <= 0) {
      return undefined;
    }
    const cut = cutAtLines(view.text, roomLines).slice(0, roomChars);
    return cut === '' ? undefined : { ...view, text: cut };
  }

  /** Counts what the panel does not show of `view` (its first `shownChars` are shown) and spills all of it. */
  private drop(run: RunView, view: OutputView, shownChars: number): void {
    run.droppedChars += Math.max(textSize(view) - shownChars, 0);
    this.spill?.(run.id, plainTextOf(view), false);
  }
}

/** The text of an output for the full-text file. */
function plainTextOf(view: OutputView): string {
  switch (view.kind) {
    case 'stream':
    case 'text':
    case 'json':
      return view.text;
    case 'error':
      return `${view.traceback}\n`;
    case 'html':
      return `[text/html output]\n`;
    case 'markdown':
      return `${view.markdown}\n`;
    case 'image':
      return `[${view.mime} image]\n`;
  }
}

function lineCount(view: OutputView): number {
  if (view.kind !== 'stream' && view.kind !== 'text' && view.kind !== 'json' && view.kind !== 'error') {
    return 1;
  }
  const text = view.kind === 'error' ? view.traceback : view.text;
  let n = 0;
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) {
    n++;
  }
  return n;
}

/** The first `lines` lines of `text`, each with its newline. */
function cutAtLines(text: string, lines: number): string {
  let end = -1;
  for (let k = 0; k < lines; k++) {
    end = text.indexOf('\n', end + 1);
    if (end === -1) {
      return text;
    }
  }
  return text.slice(0, end + 1);
}
