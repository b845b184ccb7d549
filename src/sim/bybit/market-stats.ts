// Figures Bybit tickers carry that the exchange core does not keep: turnover (USDT traded),
// totals since listing, the price 1 h and 24 h ago, the last tick direction. Built from the
// public trades the server sees, so they agree with what publicTrade published.

import type { SimPublicTrade } from '../contract.js';

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;

interface TradeMark {
  readonly ts: number;
  readonly price: number;
  readonly notional: number;
}

class InstrumentStats {
  totalVolume = 0;
  totalTurnover = 0;
  tickDirection: 0 | 1 | 2 | 3 = 1;
  /** Trades of the last 24 h (and a little more), oldest first. */
  private readonly window: TradeMark[] = [];
  private head = 0;

  record(trade: SimPublicTrade): void {
    const notional = trade.price * trade.amount;
    this.totalVolume += trade.amount;
    this.totalTurnover += notional;
    this.tickDirection = trade.tickDirection;
    this.window.push({ ts: trade.ts, price: trade.price, notional });
  }

  private trim(now: number): void {
    while (this.head < this.window.length && this.window[this.head]!.ts < now - DAY_MS) this.head++;
    if (this.head > 1024 && this.head * 2 > this.window.length) {
      this.window.splice(0, this.head);
      this.head = 0;
    }
  }

  turnover24h(now: number): number {
    this.trim(now);
    let sum = 0;
    for (let i = this.head; i < this.window.length; i++) sum += this.window[i]!.notional;
    return sum;
  }

  /** The last trade price at or before `at`, or null with no trade that old in the window. */
  priceAt(at: number, now: number): number | null {
    this.trim(now);
    let price: number | null = null;
    for (let i = this.head; i < this.window.length; i++) {
      const mark = this.window[i]!;
      if (mark.ts > at) break;
      price = mark.price;
    }
    return price ?? (this.head < this.window.length ? this.window[this.head]!.price : null);
  }
}

export class MarketStats {
  private readonly byInstrument = new Map<string, InstrumentStats>();

  record(trade: SimPublicTrade): void {
    let stats = this.byInstrument.get(trade.instrument);
    if (stats === undefined) {
      stats = new InstrumentStats();
      this.byInstrument.set(trade.instrument, stats);
    }
    stats.record(trade);
  }

  totals(name: string): { volume: number; turnover: number } {
    const stats = this.byInstrument.get(name);
    return { volume: stats?.totalVolume ?? 0, turnover: stats?.totalTurnover ?? 0 };
  }

  turnover24h(name: string, now: number): number {
    return this.byInstrument.get(name)?.turnover24h(now) ?? 0;
  }

  prevPrice(name: string, agoMs: number, now: number): number | null {
    return this.byInstrument.get(name)?.priceAt(now - agoMs, now) ?? null;
  }

  tickDirection(name: string): 0 | 1 | 2 | 3 {
    return this.byInstrument.get(name)?.tickDirection ?? 1;
  }

  forget(name: string): void {
    this.byInstrument.delete(name);
  }
}

export const ONE_HOUR_MS = HOUR_MS;
export const ONE_DAY_MS = DAY_MS;
