// The tape before the sim began. A venue's `get_last_trades_by_instrument` / `recent-trade`
// is never empty on a listed, traded instrument, so the first step hands each venue the prints
// of the hours before it: the same taker flow the live model runs (same rates, same sizes),
// played backwards from the start as a Poisson process (which reads the same either way), each
// print at the book of its minute: the past index (history.ts, the candles the venues serve),
// the instrument's fair value on it, and a taker crossing the half spread.

import type { ModelPastTrade } from '../contract.js';
import type { Random } from '../random.js';
import type { Grid } from './ticks.js';

/** What the market looked like at a past minute. */
export interface PastMarket {
  /** Index at `ts` and the 30-day vol index then, or null before the history's reach; at or
   * after the start, the live index and vol. */
  at(currency: string, ts: number): { index: number; vol: number } | null;
}

/** The value of a print then, in the instrument's price unit. */
export interface PastValue {
  readonly price: number;
  /** Options: the vol the value was priced at, and the IV of `tradePrice` near it. */
  readonly iv: ((tradePrice: number) => number | null) | null;
}

export interface PastInstrument {
  readonly name: string;
  readonly currency: string;
  readonly grid: Grid;
  /** No print before the listing. */
  readonly listedAt: number;
  /** Prints per minute. */
  readonly rate: number;
  /** Typical taker size in the amount unit, before the same 5-50 % draw the live flow uses. */
  readonly size: number;
  /** Half spread in price units: a taker pays it. */
  readonly halfSpread: number;
  /** How far back prints go, and how many at most. */
  readonly windowMs: number;
  readonly maxPrints: number;
  /** The instrument's fair value at `ts` with the index at `index` and `volRatio` = the vol
   * index then over now. */
  value(ts: number, index: number, volRatio: number): PastValue;
}

/** Prints of every instrument, oldest first across all of them (ties in input order). */
export function pastTrades(
  instruments: readonly PastInstrument[],
  now: number,
  market: PastMarket,
  random: Random,
): ModelPastTrade[] {
  const out: { trade: ModelPastTrade; order: number }[] = [];
  for (const instrument of instruments) {
    const nowVol = market.at(instrument.currency, now)?.vol;
    if (nowVol === undefined || !(instrument.rate > 0)) continue;
    const from = Math.max(instrument.listedAt, now - instrument.windowMs);
    let ts = now;
    for (let n = 0; n < instrument.maxPrints; n++) {
      // Exponential gaps backwards; a whole-ms time strictly before the start.
      ts = Math.floor(ts + (60_000 * Math.log(1 - random.next())) / instrument.rate);
      if (ts < from || ts >= now) break;
      const then = market.at(instrument.currency, ts);
      if (then === null) break;
      const trade = printAt(instrument, ts, then.index, then.vol / nowVol, random);
      if (trade !== null) out.push({ trade, order: out.length });
    }
  }
  out.sort((a, b) => a.trade.ts - b.trade.ts || a.order - b.order);
  return out.map((o) => o.trade);
}

function printAt(
  instrument: PastInstrument,
  ts: number,
  index: number,
  volRatio: number,
  random: Random,
): ModelPastTrade | null {
  const { grid } = instrument;
  const value = instrument.value(ts, index, volRatio);
  if (!(value.price > 0)) return null;
  const direction = random.chance(0.5) ? 'buy' : 'sell';
  // Where the makers stood: the fair value leaned on a little, then crossed by the taker.
  const centre = value.price + instrument.halfSpread * random.uniform(-0.3, 0.3);
  const price =
    direction === 'buy'
      ? grid.ceil(Math.max(centre + instrument.halfSpread, grid.minTick))
      : grid.floor(centre - instrument.halfSpread);
  if (!(price > 0)) return null;
  return {
    instrument: instrument.name,
    ts,
    price,
    amount: grid.amount(instrument.size * random.uniform(0.05, 0.5)),
    direction,
    indexPrice: index,
    markPrice: value.price,
    iv: value.iv === null ? null : value.iv(price),
  };
}
