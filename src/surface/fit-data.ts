// The fit's view of one expiry: bounds on total variance per strike and the weight of each
// quote, in flat arrays so the inner loops allocate nothing.

import type { ExpiryChain, SmileQuote } from './types.js';

/**
 * Spreads tighter than this (decimal vol: a quarter of a vol point) weigh as if they were this
 * wide, so one locked or very tight quote cannot dominate a whole wing.
 */
export const SPREAD_FLOOR = 0.0025;

/**
 * Inside the spread every smile fits perfectly, which leaves the fit free to hug one edge
 * of a wide spread. A pull towards the mid this weak (being 1 vol point off the mid costs
 * what being 0.03 vol points outside a spread costs) only breaks those ties, towards the mid.
 */
export const MID_PULL = 1e-3;

export interface FitData {
  readonly n: number;
  readonly T: number;
  /** k = ln(K/F) per point. */
  readonly k: Float64Array;
  /** Lower bound on total variance (bid IV²·T), −∞ without a bid. */
  readonly lo: Float64Array;
  /** Upper bound on total variance (ask IV²·T), +∞ without an ask. */
  readonly hi: Float64Array;
  /** Mid total variance of a two-sided quote ((bid IV + ask IV)/2)²·T; NaN for one-sided. */
  readonly mid: Float64Array;
  /**
   * Weight of a squared total-variance distance: (1/(2σT))² turns it into a squared IV
   * distance (dσ ≈ dw/(2σT)), times 1/spread (tighter quotes are firmer information).
   */
  readonly u: Float64Array;
  /** Where each point came from in the expiry's quote list. */
  readonly source: Int32Array;
  readonly twoSided: number;
  /** Largest finite bound: Zeliade's cap on a. */
  readonly wMax: number;
  readonly kMin: number;
  readonly kMax: number;
}

function usableIv(v: number | null): number | null {
  return v !== null && Number.isFinite(v) && v > 0 ? v : null;
}

/** Bid and ask IV of a quote as the fit reads them; a crossed pair collapses to its mid. */
export function quoteBounds(q: SmileQuote): { bid: number | null; ask: number | null } {
  const bid = usableIv(q.bidIv);
  const ask = usableIv(q.askIv);
  if (bid !== null && ask !== null && bid > ask) {
    const mid = 0.5 * (bid + ask);
    return { bid: mid, ask: mid };
  }
  return { bid, ask };
}

