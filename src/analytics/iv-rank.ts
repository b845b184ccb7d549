// Where today's implied vol sits in its past year, from a time series of a 30-day IV (the venue's
// volatility index, or ivtrade's own minute history of the surface).
//
//   IV rank       = (current − min) / (max − min) × 100 over the lookback, current included
//   IV percentile = share of the lookback's earlier observations strictly below current × 100
//
// Rank answers "how far between its extremes", percentile "how often it was lower"; one spike
// moves the rank for a year but the percentile hardly. Both need a series sampled evenly (one
// resolution): a stretch sampled more densely would weigh more in the percentile.
//
// A lookback counts only if the history spans it: the first observation must be no later than
// one sampling step (at most a day) after the lookback start. A shorter series gives null with
// the count it had, never a rank over whatever months happen to be there.

import { DAY_MS, type Bar } from './bars.js';

export interface SeriesPoint {
  /** ms since the epoch. */
  readonly ts: number;
  readonly value: number;
}

export const IV_RANK_DAYS = 365;

/** The closes of vol index candles (decimal) as a series for ivRank: daily candles give the
 * desk's usual year of daily closes, the last one being the level now. */
export function closeSeries(candles: readonly Bar[]): SeriesPoint[] {
  return candles.map((candle) => ({ ts: candle.ts, value: candle.close }));
}
/** Fewer observations than this do not make a distribution. */
export const MIN_RANK_POINTS = 30;

export type IvRank =
  | {
      readonly current: number;
      /** 0–100. */
      readonly rank: number;
      /** 0–100. */
      readonly percentile: number;
      readonly min: number;
      readonly max: number;
      /** Observations used, the current one included. */
      readonly count: number;
      readonly from: number;
      readonly to: number;
    }
  | {
      readonly rank: null;
      readonly percentile: null;
      readonly count: number;
      readonly reason: string;
    };

/** Rank and percentile of the series' last observation (sorted by ts, positive finite values)
 * over the `days` before it. Throws a RangeError on an unsorted series or a bad value. */
export function ivRank(series: readonly SeriesPoint[], days: number = IV_RANK_DAYS): IvRank {
  if (!(days > 0)) throw new RangeError(`lookback must be positive days, got ${days}`);
  for (let i = 0; i < series.length; i++) {
    const p = series[i]!;
    if (!Number.isFinite(p.ts) || !(p.value > 0) || !Number.isFinite(p.value)) {
      throw new RangeError(`series point ${i} (ts ${p.ts}, value ${p.value}) is not a vol level`);
    }
    if (i > 0 && p.ts <= series[i - 1]!.ts) {
      throw new RangeError(`series point ${i} (ts ${p.ts}) is not after the one before`);
    }
  }
  const last = series[series.length - 1];
  if (last === undefined) return { rank: null, percentile: null, count: 0, reason: 'no history' };
  const start = last.ts - days * DAY_MS;
  const used = series.filter((p) => p.ts >= start);
  const count = used.length;
  const step = count > 1 ? Math.min(DAY_MS, (last.ts - used[0]!.ts) / (count - 1)) : DAY_MS;
  if (used[0]!.ts > start + step || count < MIN_RANK_POINTS) {
    const spanDays = (last.ts - used[0]!.ts) / DAY_MS;
    return {
      rank: null,
      percentile: null,
      count,
      reason: `history spans ${spanDays.toFixed(1)} of ${days} days with ${count} points (${MIN_RANK_POINTS} needed)`,
    };
  }
  let min = Infinity;
  let max = -Infinity;
  let below = 0;
  for (const p of used) {
    if (p.value < min) min = p.value;
    if (p.value > max) max = p.value;
    if (p.value < last.value) below++;
  }
  if (max === min) {
    return { rank: null, percentile: null, count, reason: 'the series never moved' };
  }
  return {
    current: last.value,
    rank: ((last.value - min) / (max - min)) * 100,
    percentile: (below / (count - 1)) * 100,
    min,
    max,
    count,
    from: used[0]!.ts,
    to: last.ts,
  };
}
