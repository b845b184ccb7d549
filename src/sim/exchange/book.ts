// One instrument's book: the model's market-maker levels plus every user's resting orders.
// What clients see is the two aggregated by price; `diff` turns the change since the last
// publication into the level changes of one book event.

import type { TradingRules } from '../../instruments/types.js';
import type { ModelQuote, SimLevelChange, SimSide } from '../contract.js';
import { snapAmount, snapPrice } from './grid.js';
import { remaining, type OrderRecord } from './orders.js';

export type BookSide = 'bid' | 'ask';
export type Level = readonly [price: number, size: number];

export function restingSide(side: SimSide): BookSide {
  return side === 'buy' ? 'bid' : 'ask';
}

/** The side an order of `side` takes liquidity from. */
export function oppositeSide(side: SimSide): BookSide {
  return side === 'buy' ? 'ask' : 'bid';
}

/** True when `price` is at least as good as `other` for someone resting on `side`. */
export function atOrBetter(side: BookSide, price: number, other: number): boolean {
  return side === 'bid' ? price >= other : price <= other;
}

function sides<T>(make: () => T): Record<BookSide, T> {
  return { bid: make(), ask: make() };
}

/** One side's levels as parallel arrays, best first: a 200-level perpetual book is requoted
 * every step, so it is kept without a map entry or a tuple per level. */
interface FlatSide {
  prices: number[];
  sizes: number[];
}

function emptySide(): FlatSide {
  return { prices: [], sizes: [] };
}

export class InstrumentBook {
  private readonly makers = sides(emptySide);
  private readonly resting = sides(() => new Map<number, OrderRecord[]>());
  private readonly published = sides(emptySide);
  /** Aggregated levels, rebuilt on demand after anything on the side changed. */
  private readonly cached: Record<BookSide, FlatSide | null> = { bid: null, ask: null };

  constructor(
    private readonly rules: TradingRules,
    public changeId: number,
  ) {}

  /** Replaces the market makers' levels with a fresh quote. */
  setMakerQuote(quote: ModelQuote): void {
    this.invalidate();
    this.makers.bid = this.fillMakers('bid', quote.bids, this.makers.bid.prices);
    this.makers.ask = this.fillMakers('ask', quote.asks, this.makers.ask.prices);
  }

  /** `previous` are the side's last maker prices: a quote mostly repeats its deep levels, and a
   * price found among them is on the grid already, so only the rest are snapped. */
  private fillMakers(
    side: BookSide,
    flat: readonly number[],
    previous: readonly number[],
  ): FlatSide {
    // Sized once up front: a deep quote grown level by level would reallocate as it goes, and
    // every requote of every book makes one.
    const capacity = flat.length >> 1;
    const prices = new Array<number>(capacity);
    const sizes = new Array<number>(capacity);
    let n = 0;
    let ordered = true;
    let k = 0;
    for (let i = 0; i + 1 < flat.length; i += 2) {
      const raw = flat[i]!;
      while (k < previous.length && better(side, previous[k]!, raw)) k++;
      const price = previous[k] === raw ? raw : snapPrice(this.rules, raw);
      const size = flat[i + 1]!;
      if (!(price > 0 && size > 0)) continue;
      if (n > 0 && prices[n - 1] === price) {
        sizes[n - 1] = sizes[n - 1]! + size;
        continue;
      }
      if (n > 0 && !better(side, prices[n - 1]!, price)) ordered = false;
      prices[n] = price;
      sizes[n] = size;
      n++;
    }
    prices.length = n;
    sizes.length = n;
    const out = { prices, sizes };
    return ordered ? out : sortedSide(side, out);
  }

  makerSize(side: BookSide, price: number): number {
    const at = indexOf(side, this.makers[side].prices, price);
    return at < 0 ? 0 : this.makers[side].sizes[at]!;
  }

  /** Makers' levels best first. */
  makerPrices(side: BookSide): number[] {
    return this.makers[side].prices.slice();
  }

  /** Liquidity a taker consumed stays gone until the model quotes again. The side is copied,
   * not changed in place: the last published state may share its arrays. */
  consumeMaker(side: BookSide, price: number, amount: number): void {
    const makers = this.makers[side];
    const at = indexOf(side, makers.prices, price);
    if (at < 0) return;
    this.invalidate();
    const left = snapAmount(this.rules, makers.sizes[at]! - amount);
    const next = { prices: makers.prices.slice(), sizes: makers.sizes.slice() };
    if (left > 0) {
      next.sizes[at] = left;
    } else {
      next.prices.splice(at, 1);
      next.sizes.splice(at, 1);
    }
    this.makers[side] = next;
  }

  add(order: OrderRecord): void {
    this.invalidate();
    const side = restingSide(order.side);
    const price = order.price!;
    const queue = this.resting[side].get(price);
    if (queue === undefined) {
      this.resting[side].set(price, [order]);
      return;
    }
    // An order edited down keeps its place in the queue, so insert by priority, not at the end.
    const after = queue.findIndex((other) => other.priority > order.priority);
    if (after < 0) queue.push(order);
    else queue.splice(after, 0, order);
  }

