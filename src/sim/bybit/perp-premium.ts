// The perpetuals' premium over the index (mark = index × (1 + premium)), for any time the
// history serves: what the sim recorded since it started, and a seeded past before it.
//
// Live: after each model step the perpetual's mark and index are read off the exchange and the
// premium kept in minute candles, as history.ts keeps the index. Past: the premium follows the
// live model's process (carry.ts: an Ornstein–Uhlenbeck with a four-hour half-life around
// 0.01 %), sampled every 8 h back from the start, beginning at the premium the sim started
// with, and linear in between. The process is time-reversible in its stationary state, so
// running its transition backwards from the start draws a past that is consistent with it.
// Each coin's chain comes from its own seeded stream: the same seed serves the same past.

import { MS_PER_YEAR } from '../../pricing/index.js';
import type { SimExchange } from '../contract.js';
import { PREMIUM_KAPPA, PREMIUM_MEAN, PREMIUM_SD } from '../model/carry.js';
import { firstAtOrAfter, HISTORY_DAYS, MINUTE_MS, type SimCandle } from '../model/history.js';
import { stream } from '../model/streams.js';

/** Knots of the past premium: every 8 h. */
export const KNOT_MS = 8 * 3_600_000;
const KNOTS = HISTORY_DAYS * 3 + 3;
/** Minute candles of live premium kept per coin (a month at one step a second or slower). */
const LIVE_MINUTES_KEPT = 45_000;

interface MutableCandle {
  ts: number;
  open: number;
  high: number;
  low: number;
  close: number;
}

export class PerpetualPremiums {
  private readonly live = new Map<string, MutableCandle[]>();
  private readonly chains = new Map<string, Float64Array>();
  private readonly stopListening: () => void;

  /** `anchor`: the minute the sim started in (MarketHistory.anchor); the past ends there. */
  constructor(
    private readonly exchange: SimExchange,
    private readonly seed: number,
    readonly anchor: number,
  ) {
    this.stopListening = exchange.subscribe((event) => {
      if (event.type === 'step') this.record(event.ts);
    });
  }

  close(): void {
    this.stopListening();
  }

  /** The premium at `ts` before the start (linear between 8-hourly knots). */
  pastPremium(base: string, ts: number): number {
    const chain = this.chain(base);
    const back = Math.max(0, (this.anchor - ts) / KNOT_MS);
    const j = Math.min(Math.floor(back), chain.length - 2);
    const w = back - j;
    return chain[j]! * (1 - w) + chain[j + 1]! * w;
  }

  /** The premium candle over [from, from + periodMs): the past part from the knots, the live
   * part from the recorded minutes; null when neither covers any of it. */
  candle(base: string, from: number, periodMs: number): SimCandle | null {
    const to = from + periodMs;
    const parts: SimCandle[] = [];
    if (from < this.anchor) parts.push(this.pastCandle(base, from, Math.min(to, this.anchor)));
    for (const minute of this.liveMinutes(base, Math.max(from, this.anchor), to)) {
      parts.push(minute);
    }
    const first = parts[0];
    if (first === undefined) return null;
    return {
      ts: from,
      open: first.open,
      close: parts[parts.length - 1]!.close,
      high: Math.max(...parts.map((p) => p.high)),
      low: Math.min(...parts.map((p) => p.low)),
    };
  }

  private pastCandle(base: string, from: number, to: number): SimCandle {
    const open = this.pastPremium(base, from);
    const close = this.pastPremium(base, to);
    // Linear between knots: the extremes are at the ends or at a knot inside.
    const values = [open, close];
    const firstKnot = this.anchor - Math.floor((this.anchor - from) / KNOT_MS) * KNOT_MS;
    for (let t = firstKnot; t < to; t += KNOT_MS) {
      if (t > from) values.push(this.pastPremium(base, t));
    }
    return { ts: from, open, close, high: Math.max(...values), low: Math.min(...values) };
  }

  private liveMinutes(base: string, from: number, to: number): SimCandle[] {
    const minutes = this.live.get(base) ?? [];
    const out: SimCandle[] = [];
    for (let i = firstAtOrAfter(minutes, from); i < minutes.length && minutes[i]!.ts < to; i++) {
      out.push(minutes[i]!);
    }
    return out;
  }

  /** Knot j is the premium j × 8 h before the anchor; knot 0 the one the sim started at. */
  private chain(base: string): Float64Array {
    let chain = this.chains.get(base);
    if (chain !== undefined) return chain;
    chain = new Float64Array(KNOTS);
    const random = stream(this.seed, `bybit:premium:${base}`);
    const decay = Math.exp(-PREMIUM_KAPPA * (KNOT_MS / MS_PER_YEAR));
    const spread = PREMIUM_SD * Math.sqrt(1 - decay * decay);
    // Before the first step is recorded the start's premium is not known yet: a stand-in drawn
    // like the live model's first premium, not kept, so later answers use the real one.
    const start = this.live.get(base)?.[0]?.open;
    chain[0] =
      start ?? PREMIUM_MEAN + PREMIUM_SD * stream(this.seed, `bybit:premium0:${base}`).normal();
    for (let j = 1; j < KNOTS; j++) {
      chain[j] = PREMIUM_MEAN + (chain[j - 1]! - PREMIUM_MEAN) * decay + spread * random.normal();
    }
    if (start !== undefined) this.chains.set(base, chain);
    return chain;
  }

  private record(ts: number): void {
    for (const instrument of this.exchange.instruments({ kind: 'perpetual' })) {
      const ticker = this.exchange.ticker(instrument.spec.name);
      if (ticker === undefined || !(ticker.indexPrice > 0) || !(ticker.markPrice > 0)) continue;
      const premium = ticker.markPrice / ticker.indexPrice - 1;
      let minutes = this.live.get(instrument.currency);
      if (minutes === undefined) {
        minutes = [];
        this.live.set(instrument.currency, minutes);
      }
      const bucket = Math.floor(ts / MINUTE_MS) * MINUTE_MS;
      const last = minutes[minutes.length - 1];
      if (last === undefined || last.ts < bucket) {
        minutes.push({ ts: bucket, open: premium, high: premium, low: premium, close: premium });
        if (minutes.length > LIVE_MINUTES_KEPT) minutes.splice(0, LIVE_MINUTES_KEPT / 10);
      } else if (last.ts === bucket) {
        last.high = Math.max(last.high, premium);
        last.low = Math.min(last.low, premium);
        last.close = premium;
      }
    }
  }
}
