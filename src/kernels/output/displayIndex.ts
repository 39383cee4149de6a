/**
 * Which outputs show which display id, across the runs that share it (a notebook's cells, a context's runs).
 * `update_display_data` from any run must update every output made with that display id, even outputs of runs
 * that finished long ago, so the index outlives each run.
 */
export class DisplayIndex<H, Owner = unknown> {
  private readonly byId = new Map<string, Array<{ handle: H; owner: Owner }>>();

  /** Records that `handle` (an output of `owner`'s run) shows `displayId`. */
  add(displayId: string, handle: H, owner: Owner): void {
    const list = this.byId.get(displayId) ?? [];
    list.push({ handle, owner });
    this.byId.set(displayId, list);
  }

  /** The outputs that show `displayId`, oldest first. */
  get(displayId: string): H[] {
    return (this.byId.get(displayId) ?? []).map((t) => t.handle);
  }

  /** Forgets every output of `owner` (its outputs were cleared, it runs again, or it is dropped). */
  forgetOwner(owner: Owner): void {
    for (const [id, list] of this.byId) {
      const kept = list.filter((t) => t.owner !== owner);
      if (kept.length === 0) {
        this.byId.delete(id);
      } else if (kept.length !== list.length) {
        this.byId.set(id, kept);
      }
    }
  }

  /** Number of display ids tracked (for tests and leak checks). */
  get size(): number {
    return this.byId.size;
  }

  clear(): void {
    this.byId.clear();
  }
}
