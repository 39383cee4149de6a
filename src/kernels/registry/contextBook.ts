import { Emitter, Event } from '../../common/event';
import { ContextEntry } from './contextEntry';
import { contextSpec } from '../contextSpec';
import { planRestore, type ContextSnapshot } from './contextSnapshot';
import type { RunPipeline } from './runPipeline';
import type { ContextChangeEvent, ContextInfo, ContextSpec } from '../types';

/** Extra fields of a change event. */
type ChangeExtra = Partial<Pick<ContextChangeEvent, 'oldId' | 'message' | 'reason'>>;

/** What the book is built from. */
interface ContextBookOptions {
  defaultKernelName: string;
  /** Server for contexts that name none; read at each context's creation. */
  defaultServer: () => string;
  /** A new context's run pipeline. */
  newPipeline: () => RunPipeline<ContextEntry>;
  /** The kernel name an agent context's kernel starts under (its sandbox); agents run as everyone else without it. */
  agentKernelName?: (kernelName: string) => string;
}

/**
 * The registry's bookkeeping: which contexts exist under which id, which share whose kernel (attach), renames,
 * persistence across a window reload, and the change events all of that fires. Starts nothing.
 */
export class ContextBook {
  private readonly entries = new Map<string, ContextEntry>();
  private readonly emitter = new Emitter<ContextChangeEvent>();
  private closed = false;

  readonly onDidChange: Event<ContextChangeEvent> = this.emitter.event;

  constructor(private readonly options: ContextBookOptions) {}

  /** The context for `spec.id`, created (and announced) when new; a known one takes the newer spec. */
  ensure(spec: ContextSpec): ContextEntry {
    if (this.closed) {
      throw new Error('The context registry is disposed.');
    }
    spec = this.withAgentSandbox(spec);
    const existing = this.entries.get(spec.id);
    if (existing) {
      existing.update(spec);
      return existing;
    }
    const defaults = {
      kernelName: this.options.defaultKernelName,
      server: spec.server ?? this.options.defaultServer(),
    };
    const entry = new ContextEntry(spec, defaults, this.options.newPipeline());
    this.entries.set(entry.id, entry);
    this.fireChange('added', entry);
    return entry;
  }

  /**
   * Every agent context's kernel is named through the sandbox policy, whatever surface made the spec (MCP, the LM
   * tool, the API): the one place where "agents run sandboxed" is decided.
   */
  private withAgentSandbox(spec: ContextSpec): ContextSpec {
    const rename = this.options.agentKernelName;
    if (!rename || spec.kind !== 'agent') {
      return spec;
    }
    return { ...spec, kernelName: rename(spec.kernelName ?? this.options.defaultKernelName) };
  }

  find(id: string): ContextEntry | undefined {
    return this.entries.get(id);
  }

  require(id: string): ContextEntry {
    const entry = this.entries.get(id);
    if (!entry) {
      throw new Error(`No context "${id}". Known contexts: ${[...this.entries.keys()].join(', ') || 'none'}.`);
    }
    return entry;
  }

  /** The context whose kernel `entry` runs on: itself unless attached. */
  rootOf(entry: ContextEntry): ContextEntry {
    return (entry.attachedTo !== undefined && this.entries.get(entry.attachedTo)) || entry;
  }

  /** True while `entry` is still the context under its id and the registry is open. */
  isCurrent(entry: ContextEntry): boolean {
    return !this.closed && this.entries.get(entry.id) === entry;
  }

  all(): ContextEntry[] {
    return [...this.entries.values()];
  }

  info(entry: ContextEntry): ContextInfo {
    return entry.info(this.rootOf(entry));
  }

  /** Forgets `entry`; contexts attached to it get their own kernel again. False when it was already gone. */
  remove(entry: ContextEntry): boolean {
    if (this.entries.get(entry.id) !== entry) {
      return false;
    }
    this.entries.delete(entry.id);
    for (const other of this.entries.values()) {
      if (other.attachedTo === entry.id && other.detach()) {
        this.fireChange('changed', other);
      }
    }
    return true;
  }

  rename(oldId: string, newId: string, label?: string): void {
    const entry = this.require(oldId);
    if (oldId === newId) {
      return;
    }
    if (this.entries.has(newId)) {
      throw new Error(`Cannot rename context "${oldId}" to "${newId}": a context with that id already exists.`);
    }
    this.entries.delete(oldId);
    entry.renameTo(newId, label);
    this.entries.set(newId, entry);
    for (const other of this.entries.values()) {
      other.followRename(oldId, newId);
    }
    this.fireChange('renamed', entry, { oldId });
  }

  attach(id: string, targetId: string): void {
    const root = this.rootOf(this.require(targetId));
    if (root.id === id) {
      throw new Error(`Cannot attach context "${id}" to "${targetId}": that would share a kernel with itself.`);
    }
    const entry = this.entries.get(id) ?? this.ensure(contextSpec({ id }));
    entry.attachTo(root.id);
    this.fireChange('changed', entry);
  }

  detach(id: string): void {
    const entry = this.require(id);
    if (entry.detach()) {
      this.fireChange('changed', entry);
    }
  }

  /** Registers persisted contexts (see `ContextRegistry.restore`); ids already known are skipped. */
  restore(snapshots: readonly unknown[]): void {
    const plan = planRestore(snapshots).filter((s) => !this.entries.has(s.id));
    for (const s of plan) {
      const { id, kind, label, kernelName, cwd, file, server } = s;
      const entry = this.ensure({ id, kind, label, kernelName, cwd, file, server });
      entry.markRestored(s.kernelId);
    }
    for (const s of plan) {
      const entry = this.entries.get(s.id);
      if (entry && s.attachedTo !== undefined) {
        entry.attachTo(s.attachedTo);
        this.fireChange('changed', entry);
      }
    }
  }

  snapshot(): ContextSnapshot[] {
    return this.all().map((e) => ({
      id: e.id,
      kind: e.kind,
      label: e.label,
      kernelName: e.session?.kernelName ?? e.kernelName,
      kernelId: e.liveSession?.id ?? e.restoreKernelId,
      attachedTo: e.attachedTo,
      server: e.kernelServer,
      cwd: e.target.cwd,
      file: e.target.file,
    }));
  }

  /** The next run or a restart: the kernel's owner and every context on it stop showing 'dead'. */
  clearDied(root: ContextEntry): void {
    if (root.clearDied()) {
      this.fireForKernel(root, 'changed');
    }
  }

  /** Fires for the context that owns the kernel and for every context attached to it. */
  fireForKernel(root: ContextEntry, type: 'changed' | 'state-lost', extra: ChangeExtra = {}): void {
    for (const entry of this.entries.values()) {
      if (entry === root || entry.attachedTo === root.id) {
        this.fireChange(type, entry, extra);
      }
    }
  }

  fireChange(type: ContextChangeEvent['type'], entry: ContextEntry, extra: ChangeExtra = {}): void {
    this.emitter.fire({ type, context: this.info(entry), ...extra });
  }

  /** A context that left the book, announced with its last snapshot. */
  fireRemoved(entry: ContextEntry): void {
    this.emitter.fire({ type: 'removed', context: entry.info(entry) });
  }

  /** Refuses new contexts from now on (the registry is disposing). */
  close(): void {
    this.closed = true;
  }

  dispose(): void {
    this.closed = true;
    this.emitter.dispose();
  }
}
