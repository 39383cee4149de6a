/** Where the code of one execution came from: a document and the line its first line of code sits on. */
interface RunLocation {
  /** Document URI string. */
  uri: string;
  /** 0-based line of the document that holds line 1 of the code that ran. */
  firstLine: number;
  /** 0-based last line of the code that ran. */
  lastLine: number;
}

/** Executions remembered per context; tracebacks usually point at recent ones. */
const MAX_PER_CONTEXT = 500;

/**
 * Remembers, per context and execution count, which document lines ran, so a traceback's `Cell In [3], line 2`
 * can be mapped back to the file. Bounded per context (oldest forgotten first).
 */
export class RunLocations {
  private readonly byContext = new Map<string, Map<number, RunLocation>>();

  record(contextId: string, executionCount: number | null, location: RunLocation): void {
    if (executionCount === null) {
      return;
    }
    let runs = this.byContext.get(contextId);
    if (!runs) {
      runs = new Map();
      this.byContext.set(contextId, runs);
    }
    runs.delete(executionCount);
    runs.set(executionCount, location);
    if (runs.size > MAX_PER_CONTEXT) {
      const oldest = runs.keys().next().value as number;
      runs.delete(oldest);
    }
  }

  /**
   * The document position of `line` (1-based, as in a traceback) of execution `executionCount`, or undefined
   * when that execution did not come from a document or the line is outside what ran.
   */
  resolve(contextId: string, executionCount: number, line: number): { uri: string; line: number } | undefined {
    const location = this.byContext.get(contextId)?.get(executionCount);
    if (!location) {
      return undefined;
    }
    const target = location.firstLine + line - 1;
    return target >= location.firstLine && target <= location.lastLine
      ? { uri: location.uri, line: target }
      : undefined;
  }

  /** Forgets a context's executions (its kernel restarted or shut down, so the counts start again). */
  forget(contextId: string): void {
    this.byContext.delete(contextId);
  }

  /** Keeps the executions when a context is renamed. */
  move(oldId: string, newId: string): void {
    const runs = this.byContext.get(oldId);
    if (runs) {
      this.byContext.delete(oldId);
      this.byContext.set(newId, runs);
    }
  }
}