  /** Call before changing the order's price: it is filed under the price it rests at. */
  remove(order: OrderRecord): void {
    this.invalidate();
    const side = restingSide(order.side);
    const price = order.price!;
    const queue = this.resting[side].get(price);
    if (queue === undefined) return;
    const at = queue.indexOf(order);
    if (at >= 0) queue.splice(at, 1);
    if (queue.length === 0) this.resting[side].delete(price);
  }

  /** Resting orders' sizes change as they fill: the exchange says so here. */
  invalidate(): void {
    this.cached.bid = null;
    this.cached.ask = null;
  }

  hasUserOrders(): boolean {
    return this.resting.bid.size > 0 || this.resting.ask.size > 0;
  }

  ordersAt(side: BookSide, price: number): readonly OrderRecord[] {
    return this.resting[side].get(price) ?? [];
  }

  /** Resting user orders best price first, oldest first within a price. */
  userOrders(side: BookSide): OrderRecord[] {
    const prices = sortBest(side, [...this.resting[side].keys()]);
    return prices.flatMap((price) => [...this.ordersAt(side, price)]);
  }

  /** Every price with liquidity, best first. */
  prices(side: BookSide): number[] {
    if (this.resting[side].size === 0) return this.makers[side].prices.slice();
    const all = new Set([...this.makers[side].prices, ...this.resting[side].keys()]);
    return sortBest(side, [...all]);
  }

  sizeAt(side: BookSide, price: number): number {
    const orders = this.resting[side].get(price);
    if (orders === undefined) return this.makerSize(side, price);
    let size = this.makerSize(side, price);
    for (const order of orders) size += remaining(order);
    return snapAmount(this.rules, size);
  }

  private allLevels(side: BookSide): FlatSide {
    let levels = this.cached[side];
    if (levels === null) {
      if (this.resting[side].size === 0) {
        // Nothing of the users': the makers' own arrays, never changed in place.
        levels = this.makers[side];
      } else {
        levels = emptySide();
        for (const price of this.prices(side)) {
          const size = this.sizeAt(side, price);
          if (size > 0) {
            levels.prices.push(price);
            levels.sizes.push(size);
          }
        }
      }
      this.cached[side] = levels;
    }
    return levels;
  }

  /** Aggregated [price, size] best first. */
  levels(side: BookSide, depth = Infinity): Level[] {
    const { prices, sizes } = this.allLevels(side);
    const n = Math.min(depth, prices.length);
    const out: Level[] = new Array<Level>(n);
    for (let i = 0; i < n; i++) out[i] = [prices[i]!, sizes[i]!];
    return out;
  }

  best(side: BookSide): Level | null {
    const { prices, sizes } = this.allLevels(side);
    return prices.length > 0 ? [prices[0]!, sizes[0]!] : null;
  }

  /** Level changes since the last call, bids then asks; moves the published state along.
   * Both states are sorted best first, so one merge walk finds them: new and changed levels
   * best first, then the deleted ones. */
  diff(): SimLevelChange[] {
    const changes: SimLevelChange[] = [];
    for (const side of ['bid', 'ask'] as const) {
      const before = this.published[side];
      const after = this.allLevels(side);
      const deleted: SimLevelChange[] = [];
      let i = 0;
      let j = 0;
      while (i < after.prices.length || j < before.prices.length) {
        const price = after.prices[i];
        const old = before.prices[j];
        if (price !== undefined && price === old) {
          const size = after.sizes[i]!;
          if (size !== before.sizes[j])
            changes.push({ side, action: 'change', price, amount: size });
          i++;
          j++;
        } else if (price !== undefined && (old === undefined || better(side, price, old))) {
          changes.push({ side, action: 'new', price, amount: after.sizes[i]! });
          i++;
        } else {
          deleted.push({ side, action: 'delete', price: old!, amount: 0 });
          j++;
        }
      }
      for (const change of deleted) changes.push(change);
      // Never changed in place (see consumeMaker), so it can be kept as it is.
      this.published[side] = after;
    }
    return changes;
  }
}

/** True when `price` is strictly better than `other` for a level on `side`. */
function better(side: BookSide, price: number, other: number): boolean {
  return side === 'bid' ? price > other : price < other;
}

/** Where `price` sits in a best-first list, or −1. */
function indexOf(side: BookSide, prices: readonly number[], price: number): number {
  let low = 0;
  let high = prices.length - 1;
  while (low <= high) {
    const mid = (low + high) >> 1;
    const at = prices[mid]!;
    if (at === price) return mid;
    if (better(side, at, price)) low = mid + 1;
    else high = mid - 1;
  }
  return -1;
}

/** A quote that came out of order (no model sends one): aggregated and sorted. */
function sortedSide(side: BookSide, levels: FlatSide): FlatSide {
  const merged = new Map<number, number>();
  levels.prices.forEach((price, i) =>
    merged.set(price, (merged.get(price) ?? 0) + levels.sizes[i]!),
  );
  const prices = sortBest(side, [...merged.keys()]);
  return { prices, sizes: prices.map((price) => merged.get(price)!) };
}

function sortBest(side: BookSide, prices: number[]): number[] {
  return prices.sort(side === 'bid' ? (a, b) => b - a : (a, b) => a - b);
}
