import type { OutputSink } from '../../kernels/output/outputReducer';
import { StreamText } from '../../kernels/output/streamText';
import type { IOutput } from '../../kernels/types';
import { textSize, toOutputView, type OutputView, type RunView } from './outputView';

/** A run's bounds in the results panel. */
export interface RunLimits {
  /** Characters of output kept per run. */
  maxCharsPerRun: number;
  /** Lines of text output kept per run (`kernelIslands.results.maxOutputLines`). */
  maxLinesPerRun?: number;
}

/**
 * Receives the full text of runs that went over their bound: first everything the run showed so far
 * (`restart` true), then every piece it could not show. Lets the host keep the full text outside the webview.
 */
export type SpillSink = (runId: number, text: string, restart: boolean) => void;

/** One output of a run as the reducer knows it; `view` is undefined when the panel does not show it. */
export interface ResultSlot {
  run: RunView;
  view: OutputView | undefined;
  /** For a stream output: its name and its text as shown. */
  stream?: { name: 'stdout' | 'stderr'; text: StreamText };
}

/**
 * One run's outputs in the results panel, as the output reducer's sink: kept within the run's bounds (characters
 * and lines; counted as they come, so appending stays O(size of the new text)); past them the panel counts what
 * it does not show and the spill gets the full text.
 */
export class RunOutputs implements OutputSink<ResultSlot> {
  private chars = 0;
  private lines = 0;
  private spilling = false;

  constructor(
    private readonly run: RunView,
    private readonly limits: RunLimits,
    /** Told of every run an operation changed (a display update may change an earlier run). */
    private readonly changed: (run: RunView) => void,
    private readonly spill?: SpillSink,
  ) {}

  clear(): void {
    this.run.outputs = [];
    this.run.droppedChars = 0;
    this.chars = 0;
    this.lines = 0;
    this.spilling = false;
    this.changed(this.run);
  }

  append(output: IOutput): ResultSlot {
    const view = toOutputView(output);
    const slot: ResultSlot = { run: this.run, view: undefined };
    if (view?.kind === 'stream') {
      slot.stream = { name: view.name, text: new StreamText() };
      this.appendText(slot, view.text);
    } else if (view) {
      const kept = this.admit(view);
      if (kept) {
        this.chars += textSize(kept);
        this.run.outputs.push(kept);
        slot.view = kept;
      }
      this.changed(this.run);
    }
    return slot;
  }

  /** Adds what fits of a chunk to its stream output (the run's last), which shows it as a terminal would. */
  appendText(slot: ResultSlot, text: string): void {
    const { stream } = slot;
    this.changed(this.run);
    const kept = stream && this.admit({ kind: 'stream', name: stream.name, text });
    if (!stream || kept?.kind !== 'stream') {
      return;
    }
    const before = stream.text.value.length;
    stream.text.append(kept.text);
    this.chars += stream.text.value.length - before;
    if (slot.view?.kind === 'stream') {
      slot.view.text = stream.text.value;
    } else {
      slot.view = { kind: 'stream', name: stream.name, text: stream.text.value };
      this.run.outputs.push(slot.view);
    }
  }

  replace(slot: ResultSlot, output: IOutput): void {
    const view = toOutputView(output);
    const index = slot.view ? slot.run.outputs.indexOf(slot.view) : -1;
    if (view && index !== -1) {
      slot.run.outputs[index] = view;
      slot.view = view;
      this.changed(slot.run);
    }
  }

  /**
   * What of `view` the run's bounds let it show: all of it, the lines that fit, or nothing. Counts its lines (the
   * caller counts its characters), and spills everything once the run is over its bounds.
   */
  private admit(view: OutputView): OutputView | undefined {
    if (this.spilling) {
      this.drop(view, 0);
      return undefined;
    }
    const kept = this.fit(view);
    if (kept !== view) {
      // Over the bound: hand the text shown so far to the spill, then all of this output; show what fits.
      this.spilling = true;
      this.spill?.(this.run.id, this.run.outputs.map(plainTextOf).join(''), true);
      this.drop(view, kept ? textSize(kept) : 0);
    }
    if (kept) {
      this.lines += lineCount(kept);
    }
    return kept;
  }

  /**
   * The view itself when it fits the run's bounds, the part of a text that fits (cut at a line end), or
   * undefined when nothing of it fits.
   */
  private fit(view: OutputView): OutputView | undefined {
    const roomChars = this.limits.maxCharsPerRun - this.chars;
    const roomLines = (this.limits.maxLinesPerRun ?? Infinity) - this.lines;
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
  private drop(view: OutputView, shownChars: number): void {
    this.run.droppedChars += Math.max(textSize(view) - shownChars, 0);
    this.spill?.(this.run.id, plainTextOf(view), false);
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
