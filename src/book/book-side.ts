/**
 * One side of an L2 book as two parallel sorted Float64Arrays (key, size).
 *
 * Keys are ascending with the best level LAST: bids store the price, asks store the negated
 * price (negation is exact in float64), so one code path serves both sides. Best-last matters
 * because most updates hit the top of a book: inserting or deleting near the end shifts
 * almost nothing, and reading the top is one index. Capacity doubles when full, so steady
 * state does no allocation at all.
 */
const INITIAL_CAPACITY = 16;

export class BookSide {
  #keys: Float64Array;
  #sizes: Float64Array;
  #count = 0;

  /** +1 for bids (key = price), −1 for asks (key = −price). */
  constructor(
    readonly sign: 1 | -1,
    capacity = INITIAL_CAPACITY,
  ) {
    this.#keys = new Float64Array(capacity);
    this.#sizes = new Float64Array(capacity);
  }

  get count(): number {
    return this.#count;
  }

  /** Best price, NaN when the side is empty. */
  get bestPrice(): number {
    return this.#count === 0 ? NaN : this.sign * this.#keys[this.#count - 1]!;
  }

  /** Size at the best price, NaN when the side is empty. */
  get bestSize(): number {
    return this.#count === 0 ? NaN : this.#sizes[this.#count - 1]!;
  }

  /** Price of the level `depth` steps from the top (0 = best); NaN past the last level. */
  priceAt(depth: number): number {
    const index = this.#count - 1 - depth;
    return index >= 0 && depth >= 0 ? this.sign * this.#keys[index]! : NaN;
  }

  sizeAt(depth: number): number {
    const index = this.#count - 1 - depth;
    return index >= 0 && depth >= 0 ? this.#sizes[index]! : NaN;
  }

  clear(): void {
    this.#count = 0;
  }

  /** Sets the size at a price; size 0 deletes the level (deleting a missing one is a no-op). */
  set(price: number, size: number): void {
    const key = this.sign * price;
    const count = this.#count;
    const keys = this.#keys;
    // Fast paths for the top, where most updates land.
    if (count > 0) {
      const top = keys[count - 1]!;
      if (key === top) {
        if (size === 0) this.#count = count - 1;
        else this.#sizes[count - 1] = size;
        return;
      }
      if (key > top) {
        if (size !== 0) this.#insertAt(count, key, size);
        return;
      }
    } else {
      if (size !== 0) this.#insertAt(0, key, size);
      return;
    }
    const index = this.#lowerBound(key);
    if (index < count && keys[index] === key) {
      if (size === 0) this.#removeAt(index);
      else this.#sizes[index] = size;
    } else if (size !== 0) {
      this.#insertAt(index, key, size);
    }
  }

  /** Size at a price, 0 when there is no such level. */
  sizeOf(price: number): number {
    const key = this.sign * price;
    const index = this.#lowerBound(key);
    return index < this.#count && this.#keys[index] === key ? this.#sizes[index]! : 0;
  }

  /** First index whose key is ≥ `key`, in [0, count]. */
  #lowerBound(key: number): number {
    const keys = this.#keys;
    let low = 0;
    let high = this.#count;
    while (low < high) {
      const middle = (low + high) >>> 1;
      if (keys[middle]! < key) low = middle + 1;
      else high = middle;
    }
    return low;
  }

  #insertAt(index: number, key: number, size: number): void {
    if (this.#count === this.#keys.length) this.#grow();
    const keys = this.#keys;
    const sizes = this.#sizes;
    if (index < this.#count) {
      keys.copyWithin(index + 1, index, this.#count);
      sizes.copyWithin(index + 1, index, this.#count);
    }
    keys[index] = key;
    sizes[index] = size;
    this.#count += 1;
  }

  #removeAt(index: number): void {
    this.#keys.copyWithin(index, index + 1, this.#count);
    this.#sizes.copyWithin(index, index + 1, this.#count);
    this.#count -= 1;
  }

  #grow(): void {
    const keys = new Float64Array(this.#keys.length * 2);
    const sizes = new Float64Array(this.#sizes.length * 2);
    keys.set(this.#keys);
    sizes.set(this.#sizes);
    this.#keys = keys;
    this.#sizes = sizes;
  }
}