export function prepareFitData(chain: ExpiryChain): FitData {
  const T = chain.years;
  const F = chain.forward;
  const n0 = chain.quotes.length;
  // One buffer for every column: a typed array this size lives outside V8's heap and costs
  // about a microsecond to make, a view of one a third of that, and this runs per expiry on
  // every refit.
  const buffer = new ArrayBuffer(n0 * (6 * 8 + 4));
  const column = (at: number): Float64Array => new Float64Array(buffer, at * n0 * 8, n0);
  const k = column(0);
  const lo = column(1);
  const hi = column(2);
  const mid = column(3);
  const u = column(4);
  const spreads = column(5);
  const source = new Int32Array(buffer, 6 * n0 * 8, n0);
  let n = 0;
  let twoSided = 0;
  let wMax = 0;
  let kMin = Infinity;
  let kMax = -Infinity;
  const quotes = chain.quotes;
  for (let i = 0; i < n0; i++) {
    const q = quotes[i]!;
    if (!(q.strike > 0 && Number.isFinite(q.strike))) continue;
    // quoteBounds inlined: this runs on every refit, per quote.
    let bid = usableIv(q.bidIv);
    let ask = usableIv(q.askIv);
    if (bid !== null && ask !== null && bid > ask) bid = ask = 0.5 * (bid + ask);
    if (bid === null && ask === null) continue;
    const kk = Math.log(q.strike / F);
    k[n] = kk;
    lo[n] = bid === null ? -Infinity : bid * bid * T;
    hi[n] = ask === null ? Infinity : ask * ask * T;
    const ref = bid !== null && ask !== null ? 0.5 * (bid + ask) : (bid ?? ask)!;
    mid[n] = bid !== null && ask !== null ? ref * ref * T : NaN;
    const toIv = 1 / (2 * ref * T);
    u[n] = toIv * toIv;
    if (bid !== null && ask !== null) {
      spreads[twoSided++] = ask - bid;
      u[n] = u[n]! / Math.max(ask - bid, SPREAD_FLOOR);
    }
    source[n] = i;
    wMax = Math.max(wMax, bid === null ? 0 : lo[n]!, ask === null ? 0 : hi[n]!);
    kMin = Math.min(kMin, kk);
    kMax = Math.max(kMax, kk);
    n++;
  }
  // A one-sided quote has no spread of its own: it weighs like a typical two-sided one.
  const sorted = spreads.subarray(0, twoSided).sort();
  const typical = twoSided > 0 ? Math.max(sorted[twoSided >> 1]!, SPREAD_FLOOR) : 0.01;
  for (let i = 0; i < n; i++) {
    if (lo[i] === -Infinity || hi[i] === Infinity) u[i] = u[i]! / typical;
  }
  // Every quote usable (the usual case): the columns as they are, no views of views.
  const whole = n === n0;
  return {
    n,
    T,
    k: whole ? k : k.subarray(0, n),
    lo: whole ? lo : lo.subarray(0, n),
    hi: whole ? hi : hi.subarray(0, n),
    mid: whole ? mid : mid.subarray(0, n),
    u: whole ? u : u.subarray(0, n),
    source: whole ? source : source.subarray(0, n),
    twoSided,
    wMax,
    kMin,
    kMax,
  };
}

/**
 * The fit's objective Σ u·(dist(w(k), [lo, hi])² + MID_PULL·(w − mid)²): all but the tie-break
 * vanishes when every point lies inside its bounds.
 */
export function fitObjective(data: FitData, w: (k: number) => number): number {
  let s = 0;
  for (let i = 0; i < data.n; i++) {
    const v = w(data.k[i]!);
    const d = v < data.lo[i]! ? data.lo[i]! - v : v > data.hi[i]! ? v - data.hi[i]! : 0;
    const e = data.mid[i]! - v;
    s += data.u[i]! * (d * d + (e === e ? MID_PULL * e * e : 0));
  }
  return s;
}

/**
 * The same quotes with each two-sided quote's bounds moved in by `share` of its IV spread at
 * each end: the bounds the fit aims at. The bid/ask objective is flat inside the bounds and
 * only quadratic outside, so at a bound it has no slope, and the tie-break's pull towards
 * other quotes' mids settles a smile a hair outside the quotes it hugs (ETH 2024-01-08: seven
 * quotes 0.0001–0.003 vol points outside); aiming a little inside lands it inside.
 */
export function insetBounds(data: FitData, share: number): FitData {
  // One allocation for both (see prepareFitData).
  const both = new Float64Array(2 * data.n);
  both.set(data.lo);
  both.set(data.hi, data.n);
  const lo = both.subarray(0, data.n);
  const hi = both.subarray(data.n);
  const T = data.T;
  for (let i = 0; i < data.n; i++) {
    const l = lo[i]!;
    const h = hi[i]!;
    if (!(l > -Infinity && h < Infinity && h > l)) continue;
    const bid = Math.sqrt(Math.max(l, 0) / T);
    const ask = Math.sqrt(h / T);
    const inset = share * (ask - bid);
    lo[i] = (bid + inset) * (bid + inset) * T;
    hi[i] = (ask - inset) * (ask - inset) * T;
  }
  return { ...data, lo, hi };
}

/** The same quotes with each one's weight multiplied by `factor[i]`. */
export function reweighted(data: FitData, factor: Float64Array): FitData {
  const u = new Float64Array(data.n);
  for (let i = 0; i < data.n; i++) u[i] = data.u[i]! * factor[i]!;
  return { ...data, u };
}
