import type { RunView } from './outputView';
import type { TracebackRef } from './tracebackLinks';

/** What the results page draws with (the user's settings, at each reset). */
export interface PanelOptions {
  allowScripts: boolean;
}

/** The kernel's completions for one Tab press of the console (UTF-16 offsets into the code that was sent). */
export interface CompletionsMessage {
  type: 'completions';
  id: number;
  matches: string[];
  start: number;
  end: number;
}

/** What the extension sends the results webview (`resultsPanel` → `webview/results`). */
export type ResultsHostMessage =
  /** Everything, at once: on the page's `ready`, and again when the panel asks for it. */
  | { type: 'reset'; runs: RunView[]; options: PanelOptions; history: readonly string[]; contextId: string }
  /** The panel's context was renamed (e.g. a document saved under a new name). */
  | { type: 'context'; contextId: string }
  /** The console's history, after a run from the console. */
  | { type: 'history'; entries: readonly string[] }
  | { type: 'focusConsole' }
  | CompletionsMessage
  /** A run that started or changed, whole. */
  | { type: 'run'; run: RunView }
  /** Only the count of characters a run hides past its bound changed. */
  | { type: 'dropped'; id: number; droppedChars: number };

/** What the results webview sends the extension (`webview/results`, `webview/consoleInput` → `resultsPanel`). */
export type ResultsPageMessage =
  /** The page loaded (also after the webview reloaded it): the host answers with `reset`. */
  | { type: 'ready' }
  /** A traceback line was clicked: open the file or run position it names. */
  | { type: 'open'; ref: TracebackRef }
  /** Open the full text of a truncated run in an editor. */
  | { type: 'openFullText'; runId: number }
  /** Run code typed into the console. */
  | { type: 'consoleRun'; code: string }
  /** Tab in the console: the kernel's completions at `cursor`, answered by `completions` with the same `id`. */
  | { type: 'complete'; id: number; code: string; cursor: number };

/** Each `type` of {@link ResultsHostMessage} once (the compiler checks none is missing or extra). */
const hostTypes: Record<ResultsHostMessage['type'], true> = {
  reset: true,
  context: true,
  history: true,
  focusConsole: true,
  completions: true,
  run: true,
  dropped: true,
};

/** Each `type` of {@link ResultsPageMessage} once (the compiler checks none is missing or extra). */
const pageTypes: Record<ResultsPageMessage['type'], true> = {
  ready: true,
  open: true,
  openFullText: true,
  consoleRun: true,
  complete: true,
};

/** The `type`s of the host's messages to the page (for tests: each is both sent and handled). */
export const RESULTS_HOST_MESSAGE_TYPES = Object.keys(hostTypes) as ResultsHostMessage['type'][];

/** The `type`s of the page's messages to the host (for tests: each is both sent and handled). */
export const RESULTS_PAGE_MESSAGE_TYPES = Object.keys(pageTypes) as ResultsPageMessage['type'][];
