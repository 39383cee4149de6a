/**
 * Timestamps along the path of a run, for `npm run bench:ui`: it asks where the time between a key press and the
 * result on screen goes (command handler, registry, kernel reply, decoration set, webview message). Off unless the
 * extension host's environment has `KI_TRACE=1`; then each mark is a name and an epoch time in milliseconds
 * (`performance.timeOrigin + performance.now()`, comparable with the browser's clock on the same machine).
 *
 * The marks live in a bounded array on `globalThis` under `Symbol.for('kernelIslands.trace')`, so the bench's own
 * extension in the same extension host reads (and empties) them without a public API.
 */

/** One timestamp: what happened and when (epoch ms, sub-millisecond precision). */
export interface TraceMark {
  name: string;
  t: number;
}

/** At most this many marks are kept; older ones are dropped first. */
const TRACE_LIMIT = 10_000;

const KEY = Symbol.for('kernelIslands.trace');

type TraceStore = { marks: TraceMark[] };

function store(): TraceStore | undefined {
  const global = globalThis as { [KEY]?: TraceStore };
  if (global[KEY] === undefined && process.env.KI_TRACE === '1') {
    global[KEY] = { marks: [] };
  }
  return global[KEY];
}

const enabled = typeof process !== 'undefined' && process.env.KI_TRACE === '1';

/** Records `name` now, when tracing is on; otherwise does nothing (one boolean test). */
export function traceMark(name: string): void {
  if (!enabled) {
    return;
  }
  const marks = store()?.marks;
  if (!marks) {
    return;
  }
  marks.push({ name, t: performance.timeOrigin + performance.now() });
  if (marks.length > TRACE_LIMIT) {
    marks.splice(0, marks.length - TRACE_LIMIT);
  }
}

/** Returns the marks recorded so far and forgets them (empty when tracing is off). */
export function takeTraceMarks(): TraceMark[] {
  const s = (globalThis as { [KEY]?: TraceStore })[KEY];
  return s ? s.marks.splice(0) : [];
}
