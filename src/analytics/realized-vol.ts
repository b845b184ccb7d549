// Realised volatility from OHLC bars, annualised on a 365-day year.
//
// Crypto trades around the clock, so every calendar minute is a trading minute: a 1-minute bar
// is 1/525,600 of a year and a 1-hour bar 1/8,760 (bars per year = 365 × 86,400,000 / period
// ms). Each estimator averages a per-bar variance and scales it by bars per year.
//
// Yang–Zhang's "overnight" on a continuous market is the jump from the previous bar's close to
// this bar's open: the move between the last tick of one period and the first of the next, or
// across a gap when the feed was silent. It is small on a liquid index but it is real, and it is
// the only part of a gap's move that the range estimators can see.
//
// Formulas (o = ln O/C₋₁, u = ln H/O, d = ln L/O, c = ln C/O, per bar):
//   close-to-close  σ² = Σ r² / Σ k, r = ln C/C₋₁ with zero mean, k = periods the return spans
//   Parkinson       σ² = mean (u − d)² / (4 ln 2)
//   Garman–Klass    σ² = mean ½(u − d)² − (2 ln 2 − 1) c²
//   Rogers–Satchell σ² = mean u(u − c) + d(d − c)
//   Yang–Zhang      σ² = σ²ₒ + κ σ²꜀ + (1 − κ) σ²ʀꜱ, κ = 0.34 / (1.34 + (n + 1)/(n − 1)),
//                   σ²ₒ and σ²꜀ the sample variances (n − 1) of o and c
// Close-to-close divides by the periods spanned, not the returns counted, so a return across a
// silent minute counts as the two minutes of variance it carries.

import { DAY_MS, checkBars, type Bar } from './bars.js';

export const ESTIMATORS = [
  'close-to-close',
  'parkinson',
  'garman-klass',
  'rogers-satchell',
  'yang-zhang',
] as const;
export type Estimator = (typeof ESTIMATORS)[number];

export const RV_WINDOW_DAYS = [1, 7, 30, 90] as const;

/** A window needs this share of its bars: a day with hours of feed outage is not "1-day RV". */
export const MIN_COVERAGE = 0.8;
/** And at least this many bars, whatever the window. */
export const MIN_BARS = 10;

export interface RvWindow {
  readonly periodMs: number;
  readonly days: number;
  /** Exclusive end, ms: the window holds complete bars with ts ≥ end − days and ts + period ≤ end. */
  readonly end: number;
}

export type RvResult =
  | {
      readonly vol: number;
      readonly estimator: Estimator;
      /** Bars in the window and bars a full window has. */
      readonly bars: number;
      readonly expectedBars: number;
    }
  | {
      readonly vol: null;
      readonly estimator: Estimator;
      readonly bars: number;
      readonly expectedBars: number;
      readonly reason: string;
    };

export function barsPerYear(periodMs: number): number {
  return (365 * DAY_MS) / periodMs;
}

/** Complete bars of `bars` (sorted, on the period grid) inside the window. */
export function windowBars(bars: readonly Bar[], window: RvWindow): readonly Bar[] {
  const start = window.end - window.days * DAY_MS;
  return bars.slice(
    firstAtOrAfter(bars, start),
    firstAtOrAfter(bars, window.end - window.periodMs + 1),
  );
}

function firstAtOrAfter(bars: readonly Bar[], ts: number): number {
  let low = 0;
  let high = bars.length;
  while (low < high) {
    const mid = (low + high) >>> 1;
    if (bars[mid]!.ts < ts) low = mid + 1;
    else high = mid;
  }
  return low;
}

/** Annualised realised vol of the window, or null with the reason when the window holds too few
 * bars. Throws a RangeError on bars that are unsorted or not valid OHLC on the period grid. */
export function realizedVol(
  bars: readonly Bar[],
  estimator: Estimator,
  window: RvWindow,
): RvResult {
  if (!(window.days > 0) || !Number.isFinite(window.end)) {
    throw new RangeError(`an RV window needs days > 0 and a finite end, got ${window.days}`);
  }
  checkBars(bars, window.periodMs);
  return checkedRealizedVol(bars, estimator, window);
}

