/** Where the history is kept: VS Code's workspace state (a `Memento`), so it outlives window reloads. */
export interface StateStore {
  get<T>(key: string): T | undefined;
  update(key: string, value: unknown): Thenable<void>;
}

const KEY = 'kernelIslands.console.history';

/** Bounds: entries per context, contexts kept (least recently used go first), characters per entry. */
interface HistoryLimits {
  entries: number;
  contexts: number;
  entryChars: number;
}

const DEFAULT_HISTORY_LIMITS: HistoryLimits = { entries: 200, contexts: 100, entryChars: 20_000 };

/** Saved form: context id → entries, oldest first; the object's key order is the contexts' use order. */
type Saved = Record<string, string[]>;

/**
 * What each context's console ran, oldest first, per workspace. A run equal to the one before it is kept once, as
 * shells do; an entry too long to be worth recalling (a pasted file) is not kept. Bounded per context and in the
 * number of contexts, so years of use cannot grow the workspace state without end.
 */
export class ConsoleHistory {
  private saved: Saved;
  private writing: Promise<void> = Promise.resolve();

  constructor(
    private readonly store: StateStore,
    private readonly warn: (message: string) => void,
    private readonly limits: HistoryLimits = DEFAULT_HISTORY_LIMITS,
  ) {
    const raw = store.get<unknown>(KEY);
    this.saved = isSaved(raw) ? raw : {};
  }

  /** A context's entries, oldest first. */
  entries(contextId: string): readonly string[] {
    return this.saved[contextId] ?? [];
  }

  /** Adds a run to a context's history; resolves once saved. */
  add(contextId: string, code: string): Promise<void> {
    if (code.trim() === '' || code.length > this.limits.entryChars) {
      return this.writing;
    }
    const entries = [...this.entries(contextId)];
    if (entries[entries.length - 1] !== code) {
      entries.push(code);
    }
    const next: Saved = {};
    // This context becomes the most recently used: the others keep their order before it.
    const others = Object.keys(this.saved).filter((id) => id !== contextId);
    for (const id of others.slice(Math.max(0, others.length - (this.limits.contexts - 1)))) {
      next[id] = this.saved[id];
    }
    next[contextId] = entries.slice(-this.limits.entries);
    return this.save(next);
  }

  /** A context took a new id (file renamed, Save As): its history goes with it. */
  move(oldId: string, newId: string): Promise<void> {
    const entries = this.saved[oldId];
    if (!entries || oldId === newId) {
      return this.writing;
    }
    const next: Saved = {};
    for (const [id, kept] of Object.entries(this.saved)) {
      if (id !== oldId && id !== newId) {
        next[id] = kept;
      }
    }
    next[newId] = entries;
    return this.save(next);
  }

  private save(next: Saved): Promise<void> {
    this.saved = next;
    // Writes go in order, so a slow one never overwrites a later one.
    this.writing = this.writing
      .then(() => this.store.update(KEY, next))
      .then(undefined, (err: unknown) => this.warn(`Could not save the console history: ${String(err)}`));
    return this.writing;
  }
}

function isSaved(value: unknown): value is Saved {
  return (
    typeof value === 'object' &&
    value !== null &&
    !Array.isArray(value) &&
    Object.values(value).every((v) => Array.isArray(v) && v.every((e) => typeof e === 'string'))
  );
}
