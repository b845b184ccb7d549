/**
 * The slowest obviously-correct L2 book: a Map per side, tops found by scanning. Tests hold
 * ivtrade's book against it; it shares no code with src/book.
 */
export class NaiveBook {
  readonly bids = new Map<number, number>();
  readonly asks = new Map<number, number>();

  snapshot(bids: readonly number[], asks: readonly number[]): void {
    this.bids.clear();
    this.asks.clear();
    this.delta(bids, asks);
  }

  delta(bids: readonly number[], asks: readonly number[]): void {
    apply(this.bids, bids);
    apply(this.asks, asks);
  }

  top(): {
    bid: number | null;
    bidSize: number | null;
    ask: number | null;
    askSize: number | null;
  } {
    const bid = best(this.bids, (a, b) => a > b);
    const ask = best(this.asks, (a, b) => a < b);
    return {
      bid,
      bidSize: bid === null ? null : (this.bids.get(bid) ?? null),
      ask,
      askSize: ask === null ? null : (this.asks.get(ask) ?? null),
    };
  }

  /** Levels best first. */
  levels(side: 'bids' | 'asks'): [number, number][] {
    const entries = [...this[side].entries()];
    return entries.sort(([a], [b]) => (side === 'bids' ? b - a : a - b));
  }
}

function apply(side: Map<number, number>, pairs: readonly number[]): void {
  for (let i = 0; i + 1 < pairs.length; i += 2) {
    const price = pairs[i]!;
    const size = pairs[i + 1]!;
    if (size === 0) side.delete(price);
    else side.set(price, size);
  }
}

function best(side: Map<number, number>, better: (a: number, b: number) => boolean): number | null {
  let result: number | null = null;
  for (const price of side.keys()) if (result === null || better(price, result)) result = price;
  return result;
}
