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

export class InstrumentBook {
  private readonly makers = sides(() => new Map<number, number>());
  private readonly resting = sides(() => new Map<number, OrderRecord[]>());
  private readonly published = sides(() => new Map<number, number>());
  /** Aggregated levels, rebuilt on demand after anything on the side changed. */
  private readonly cached: Record<BookSide, Level[] | null> = { bid: null, ask: null };

  constructor(
    private readonly rules: TradingRules,
    public changeId: number,
  ) {}

  /** Replaces the market makers' levels with a fresh quote. */
  setMakerQuote(quote: ModelQuote): void {
    this.invalidate();
    this.fillMakers(this.makers.bid, quote.bids);
    this.fillMakers(this.makers.ask, quote.asks);
  }

  private fillMakers(levels: Map<number, number>, flat: readonly number[]): void {
    levels.clear();
    for (let i = 0; i + 1 < flat.length; i += 2) {
      const price = snapPrice(this.rules, flat[i]!);
      const size = flat[i + 1]!;
      if (price > 0 && size > 0) levels.set(price, (levels.get(price) ?? 0) + size);
    }
  }

  makerSize(side: BookSide, price: number): number {
    return this.makers[side].get(price) ?? 0;
  }

  /** Makers' levels best first. */
  makerPrices(side: BookSide): number[] {
    return sortBest(side, [...this.makers[side].keys()]);
  }

  /** Liquidity a taker consumed stays gone until the model quotes again. */
  consumeMaker(side: BookSide, price: number, amount: number): void {
    this.invalidate();
    const left = snapAmount(this.rules, this.makerSize(side, price) - amount);
    if (left > 0) this.makers[side].set(price, left);
    else this.makers[side].delete(price);
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
    const all = new Set([...this.makers[side].keys(), ...this.resting[side].keys()]);
    return sortBest(side, [...all]);
  }

  sizeAt(side: BookSide, price: number): number {
    const orders = this.resting[side].get(price);
    if (orders === undefined) return this.makerSize(side, price);
    let size = this.makerSize(side, price);
    for (const order of orders) size += remaining(order);
    return snapAmount(this.rules, size);
  }

  private allLevels(side: BookSide): Level[] {
    let levels = this.cached[side];
    if (levels === null) {
      levels = [];
      for (const price of this.prices(side)) {
        const size = this.sizeAt(side, price);
        if (size > 0) levels.push([price, size]);
      }
      this.cached[side] = levels;
    }
    return levels;
  }

  /** Aggregated [price, size] best first. */
  levels(side: BookSide, depth = Infinity): Level[] {
    return this.allLevels(side).slice(0, depth);
  }

  best(side: BookSide): Level | null {
    return this.allLevels(side)[0] ?? null;
  }

  /** Level changes since the last call, bids then asks; moves the published state along. */
  diff(): SimLevelChange[] {
    const changes: SimLevelChange[] = [];
    for (const side of ['bid', 'ask'] as const) {
      const before = this.published[side];
      const after = new Map(this.allLevels(side));
      for (const [price, size] of after) {
        const old = before.get(price);
        if (old === undefined) changes.push({ side, action: 'new', price, amount: size });
        else if (old !== size) changes.push({ side, action: 'change', price, amount: size });
      }
      for (const price of before.keys()) {
        if (!after.has(price)) changes.push({ side, action: 'delete', price, amount: 0 });
      }
      this.published[side] = after;
    }
    return changes;
  }
}

function sortBest(side: BookSide, prices: number[]): number[] {
  return prices.sort(side === 'bid' ? (a, b) => b - a : (a, b) => a - b);
}
