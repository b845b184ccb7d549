// One instrument's public trades: the sequence number, tick direction and 24 h statistics.
// Statistics roll up in hourly buckets so a busy instrument's day costs 24 entries, not its
// every print; the window is therefore the last 24 whole hours plus the current one.

import type { SimPublicTrade } from '../contract.js';
import { clean } from './grid.js';

const HOUR_MS = 3_600_000;
const WINDOW_HOURS = 24;
const KEPT_TRADES = 1_000;

export type TickDirection = SimPublicTrade['tickDirection'];

interface HourBucket {
  readonly hour: number;
  volume: number;
  high: number;
  low: number;
}

export class TradeTape {
  private seq = 0;
  private readonly trades: SimPublicTrade[] = [];
  private readonly buckets: HourBucket[] = [];
  private lastDirection: TickDirection = 0;

  nextSeq(): number {
    return ++this.seq;
  }

  get lastPrice(): number | null {
    return this.trades.at(-1)?.price ?? null;
  }

  /** 0 plus tick, 1 zero-plus, 2 minus, 3 zero-minus (as the venues print it). */
  tickDirection(price: number): TickDirection {
    const last = this.lastPrice;
    if (last === null || price > last) return 0;
    if (price < last) return 2;
    return this.lastDirection === 0 || this.lastDirection === 1 ? 1 : 3;
  }

  record(trade: SimPublicTrade): void {
    this.trades.push(trade);
    if (this.trades.length > 2 * KEPT_TRADES) this.trades.splice(0, KEPT_TRADES);
    this.lastDirection = trade.tickDirection;
    const hour = Math.floor(trade.ts / HOUR_MS);
    const bucket = this.buckets.at(-1);
    if (bucket !== undefined && bucket.hour === hour) {
      bucket.volume += trade.amount;
      bucket.high = Math.max(bucket.high, trade.price);
      bucket.low = Math.min(bucket.low, trade.price);
    } else {
      this.buckets.push({ hour, volume: trade.amount, high: trade.price, low: trade.price });
      while (this.buckets.length > WINDOW_HOURS + 1) this.buckets.shift();
    }
  }

  /** The last `count` trades, oldest first. */
  recent(count: number): readonly SimPublicTrade[] {
    return count > 0 ? this.trades.slice(-count) : [];
  }

  stats(now: number): { volume: number; high: number | null; low: number | null } {
    const first = Math.floor(now / HOUR_MS) - WINDOW_HOURS;
    let volume = 0;
    let high: number | null = null;
    let low: number | null = null;
    for (const bucket of this.buckets) {
      if (bucket.hour < first) continue;
      volume += bucket.volume;
      high = high === null ? bucket.high : Math.max(high, bucket.high);
      low = low === null ? bucket.low : Math.min(low, bucket.low);
    }
    return { volume: clean(volume), high, low };
  }
}
