/**
 * The change-id chain of every followed Deribit book, checked before a change is passed on:
 * the feed, not only the consumer's book, has to notice a break, because only the feed can
 * resubscribe the channel.
 */

/** What to do with a change: pass it on, drop it quietly, or resync the book. */
export type ChangeVerdict = 'apply' | 'duplicate' | 'gap' | 'awaiting-snapshot';

/** What a snapshot ended: a first load, or a resync after a gap or a reconnect. */
export type SnapshotVerdict = 'first' | 'after-gap' | 'after-reconnect';

export class BookSequencer {
  /** Books whose chain is intact: the change id of the last update passed on. */
  private readonly last = new Map<string, number>();
  /** Books broken by a gap, waiting for the snapshot their resubscription brings. */
  private readonly broken = new Set<string>();
  /** Books that were intact when the connection dropped, waiting for their new snapshot. */
  private readonly dropped = new Set<string>();

  snapshot(instrument: string, sequence: number): SnapshotVerdict {
    this.last.set(instrument, sequence);
    if (this.broken.delete(instrument)) {
      this.dropped.delete(instrument);
      return 'after-gap';
    }
    return this.dropped.delete(instrument) ? 'after-reconnect' : 'first';
  }

  change(instrument: string, prevSequence: number, sequence: number): ChangeVerdict {
    const last = this.last.get(instrument);
    if (last === undefined) return 'awaiting-snapshot';
    // A change already applied (the venue or a proxy sent it twice) is harmless.
    if (sequence <= last) return 'duplicate';
    if (prevSequence !== last) {
      this.last.delete(instrument);
      this.broken.add(instrument);
      return 'gap';
    }
    this.last.set(instrument, sequence);
    return 'apply';
  }

  /**
   * A break found another way (the book's top disagrees with the venue's ticker): the book is
   * treated as after a gap. False if the book was not intact anyway.
   */
  markBroken(instrument: string): boolean {
    if (!this.last.delete(instrument)) return false;
    this.broken.add(instrument);
    return true;
  }

  /** The book's chain is intact: its levels are current. */
  isIntact(instrument: string): boolean {
    return this.last.has(instrument);
  }

  isResyncing(instrument: string): boolean {
    return this.broken.has(instrument);
  }

  /** The connection dropped: every book starts over from the snapshot its resubscribe sends. */
  connectionLost(): void {
    for (const instrument of this.last.keys()) this.dropped.add(instrument);
    this.last.clear();
  }

  /** No longer followed (unwatched, expired). */
  forget(instrument: string): void {
    this.last.delete(instrument);
    this.broken.delete(instrument);
    this.dropped.delete(instrument);
  }
}
