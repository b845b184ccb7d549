/**
 * A bounded buffer between a fast socket and a slow consumer. Items that only matter as their
 * latest value (a ticker per instrument) collapse to one per key, so a burst costs memory per
 * instrument, not per message; items that each matter (trades, book deltas) keep their order,
 * and only if even those exceed the bound are the oldest dropped — and said to be.
 */

export interface CoalescingQueueOptions<T> {
  /** The coalescing key, or null for an item that must not be merged. */
  keyOf: (item: T) => string | null;
  maxItems: number;
  onOverflow?: (dropped: T[]) => void;
}

export class CoalescingQueue<T> {
  private readonly keyOf: (item: T) => string | null;
  private readonly maxItems: number;
  private readonly onOverflow: ((dropped: T[]) => void) | undefined;
  /** Items by arrival number; a Map iterates in insertion order, which is arrival order. */
  private readonly items = new Map<number, T>();
  private readonly slotOfKey = new Map<string, number>();
  /** Arrival numbers of unkeyed items, oldest first, from `unkeyedHead` on. */
  private unkeyed: number[] = [];
  private unkeyedHead = 0;
  private nextSlot = 0;

  constructor(options: CoalescingQueueOptions<T>) {
    if (!(options.maxItems >= 1)) throw new RangeError('maxItems must be at least 1');
    this.keyOf = options.keyOf;
    this.maxItems = options.maxItems;
    this.onOverflow = options.onOverflow;
  }

  /**
   * Keyed: replaces the pending item with the same key, and takes the newer one's place in the
   * order (so nothing drained ever appears before something that arrived earlier than it).
   * Unkeyed: appended. Above maxItems the oldest unkeyed items are dropped and reported; keyed
   * items are never dropped, as they are bounded by the number of keys.
   */
  push(item: T): void {
    const slot = this.nextSlot++;
    const key = this.keyOf(item);
    if (key === null) {
      this.unkeyed.push(slot);
    } else {
      const previous = this.slotOfKey.get(key);
      if (previous !== undefined) this.items.delete(previous);
      this.slotOfKey.set(key, slot);
    }
    this.items.set(slot, item);
    if (this.items.size > this.maxItems) this.dropOldestUnkeyed();
  }

  /** Everything pending, in arrival order; the queue is empty afterwards. */
  drain(): T[] {
    const drained = [...this.items.values()];
    this.items.clear();
    this.slotOfKey.clear();
    this.unkeyed = [];
    this.unkeyedHead = 0;
    return drained;
  }

  get size(): number {
    return this.items.size;
  }

  private dropOldestUnkeyed(): void {
    const dropped: T[] = [];
    while (this.items.size > this.maxItems && this.unkeyedHead < this.unkeyed.length) {
      const slot = this.unkeyed[this.unkeyedHead++];
      if (slot === undefined) break;
      const item = this.items.get(slot);
      if (item === undefined) continue;
      this.items.delete(slot);
      dropped.push(item);
    }
    // Compact now and then so the index array does not grow without bound between drains.
    if (this.unkeyedHead > 1024 && this.unkeyedHead * 2 > this.unkeyed.length) {
      this.unkeyed = this.unkeyed.slice(this.unkeyedHead);
      this.unkeyedHead = 0;
    }
    if (dropped.length > 0) this.onOverflow?.(dropped);
  }
}
