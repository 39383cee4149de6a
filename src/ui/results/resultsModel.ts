import { DEFAULT_RESULTS_MAX_OUTPUT_LINES } from '../../workbench/settingDefaults';
import { DisplayIndex, OutputReducer } from '../../kernels/output/outputReducer';
import type { ExecutionResult, OutputEvent } from '../../kernels/types';
import type { RunView } from './outputView';
import { type ResultSlot, type RunLimits, RunOutputs, type SpillSink } from './runOutputs';

interface ResultsLimits extends RunLimits {
  /** Runs kept per context (oldest dropped first). */
  maxRuns: number;
}

/**
 * The bounds of a context's results; `maxLinesPerRun` is `kernelIslands.results.maxOutputLines`' default (the panels
 * pass the setting's value), `maxRuns` and `maxCharsPerRun` are not settings.
 */
export const defaultLimits: ResultsLimits = {
  maxRuns: 200,
  maxCharsPerRun: 2_000_000,
  maxLinesPerRun: DEFAULT_RESULTS_MAX_OUTPUT_LINES,
};

/**
 * The results of one context: a bounded list of runs, updated from execution events. The kernel layer's
 * {@link OutputReducer} decides what the outputs are (stream merge, `clear_output(wait)`, display updates, also
 * of earlier runs); each run's {@link RunOutputs} is its sink.
 */
export class ContextResults {
  readonly runs: RunView[] = [];
  private readonly reducers = new Map<number, OutputReducer<ResultSlot, RunView>>();
  private readonly displays = new DisplayIndex<ResultSlot, RunView>();
  /** The runs the event being applied changed. */
  private readonly changed = new Set<RunView>();

  constructor(
    private readonly limits: ResultsLimits = defaultLimits,
    private readonly spill?: SpillSink,
  ) {}

  start(id: number, code: string): RunView {
    const run: RunView = { id, code, executionCount: null, status: 'running', outputs: [], droppedChars: 0 };
    this.runs.push(run);
    const outputs = new RunOutputs(run, this.limits, (changed) => this.changed.add(changed), this.spill);
    this.reducers.set(id, new OutputReducer(outputs, this.displays, run));
    this.trim();
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

  /**
   * Puts runs from before a window reload (`resultsRestore.restoredPanel`) before this context's runs, once: their
   * ids are below zero, so a second restore of the same runs changes nothing.
   */
  restore(runs: readonly RunView[]): void {
    const known = new Set(this.runs.map((r) => r.id));
    this.runs.unshift(...runs.filter((r) => !known.has(r.id)));
    this.trim();
  }

  /** Drops the oldest runs past the bound. */
  private trim(): void {
    while (this.runs.length > this.limits.maxRuns) {
      const dropped = this.runs.shift() as RunView;
      this.reducers.delete(dropped.id);
      this.displays.forgetOwner(dropped);
    }
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
}
