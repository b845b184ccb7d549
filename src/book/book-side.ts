import type { LevelPairs } from './events.js';

/**
 * One side of an L2 book in one Float64Array: sorted keys in [0, capacity) and their sizes in
 * [capacity, 2·capacity), one allocation per side.
 *
 * Keys are ascending with the best level LAST: bids store the price, asks store the negated
 * price (negation is exact in float64), so one code path serves both sides. Best-last matters
 * because most updates hit the top of a book: inserting or deleting near the end shifts
 * almost nothing, and reading the top is one index. Capacity doubles when full, so steady
 * state does no allocation at all. The pair loops live here, next to the arrays, so prices
 * and sizes never cross a call boundary as heap numbers.
 */
const INITIAL_CAPACITY = 16;
// Shared by every side that has never held a level: a book allocates on its first snapshot,
// sized for it, instead of allocating, outgrowing and dropping a default buffer.
const NO_LEVELS = new Float64Array(0);

export class BookSide {
  #levels: Float64Array;
  #capacity: number;
  #count = 0;
  /** Counts updates that touched the best level; equal counts mean the top was not touched. */
  #topTouches = 0;

  /** +1 for bids (key = price), −1 for asks (key = −price). */
  constructor(readonly sign: 1 | -1) {
    this.#capacity = 0;
    this.#levels = NO_LEVELS;
  }

  get count(): number {
    return this.#count;
  }

  get topTouches(): number {
    return this.#topTouches;
  }

  /** Best price, NaN when the side is empty. */
  get bestPrice(): number {
    return this.#count === 0 ? NaN : this.sign * this.#levels[this.#count - 1]!;
  }

  /** Size at the best price, NaN when the side is empty. */
  get bestSize(): number {
    return this.#count === 0 ? NaN : this.#levels[this.#capacity + this.#count - 1]!;
  }

  /** Price of the level `depth` steps from the top (0 = best); NaN past the last level. */
  priceAt(depth: number): number {
    const index = this.#count - 1 - depth;
    return index >= 0 && depth >= 0 ? this.sign * this.#levels[index]! : NaN;
  }

  sizeAt(depth: number): number {
    const index = this.#count - 1 - depth;
    return index >= 0 && depth >= 0 ? this.#levels[this.#capacity + index]! : NaN;
  }

  /** Size at a price, 0 when there is no such level. */
  sizeOf(price: number): number {
    const key = this.sign * price;
    const index = this.#lowerBound(key);
    return index < this.#count && this.#levels[index] === key
      ? this.#levels[this.#capacity + index]!
      : 0;
  }

  /** Writes the best price and size (NaN, NaN when empty) to out[at], out[at + 1]. */
  copyTop(out: Float64Array, at: number): void {
    const count = this.#count;
    out[at] = count === 0 ? NaN : this.sign * this.#levels[count - 1]!;
    out[at + 1] = count === 0 ? NaN : this.#levels[this.#capacity + count - 1]!;
  }

  /** Whether the best price and size are those copyTop wrote at out[at]. */
  topEquals(out: Float64Array, at: number): boolean {
    const count = this.#count;
    if (count === 0) return Number.isNaN(out[at]!);
    return (
      out[at] === this.sign * this.#levels[count - 1]! &&
      out[at + 1] === this.#levels[this.#capacity + count - 1]!
    );
  }

  clear(): void {
    this.#count = 0;
    this.#topTouches += 1;
  }

  /** Applies `[price, size, …]` in order; size 0 deletes. */
  applyPairs(pairs: LevelPairs): void {
    for (let i = 0; i + 1 < pairs.length; i += 2) this.set(pairs[i]!, pairs[i + 1]!);
  }

  /**
   * Replaces the side with a snapshot's levels. Venues send snapshots best first, so they are
   * written straight into place from the end; anything else (unordered, repeated prices,
   * zero sizes) is applied level by level in wire order, with the same result.
   */
  load(pairs: LevelPairs): void {
    const n = pairs.length >> 1;
    this.#count = 0;
    this.#topTouches += 1;
    if (this.#capacity < n) this.#growTo(n);
    const levels = this.#levels;
    const sizes = this.#capacity;
    let previous = Infinity;
    for (let i = 0; i < n; i += 1) {
      const key = this.sign * pairs[2 * i]!;
      const size = pairs[2 * i + 1]!;
      // Best first means strictly falling keys (best is the largest key).
      if (!(key < previous) || !(size > 0)) {
        this.applyPairs(pairs);
        return;
      }
      levels[n - 1 - i] = key;
      levels[sizes + n - 1 - i] = size;
      previous = key;
    }
    this.#count = n;
  }

  /** Sets the size at a price; size 0 deletes the level (deleting a missing one is a no-op). */
  set(price: number, size: number): void {
    const key = this.sign * price;
    const count = this.#count;
    const levels = this.#levels;
    // Fast paths for the top, where most updates land.
    if (count > 0) {
      const top = levels[count - 1]!;
      if (key === top) {
        if (size === 0) this.#count = count - 1;
        else levels[this.#capacity + count - 1] = size;
        this.#topTouches += 1;
        return;
      }
      if (key > top) {
        if (size !== 0) {
          this.#insertAt(count, key, size);
          this.#topTouches += 1;
        }
        return;
      }
    } else {
      if (size !== 0) {
        this.#insertAt(0, key, size);
        this.#topTouches += 1;
      }
      return;
    }
    // Below the top: the top level itself is unchanged.
    const index = this.#lowerBound(key);
    if (levels[index] === key) {
      if (size === 0) this.#removeAt(index);
      else levels[this.#capacity + index] = size;
    } else if (size !== 0) {
      this.#insertAt(index, key, size);
    }
  }

  /** First index whose key is ≥ `key`, in [0, count]. */
  #lowerBound(key: number): number {
    const levels = this.#levels;
    let low = 0;
    let high = this.#count;
    while (low < high) {
      const middle = (low + high) >>> 1;
      if (levels[middle]! < key) low = middle + 1;
      else high = middle;
    }
    return low;
  }

  #insertAt(index: number, key: number, size: number): void {
    if (this.#count === this.#capacity) this.#grow();
    const levels = this.#levels;
    const sizes = this.#capacity;
    const count = this.#count;
    if (index < count) {
      levels.copyWithin(index + 1, index, count);
      levels.copyWithin(sizes + index + 1, sizes + index, sizes + count);
    }
    levels[index] = key;
    levels[sizes + index] = size;
    this.#count = count + 1;
  }

  #removeAt(index: number): void {
    const levels = this.#levels;
    const sizes = this.#capacity;
    const count = this.#count;
    levels.copyWithin(index, index + 1, count);
    levels.copyWithin(sizes + index, sizes + index + 1, sizes + count);
    this.#count = count - 1;
  }

  #grow(): void {
    this.#growTo(this.#count + 1);
  }

  /** Room for n levels, in powers of two so deltas that add levels rarely reallocate. */
  #growTo(n: number): void {
    let capacity = Math.max(INITIAL_CAPACITY, this.#capacity);
    while (capacity < n) capacity *= 2;
    const levels = new Float64Array(2 * capacity);
    levels.set(this.#levels.subarray(0, this.#count));
    levels.set(this.#levels.subarray(this.#capacity, this.#capacity + this.#count), capacity);
    this.#levels = levels;
    this.#capacity = capacity;
  }
}