function checkedRealizedVol(
  bars: readonly Bar[],
  estimator: Estimator,
  window: RvWindow,
): RvResult {
  const inside = windowBars(bars, window);
  const expectedBars = Math.round((window.days * DAY_MS) / window.periodMs);
  const needed = Math.max(MIN_BARS, Math.ceil(MIN_COVERAGE * expectedBars));
  if (inside.length < needed) {
    return {
      vol: null,
      estimator,
      bars: inside.length,
      expectedBars,
      reason: `${inside.length} of ${expectedBars} bars in the window, ${needed} needed`,
    };
  }
  const variancePerBar = ESTIMATE[estimator](inside, window.periodMs);
  const vol = Math.sqrt(Math.max(0, variancePerBar) * barsPerYear(window.periodMs));
  return { vol, estimator, bars: inside.length, expectedBars };
}

export interface RvRow {
  readonly periodMs: number;
  readonly days: number;
  readonly results: Readonly<Record<Estimator, RvResult>>;
}

/** Every estimator over each window length, on one bar period. */
export function realizedVolTable(
  bars: readonly Bar[],
  periodMs: number,
  end: number,
  days: readonly number[] = RV_WINDOW_DAYS,
): RvRow[] {
  checkBars(bars, periodMs);
  return days.map((d) => {
    const window = { periodMs, days: d, end };
    if (!(d > 0)) throw new RangeError(`an RV window needs days > 0, got ${d}`);
    const results = {} as Record<Estimator, RvResult>;
    for (const estimator of ESTIMATORS) {
      results[estimator] = checkedRealizedVol(bars, estimator, window);
    }
    return { periodMs, days: d, results };
  });
}

type PerBarVariance = (bars: readonly Bar[], periodMs: number) => number;

const FOUR_LN2 = 4 * Math.LN2;
const GK_C = 2 * Math.LN2 - 1;

const ESTIMATE: Readonly<Record<Estimator, PerBarVariance>> = {
  'close-to-close': (bars, periodMs) => {
    let sum = 0;
    let periods = 0;
    for (let i = 1; i < bars.length; i++) {
      const r = Math.log(bars[i]!.close / bars[i - 1]!.close);
      sum += r * r;
      periods += (bars[i]!.ts - bars[i - 1]!.ts) / periodMs;
    }
    return sum / periods;
  },
  parkinson: (bars) => mean(bars, (b) => Math.log(b.high / b.low) ** 2 / FOUR_LN2),
  'garman-klass': (bars) =>
    mean(bars, (b) => 0.5 * Math.log(b.high / b.low) ** 2 - GK_C * Math.log(b.close / b.open) ** 2),
  'rogers-satchell': (bars) => mean(bars, rogersSatchell),
  'yang-zhang': (bars) => {
    // Bars from the second on: each needs the close before it.
    const n = bars.length - 1;
    const overnight = new Float64Array(n);
    const openToClose = new Float64Array(n);
    let rs = 0;
    for (let i = 1; i <= n; i++) {
      const bar = bars[i]!;
      overnight[i - 1] = Math.log(bar.open / bars[i - 1]!.close);
      openToClose[i - 1] = Math.log(bar.close / bar.open);
      rs += rogersSatchell(bar);
    }
    const kappa = 0.34 / (1.34 + (n + 1) / (n - 1));
    return sampleVariance(overnight) + kappa * sampleVariance(openToClose) + (1 - kappa) * (rs / n);
  },
};

function rogersSatchell(bar: Bar): number {
  const u = Math.log(bar.high / bar.open);
  const d = Math.log(bar.low / bar.open);
  const c = Math.log(bar.close / bar.open);
  return u * (u - c) + d * (d - c);
}

function mean(bars: readonly Bar[], perBar: (bar: Bar) => number): number {
  let sum = 0;
  for (const bar of bars) sum += perBar(bar);
  return sum / bars.length;
}

function sampleVariance(xs: Float64Array): number {
  let sum = 0;
  for (const x of xs) sum += x;
  const m = sum / xs.length;
  let squares = 0;
  for (const x of xs) squares += (x - m) * (x - m);
  return squares / (xs.length - 1);
}
